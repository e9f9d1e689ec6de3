//! The diagnostics strip: configuration problems found before any question, live. Clicking one
//! selects the objects involved.

use leptos::prelude::*;
use spacetrace_engine::Severity;
use spacetrace_engine::render;

use crate::store::use_store;

#[component]
pub fn Diagnostics() -> impl IntoView {
    let store = use_store();
    let open = RwSignal::new(false);
    let counts = Memo::new(move |_| {
        store.checked.with(|c| {
            let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            (errors, c.diagnostics.len() - errors)
        })
    });
    view! {
        <section class="panel diagnostics" class:open=move || open.get() data-testid="diagnostics" aria-labelledby="diag-title">
            <button type="button" class="diag-toggle" id="diag-title" data-testid="diagnostics-toggle"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                <span>"Diagnostics"</span>
                <span class="count errors" class:zero=move || counts.get().0 == 0>{move || format!("\u{2716} {}", counts.get().0)}</span>
                <span class="count warnings" class:zero=move || counts.get().1 == 0>{move || format!("\u{26A0} {}", counts.get().1)}</span>
                <span class="chev" aria-hidden="true">{move || if open.get() { "\u{25BE}" } else { "\u{25B8}" }}</span>
            </button>
            <Show when=move || open.get()>
                <ul class="diag-list">
                    {move || store.checked.with(|c| {
                        if c.diagnostics.is_empty() {
                            return view! { <li class="hint">"No problems: the platform would accept this configuration."</li> }.into_any();
                        }
                        c.diagnostics.iter().map(|d| {
                            let subjects = d.subjects.clone();
                            let error = d.severity == Severity::Error;
                            let rules = d.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" ");
                            view! {
                                <li>
                                    <button type="button" class="diag" class:error=error data-testid="diagnostic"
                                        on:click=move |_| store.selection.set(subjects.clone())>
                                        <span class="sign" aria-hidden="true">{if error { "\u{2716}" } else { "\u{26A0}" }}</span>
                                        <span>{render::diagnostic_with_location(d)}</span>
                                        {(!rules.is_empty()).then(|| view! { <span class="chip-static">{rules.clone()}</span> })}
                                    </button>
                                </li>
                            }
                        }).collect_view().into_any()
                    })}
                </ul>
            </Show>
        </section>
    }
}
