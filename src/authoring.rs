//! "Make a lesson…" (Scenario menu): a teacher turns the open scenario and its saved questions
//! into a lesson, each question marked predict, challenge or left out (`lesson_from`, the
//! engine's), and shares it as a link (`lessons::link`) or a `<name>.lesson.json` file.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spacetrace_engine::lesson::{Lesson, LessonDiagnostic, Use, lesson_from};
use spacetrace_engine::render;

use crate::files;
use crate::lessons::{link, use_lessons};
use crate::menu::{page_address, show_modal_while};
use crate::store::{Shared, use_store};

/// What a teacher chose for one saved question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Predict,
    Challenge,
    Leave,
}

#[component]
pub fn AuthoringDialog() -> impl IntoView {
    let lessons = use_lessons();
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = lessons.authoring_open.get();
        if let Some(el) = dialog_ref.get() {
            show_modal_while(&el, open);
        }
    });
    view! {
        <dialog node_ref=dialog_ref class="modal" data-testid="authoring" aria-labelledby="authoring-title"
            on:close=move |_| lessons.authoring_open.set(false)>
            <h2 id="authoring-title">"Make a lesson"</h2>
            {move || lessons.authoring_open.get().then(|| view! { <AuthoringBody /> })}
        </dialog>
    }
}

#[component]
fn AuthoringBody() -> impl IntoView {
    let store = use_store();
    let lessons = use_lessons();
    let doc = store.doc.get_untracked();
    let close = move || lessons.authoring_open.set(false);
    if doc.questions.is_empty() {
        return view! {
            <p class="dialog-message" data-testid="authoring-empty">
                "This scenario has no saved questions, and a lesson is made of them. Ask a question in the side panel and press \u{201c}Save this question\u{201d} (pin its expected answer for a challenge), then come back here."
            </p>
            <div class="dialog-actions">
                <button type="button" class="apply" autofocus data-testid="authoring-close" on:click=move |_| close()>"OK"</button>
            </div>
        }
        .into_any();
    }
    let title = RwSignal::new(doc.name.clone());
    let choices: Vec<(String, String, RwSignal<Choice>)> = doc
        .questions
        .iter()
        .map(|q| {
            let first = if q.expect.is_some() { Choice::Challenge } else { Choice::Predict };
            let name = if q.name.is_empty() { q.id.clone() } else { q.name.clone() };
            (q.id.clone(), name, RwSignal::new(first))
        })
        .collect();
    let choices = StoredValue::new(choices);
    let doc = StoredValue::new(doc);
    let made = Memo::new(move |_| {
        let title = title.get();
        let chosen: Vec<(String, Use)> = choices.with_value(|c| {
            c.iter()
                .filter_map(|(id, _, choice)| match choice.get() {
                    Choice::Predict => Some((id.clone(), Use::Predict)),
                    Choice::Challenge => Some((id.clone(), Use::Challenge)),
                    Choice::Leave => None,
                })
                .collect()
        });
        let (lesson, diags): (Lesson, Vec<LessonDiagnostic>) =
            doc.with_value(|d| lesson_from(d, &files::file_stem(&title), title.trim(), &chosen));
        Shared(std::sync::Arc::new((lesson, diags.iter().map(render::lesson_diagnostic).collect::<Vec<_>>())))
    });
    let empty = move || made.with(|m| m.0.0.tasks().next().is_none());
    let url = RwSignal::new(None::<Result<String, String>>);
    let status = RwSignal::new(String::new());
    let copy = move |_| {
        let result = made.with_untracked(|m| link(&page_address(), &m.0.0));
        url.set(Some(result.clone()));
        if let Ok(u) = result {
            let promise = window().navigator().clipboard().write_text(&u);
            spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                status.set(if ok {
                    "\u{2713} Copied to the clipboard.".into()
                } else {
                    "The browser did not allow copying: select the link above and copy it.".into()
                });
            });
        }
    };
    let download = move |_| {
        let (text, name) =
            made.with_untracked(|m| (m.0.0.to_json(), format!("{}.lesson.json", files::file_stem(&m.0.0.title))));
        if let Err(e) = files::download_text(&text, "application/json", &name) {
            status.set(e);
        }
    };
    let rows = choices.with_value(|c| {
        c.iter()
            .map(|(id, name, choice)| {
                let choice = *choice;
                let select_id = format!("authoring-use-{id}");
                view! {
                    <li class="authoring-row" data-testid="authoring-question">
                        <label for=select_id.clone()>{name.clone()}</label>
                        <select id=select_id data-testid="authoring-use"
                            prop:value=move || match choice.get() { Choice::Predict => "predict", Choice::Challenge => "challenge", Choice::Leave => "leave" }
                            on:change=move |ev| choice.set(match event_target_value(&ev).as_str() {
                                "predict" => Choice::Predict,
                                "challenge" => Choice::Challenge,
                                _ => Choice::Leave,
                            })>
                            <option value="predict">"Predict"</option>
                            <option value="challenge">"Challenge"</option>
                            <option value="leave">"Leave out"</option>
                        </select>
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <p class="hint">"Each saved question becomes a task: a prediction (the learner answers before the trace is shown), or a required outcome of one challenge (its pinned expectation; the learner changes the network until every outcome holds). The lesson starts from this network as it is now."</p>
        <div class="field">
            <label for="authoring-title-input">"Title"</label>
            <input id="authoring-title-input" type="text" autofocus maxlength="200" data-testid="authoring-title"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
        </div>
        <ul class="authoring-list">{rows}</ul>
        <ul class="dialog-diags" data-testid="authoring-diagnostics">
            {move || made.with(|m| m.0.1.iter().map(|d| view! { <li class="diag" data-testid="authoring-diagnostic">{d.clone()}</li> }).collect_view())}
        </ul>
        {move || empty().then(|| view! { <p class="hint" data-testid="authoring-no-task">"Mark at least one question as a prediction or a challenge."</p> })}
        {move || url.get().map(|u| match u {
            Ok(u) => view! {
                <div class="field">
                    <label for="authoring-link">{format!("Lesson link ({} characters)", u.chars().count())}</label>
                    <textarea id="authoring-link" data-testid="authoring-link" readonly rows="4" prop:value=u></textarea>
                </div>
            }.into_any(),
            Err(message) => view! { <p class="dialog-message" data-testid="authoring-link-problem">{message}</p> }.into_any(),
        })}
        <p class="hint" data-testid="authoring-status" aria-live="polite">{move || status.get()}</p>
        <div class="dialog-actions">
            <button type="button" class="apply" data-testid="authoring-copy" disabled=empty on:click=copy>"Copy link"</button>
            <button type="button" data-testid="authoring-download" disabled=empty on:click=download>"\u{2913} Download file"</button>
            <button type="button" data-testid="authoring-close" on:click=move |_| close()>"Close"</button>
        </div>
    }
    .into_any()
}
