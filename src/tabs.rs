//! Two tabs on one scenario. Every change is saved at once, so without this the last tab to save
//! would silently win. Another tab's save reaches this one as a `storage` event
//! ([`Library::stored_elsewhere`]): this tab stops saving the scenario and asks whether to reload
//! the other tab's version (one undoable edit) or keep its own as a copy. Other scenarios' names
//! and the list itself follow the other tab as they change.

use leptos::prelude::*;

use crate::persist::{Elsewhere, Library};
use crate::store::use_store;

/// Listen for other tabs' saves for as long as the app runs.
pub fn watch_other_tabs(library: Library) {
    let store = use_store();
    crate::listen::on_window("storage", move |e: &web_sys::StorageEvent| {
        if let Some(key) = e.key() {
            library.stored_elsewhere(&store, &key, e.new_value().as_deref());
        }
    });
}

/// The question put to the person when another tab saved or deleted the open scenario.
#[component]
pub fn OtherTab() -> impl IntoView {
    let store = use_store();
    let library = expect_context::<Library>();
    view! {
        {move || library.saved_elsewhere.get().map(|what| {
            let name = store.doc.with(|d| d.name.clone());
            let saved = matches!(what, Elsewhere::Saved(_));
            let (text, reload) = match what {
                Elsewhere::Saved(doc) => (
                    format!("Another tab saved this scenario (as \u{201c}{}\u{201d}) while it is open here. This tab stopped saving it, so that neither version is lost.", doc.name),
                    "Reload the other tab's version",
                ),
                Elsewhere::Deleted => (
                    format!("\u{201c}{name}\u{201d} was deleted in another tab. It is still open here."),
                    "Keep it in this browser",
                ),
            };
            view! {
                <div class="notice other-tab" role="alertdialog" aria-labelledby="other-tab-text" data-testid="other-tab">
                    <p id="other-tab-text">{text}</p>
                    <div class="dialog-actions">
                        <button type="button" class="apply" data-testid="other-tab-reload" on:click=move |_| library.reload_elsewhere(&store)>{reload}</button>
                        {saved.then(|| view! {
                            <button type="button" data-testid="other-tab-keep" on:click=move |_| library.keep_as_copy(&store)>"Keep mine as a copy"</button>
                        })}
                    </div>
                </div>
            }
        })}
    }
}
