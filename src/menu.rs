//! The Scenario menu and its dialogs: the library in this browser (open, new, rename, duplicate,
//! delete with confirmation), files (picker or drop) and export, share links, pictures, and the
//! import of Heroku and AWS CLI output (`import.rs`). Files and links arrive here: a usable
//! scenario becomes a new library entry, a scenario with errors is offered with its diagnostics,
//! CLI output is offered for import, anything else is refused with the reason, and the open
//! scenario stays as it was.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spacetrace_engine::doc::Document;
use spacetrace_engine::{Diagnostic, Severity, render};
use wasm_bindgen::JsCast;

use crate::examples::{EXAMPLES, empty_document, load};
use crate::files::{self, Incoming};
use crate::import::{self, ImportState};
use crate::listen::on_window;
use crate::persist::{Entry, Library};
use crate::share;
use crate::store::{Notice, Store, use_store};

/// The most diagnostics listed in the dialog offering a scenario with errors.
const OFFER_LIST: usize = 60;

/// A modal dialog.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Something was not opened or not done; nothing changed.
    Problem {
        title: String,
        message: String,
    },
    /// The scenario is too large for a link.
    TooLongForLink {
        message: String,
    },
    /// A scenario with errors: open what is usable, or not.
    Offer {
        source: String,
        doc: Box<Document>,
        diagnostics: Vec<Diagnostic>,
    },
    Rename {
        id: String,
        name: String,
    },
    ConfirmDelete {
        id: String,
        name: String,
    },
    Share {
        url: String,
    },
    /// Import Heroku and AWS CLI output; what is being imported is [`Ui::import`].
    Import,
}

/// Interface state of the menu and dialogs (neither document nor session).
#[derive(Clone, Copy)]
pub struct Ui {
    pub dialog: RwSignal<Option<Dialog>>,
    pub menu_open: RwSignal<bool>,
    pub dragging: RwSignal<bool>,
    /// The files and the pasted text of the import dialog.
    pub import: ImportState,
}

impl Default for Ui {
    fn default() -> Self {
        Self {
            dialog: RwSignal::new(None),
            menu_open: RwSignal::new(false),
            dragging: RwSignal::new(false),
            import: ImportState::default(),
        }
    }
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

pub fn use_library() -> Library {
    expect_context::<Library>()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Open what came in from a file or a link (`source`, e.g. “the file “x.json””) as a new
/// scenario in the library, offer it with its diagnostics, or say why not.
pub fn receive(store: &Store, library: &Library, ui: &Ui, incoming: Incoming, source: &str) {
    match incoming {
        Incoming::Open(doc) => {
            let name = doc.name.clone();
            library.add_and_open(store, doc);
            store.notice.set(Some(Notice::Info(format!(
                "Opened \u{201c}{name}\u{201d} from {source}. It is now in your library (Scenario menu)."
            ))));
        }
        Incoming::Offer(doc, diagnostics) => {
            ui.dialog.set(Some(Dialog::Offer { source: source.to_owned(), doc: Box::new(doc), diagnostics }))
        }
        Incoming::Refuse(message) => {
            ui.dialog.set(Some(Dialog::Problem { title: format!("{} was not opened", capitalised(source)), message }))
        }
    }
}

/// What a share fragment holds, as something to [`receive`]; `None` when it is no share link.
/// A link is made by Spacetrace from a scenario that was open, so one with errors (the Fir and
/// limits examples have some on purpose) opens directly, its diagnostics listed under the canvas.
pub fn link_incoming(fragment: &str) -> Option<Incoming> {
    Some(match share::read(fragment)? {
        Ok(doc) => match files::classify(doc) {
            Incoming::Offer(doc, _) => Incoming::Open(doc),
            other => other,
        },
        Err(e) => Incoming::Refuse(e.message()),
    })
}

/// The page address without its fragment.
pub fn page_address() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Remove the fragment from the address bar, without a new history entry or a reload.
pub fn clear_fragment() {
    let location = window().location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Open an example (or a new empty network) from the examples list. When the open scenario is
/// an unchanged example or empty network, the example replaces it as one undoable edit (nothing
/// is lost); otherwise it opens as a new scenario in the library.
pub fn open_example(store: &Store, library: &Library, doc: Document) {
    let current = store.doc.get_untracked();
    let unchanged = current == empty_document() || EXAMPLES.iter().any(|(_, text)| load(text) == current);
    if unchanged {
        crate::app::open_document(store, doc);
    } else {
        library.add_and_open(store, doc);
    }
}

fn problem(ui: &Ui, title: &str, result: Result<(), String>) {
    if let Err(message) = result {
        ui.dialog.set(Some(Dialog::Problem { title: title.to_owned(), message }));
    }
}

fn share_link(store: &Store, ui: &Ui) {
    let dialog = store.doc.with_untracked(|d| match share::link(&page_address(), d) {
        Ok(url) => Dialog::Share { url },
        Err(e) => Dialog::TooLongForLink { message: e.message() },
    });
    ui.dialog.set(Some(dialog));
}

/// Focus the first element matching the first of `selectors` that matches any, once the DOM has
/// caught up with the change that asked for it.
fn focus_later(selectors: &'static [&'static str]) {
    gloo_timers::callback::Timeout::new(0, move || {
        let found = selectors.iter().find_map(|s| document().query_selector(s).ok().flatten());
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    })
    .forget();
}

/// The top bar's Scenario menu.
#[component]
pub fn ScenarioMenu() -> impl IntoView {
    let store = use_store();
    let library = use_library();
    let ui = use_ui();
    let lessons = crate::lessons::use_lessons();
    let wrap = NodeRef::<leptos::html::Div>::new();
    let file_input = NodeRef::<leptos::html::Input>::new();

    // Close on a press outside the menu (dialogs opened from it do not count as outside).
    on_window("pointerdown", move |ev: &web_sys::Event| {
        if !ui.menu_open.get_untracked() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let inside = target.as_ref().is_some_and(|t| {
            wrap.get_untracked().is_some_and(|w| w.contains(Some(t))) || t.closest("dialog").ok().flatten().is_some()
        });
        if !inside {
            ui.menu_open.set(false);
        }
    });

    let close = move || {
        ui.menu_open.set(false);
        focus_later(&["[data-testid=scenario-menu]"]);
    };
    let toggle = move |_| {
        let open = !ui.menu_open.get_untracked();
        ui.menu_open.set(open);
        if open {
            focus_later(&["#scenario-panel button"]);
        }
    };
    let on_panel_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            close();
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(list) = input.files() {
            import::receive_files(store, library, ui, import::file_list(&list));
        }
        input.set_value("");
    };

    view! {
        <div class="menu-wrap" node_ref=wrap>
            <button type="button" class="menu-button" data-testid="scenario-menu" aria-haspopup="true"
                aria-controls="scenario-panel" aria-expanded=move || ui.menu_open.get().to_string() on:click=toggle>
                "Scenario \u{25BE}"
            </button>
            <input type="file" multiple accept=".json,application/json" class="sr-only" tabindex="-1" aria-hidden="true"
                data-testid="import-input" node_ref=file_input on:change=on_file />
            <Show when=move || ui.menu_open.get()>
                <div id="scenario-panel" class="menu-panel" data-testid="scenario-panel" role="group"
                    aria-label="Scenario" on:keydown=on_panel_key>
                    <h2>"This scenario"</h2>
                    <div class="menu-grid">
                        <button type="button" data-testid="export-json" title="Save the scenario as a JSON file"
                            on:click=move |_| { close(); problem(&ui, "The scenario was not exported", files::export_json(&store.doc.get_untracked())); }>
                            "\u{2913} Export JSON"
                        </button>
                        <button type="button" data-testid="share-link" title="A link that carries the whole scenario"
                            on:click=move |_| { close(); share_link(&store, &ui); }>
                            "\u{2197} Share link\u{2026}"
                        </button>
                        <button type="button" data-testid="export-svg" title="The canvas as an SVG picture, for slides"
                            on:click=move |_| { close(); problem(&ui, "The picture was not exported", crate::export::export_svg(&store)); }>
                            "\u{25A7} Export SVG"
                        </button>
                        <button type="button" data-testid="export-png" title="The canvas as a PNG picture, for slides"
                            on:click=move |_| {
                                close();
                                spawn_local(async move { problem(&ui, "The picture was not exported", crate::export::export_png(store).await) });
                            }>
                            "\u{25A8} Export PNG"
                        </button>
                        <button type="button" data-testid="make-lesson" title="Turn this scenario and its saved questions into a lesson to share"
                            on:click=move |_| { close(); lessons.authoring_open.set(true); }>
                            "\u{2691} Make a lesson\u{2026}"
                        </button>
                    </div>
                    <h2>"Open"</h2>
                    <div class="menu-grid">
                        <button type="button" data-testid="library-new" on:click=move |_| { close(); library.add_and_open(&store, empty_document()); }>
                            "+ New scenario"
                        </button>
                        <button type="button" data-testid="import-file" on:click=move |_| {
                            ui.menu_open.set(false);
                            if let Some(input) = file_input.get_untracked() { input.click(); }
                        }>
                            "\u{2912} Import a file\u{2026}"
                        </button>
                        <button type="button" data-testid="import-cli" title="Import the JSON output of the Heroku CLI and the AWS CLI as a new scenario"
                            on:click=move |_| { ui.menu_open.set(false); import::open_dialog(&ui); }>
                            "\u{2912} Import Heroku / AWS output\u{2026}"
                        </button>
                    </div>
                    <p class="hint small">"Or drop files anywhere on the page: a scenario file (.json) opens, Heroku and AWS CLI output (JSON) is imported."</p>
                    <h2>"Library in this browser"</h2>
                    <ul class="library" data-testid="library">
                        <For each=move || library.entries.get() key=|e: &Entry| e.id.clone() let:entry>
                            <LibraryRow entry=entry close=Callback::new(move |_| close()) />
                        </For>
                    </ul>
                    <p class="hint small">"Every change is saved here as you work. Export a file to keep a copy elsewhere."</p>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn LibraryRow(entry: Entry, close: Callback<()>) -> impl IntoView {
    let store = use_store();
    let library = use_library();
    let ui = use_ui();
    let id = entry.id.clone();
    let name = {
        let id = id.clone();
        Memo::new(move |_| {
            let entry = library.entries.with(|l| l.iter().find(|e| e.id == id).cloned());
            entry.map(|e| library.name(&store, &e)).unwrap_or_default()
        })
    };
    let current = {
        let id = id.clone();
        Memo::new(move |_| library.current.get() == id)
    };
    let open_id = id.clone();
    let rename_id = id.clone();
    let copy_id = id.clone();
    let delete_id = id.clone();
    view! {
        <li class="library-item" class:current=move || current.get() data-testid="library-entry"
            data-current=move || current.get().to_string()>
            <button type="button" class="library-open" data-testid="library-open"
                aria-current=move || current.get().then_some("true")
                on:click=move |_| {
                    close.run(());
                    if let Err(message) = library.open(&store, &open_id) {
                        ui.dialog.set(Some(Dialog::Problem { title: "The scenario was not opened".into(), message }));
                    }
                }>
                <span class="mark" aria-hidden="true">{move || if current.get() { "\u{25CF}" } else { "" }}</span>
                <span class="library-name">{move || name.get()}</span>
                <span class="sr-only">{move || if current.get() { " (open)" } else { "" }}</span>
            </button>
            <button type="button" class="icon" data-testid="library-rename" title="Rename"
                aria-label=move || format!("Rename \u{201c}{}\u{201d}", name.get())
                on:click=move |_| {
                    ui.dialog.set(Some(Dialog::Rename { id: rename_id.clone(), name: name.get_untracked() }));
                }>"\u{270E}"</button>
            <button type="button" class="icon" data-testid="library-duplicate" title="Duplicate"
                aria-label=move || format!("Duplicate \u{201c}{}\u{201d}", name.get())
                on:click=move |_| {
                    close.run(());
                    if let Err(message) = library.duplicate(&store, &copy_id) {
                        ui.dialog.set(Some(Dialog::Problem { title: "The scenario was not duplicated".into(), message }));
                    }
                }>"\u{2750}"</button>
            <button type="button" class="icon danger" data-testid="library-delete" title="Delete"
                aria-label=move || format!("Delete \u{201c}{}\u{201d}", name.get())
                on:click=move |_| {
                    ui.dialog.set(Some(Dialog::ConfirmDelete { id: delete_id.clone(), name: name.get_untracked() }));
                }>"\u{2715}"</button>
        </li>
    }
}

/// Show `el` as a modal dialog while `open` holds, and close it when it stops (called from an
/// effect: the open state is pushed to the element).
pub fn show_modal_while(el: &web_sys::HtmlDialogElement, open: bool) {
    if open && !el.open() {
        let _ = el.show_modal();
    } else if !open && el.open() {
        el.close();
    }
}

/// The one modal dialog, shown with the browser's `<dialog>` (focus kept inside, Escape cancels).
#[component]
pub fn Dialogs() -> impl IntoView {
    let ui = use_ui();
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    // Push the open state to the element; focus the control marked autofocus (else the first).
    Effect::new(move |_| {
        let open = ui.dialog.with(Option::is_some);
        let Some(el) = dialog_ref.get() else { return };
        show_modal_while(&el, open);
        if open {
            focus_later(&["dialog[open] [autofocus]", "dialog[open] button"]);
        }
    });
    let dismiss = move || {
        if ui.dialog.with_untracked(Option::is_some) {
            ui.dialog.set(None);
        }
    };
    view! {
        <dialog node_ref=dialog_ref class="modal" class:wide=move || ui.dialog.with(|d| matches!(d, Some(Dialog::Import)))
            data-testid="dialog" aria-labelledby="dialog-title"
            on:close=move |_| dismiss()>
            {move || ui.dialog.get().map(|d| dialog_body(d, ui))}
        </dialog>
    }
}

fn dialog_body(dialog: Dialog, ui: Ui) -> AnyView {
    let store = use_store();
    let library = use_library();
    let close = move || ui.dialog.set(None);
    match dialog {
        Dialog::Problem { title, message } => view! {
            <h2 id="dialog-title" data-testid="dialog-title">"\u{2716} " {title}</h2>
            <p class="dialog-message" data-testid="dialog-message">{message}</p>
            <p class="hint">"Your open scenario is unchanged."</p>
            <div class="dialog-actions">
                <button type="button" class="apply" autofocus data-testid="dialog-ok" on:click=move |_| close()>"OK"</button>
            </div>
        }
        .into_any(),
        Dialog::TooLongForLink { message } => view! {
            <h2 id="dialog-title" data-testid="dialog-title">"Too large for a link"</h2>
            <p class="dialog-message" data-testid="dialog-message">{message}</p>
            <div class="dialog-actions">
                <button type="button" class="apply" autofocus data-testid="too-long-export" on:click=move |_| {
                    close();
                    problem(&ui, "The scenario was not exported", files::export_json(&store.doc.get_untracked()));
                }>"\u{2913} Export JSON"</button>
                <button type="button" data-testid="dialog-ok" on:click=move |_| close()>"Close"</button>
            </div>
        }
        .into_any(),
        Dialog::Offer { source, doc, diagnostics } => {
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            let more = diagnostics.len().saturating_sub(OFFER_LIST);
            let items = diagnostics
                .iter()
                .take(OFFER_LIST)
                .map(|d| {
                    let error = d.severity == Severity::Error;
                    view! {
                        <li class="diag" class:error=error data-testid="offer-diagnostic">
                            <span class="sign" aria-hidden="true">{if error { "\u{2716}" } else { "\u{26A0}" }}</span>
                            <span>{render::diagnostic_with_location(d)}</span>
                        </li>
                    }
                })
                .collect_view();
            let title = format!(
                "{} has {} {}",
                capitalised(&source),
                errors,
                if errors == 1 { "error" } else { "errors" }
            );
            let doc = StoredValue::new(*doc);
            view! {
                <h2 id="dialog-title" data-testid="dialog-title">"\u{26A0} " {title}</h2>
                <p>"Spacetrace can open it anyway: the parts with errors are left out of the network, and the diagnostics stay listed under the canvas for you to fix. Or cancel, and nothing changes."</p>
                <ul class="dialog-diags" data-testid="offer-diagnostics">{items}</ul>
                {(more > 0).then(|| view! { <p class="hint">{format!("and {more} more")}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="apply" data-testid="offer-open" on:click=move |_| {
                        close();
                        let name = doc.with_value(|d| d.name.clone());
                        library.add_and_open(&store, doc.get_value());
                        store.notice.set(Some(Notice::Info(format!(
                            "Opened \u{201c}{name}\u{201d}; its diagnostics are listed under the canvas."
                        ))));
                    }>"Open it anyway"</button>
                    <button type="button" autofocus data-testid="offer-cancel" on:click=move |_| close()>"Cancel"</button>
                </div>
            }
            .into_any()
        }
        Dialog::Rename { id, name } => {
            let value = RwSignal::new(name);
            let commit = move || {
                let name = value.get_untracked().trim().to_owned();
                if name.is_empty() {
                    return;
                }
                close();
                if let Err(message) = library.rename(&store, &id, &name) {
                    ui.dialog.set(Some(Dialog::Problem { title: "The scenario was not renamed".into(), message }));
                }
            };
            view! {
                <h2 id="dialog-title" data-testid="dialog-title">"Rename scenario"</h2>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); commit(); }>
                    <div class="field">
                        <label for="rename-input">"Name"</label>
                        <input id="rename-input" type="text" autofocus maxlength="200" data-testid="rename-input"
                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    </div>
                    <div class="dialog-actions">
                        <button type="submit" class="apply" data-testid="rename-ok"
                            disabled=move || value.with(|v| v.trim().is_empty())>"Rename"</button>
                        <button type="button" data-testid="rename-cancel" on:click=move |_| close()>"Cancel"</button>
                    </div>
                </form>
            }
            .into_any()
        }
        Dialog::ConfirmDelete { id, name } => view! {
            <h2 id="dialog-title" data-testid="dialog-title">{format!("Delete \u{201c}{name}\u{201d}?")}</h2>
            <p>"It is removed from this browser and cannot be brought back. Export it first if you want to keep a copy."</p>
            <div class="dialog-actions">
                <button type="button" class="danger-solid" data-testid="delete-confirm" on:click=move |_| {
                    close();
                    library.delete(&store, &id);
                }>"Delete"</button>
                <button type="button" autofocus data-testid="delete-cancel" on:click=move |_| close()>"Cancel"</button>
            </div>
        }
        .into_any(),
        Dialog::Share { url } => {
            let status = RwSignal::new(String::new());
            let chars = url.chars().count();
            let copy_url = url.clone();
            let copy = move |_| {
                // Select the text first, so that copying by hand works even if the clipboard refuses.
                if let Some(area) = document()
                    .get_element_by_id("share-url")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                {
                    area.select();
                }
                let promise = window().navigator().clipboard().write_text(&copy_url);
                spawn_local(async move {
                    let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                    status.set(if ok {
                        "\u{2713} Copied to the clipboard.".into()
                    } else {
                        "The browser did not allow copying: the link is selected above, press Ctrl+C (\u{2318}C) to copy it.".into()
                    });
                });
            };
            view! {
                <h2 id="dialog-title" data-testid="dialog-title">"Share link"</h2>
                <p>"Anyone who opens this link gets their own copy of this scenario, added to the library in their browser. The whole scenario travels inside the link; nothing is uploaded anywhere."</p>
                <div class="field">
                    <label for="share-url">{format!("Link ({} characters)", chars)}</label>
                    <textarea id="share-url" data-testid="share-url" readonly rows="5" prop:value=url
                        on:focus=|ev| {
                            if let Some(a) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) { a.select(); }
                        }></textarea>
                </div>
                <p class="hint" data-testid="share-status" aria-live="polite">{move || status.get()}</p>
                <div class="dialog-actions">
                    <button type="button" class="apply" autofocus data-testid="share-copy" on:click=copy>"Copy link"</button>
                    <button type="button" data-testid="share-close" on:click=move |_| close()>"Close"</button>
                </div>
            }
            .into_any()
        }
        Dialog::Import => import::dialog_body(ui),
    }
}

/// Dropping files anywhere on the page opens a scenario or imports CLI output (while the import
/// dialog is open, they join the import); an overlay shows while files are dragged over.
#[component]
pub fn FileDrop() -> impl IntoView {
    let store = use_store();
    let library = use_library();
    let ui = use_ui();
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer().is_some_and(|dt| dt.types().iter().any(|t| t.as_string().as_deref() == Some("Files")))
    };
    on_window("dragover", move |ev: &web_sys::DragEvent| {
        if has_files(ev) {
            ev.prevent_default();
            if !ui.dragging.get_untracked() {
                ui.dragging.set(true);
            }
        }
    });
    on_window("dragleave", move |ev: &web_sys::DragEvent| {
        if ev.related_target().is_none() {
            ui.dragging.set(false);
        }
    });
    on_window("drop", move |ev: &web_sys::DragEvent| {
        ui.dragging.set(false);
        let Some(list) = ev.data_transfer().and_then(|dt| dt.files()).filter(|f| f.length() > 0) else { return };
        ev.prevent_default();
        let importing = ui.dialog.with_untracked(|d| matches!(d, Some(Dialog::Import)));
        if ui.dialog.with_untracked(Option::is_some) && !importing {
            return;
        }
        import::receive_files(store, library, ui, import::file_list(&list));
    });
    view! {
        <Show when=move || ui.dragging.get()>
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <p>"Drop a scenario file (.json) to open it, or Heroku and AWS CLI output to import it, as a new scenario"</p>
            </div>
        </Show>
    }
}
