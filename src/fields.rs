//! Small form fields for the inspector. A field validates as you type (the validators of
//! `spacetrace_edit::fields`, where the engine's parsers say what is wrong) and commits only valid
//! values, when you leave the field or press Enter, so each change is one undo step and nothing
//! invalid is saved silently.

use leptos::prelude::*;
/// The validators and the ports' text live in `spacetrace-edit`, where native tests reach them.
pub use spacetrace_edit::fields::*;

/// A labelled text input. `value` is read when the field is drawn and whenever the document
/// changes; `commit` receives valid text when the person leaves the field or presses Enter.
/// `also` is a second validator for what depends on the document (an ID already taken).
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] test_id: String,
    value: Signal<String>,
    validate: Validate,
    commit: Callback<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] also: Option<Callback<String, Option<String>>>,
) -> impl IntoView {
    // What the person is typing; `None` shows the document's value (so undo and other edits show).
    let draft = RwSignal::new(None::<String>);
    let text = move || draft.get().unwrap_or_else(|| value.get());
    let validate = move |t: &str| validate(t).or_else(|| also.and_then(|c| c.run(t.to_owned())));
    let error = move || validate(&text());
    let id = format!("field-{test_id}");
    let err_id = format!("{id}-error");
    let send = move || {
        let t = text();
        if validate(&t).is_none() {
            draft.set(None);
            if t != value.get_untracked() {
                commit.run(t);
            }
        }
    };
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                data-testid=test_id.clone()
                rows="3"
                spellcheck="false"
                class:invalid=move || error().is_some()
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=err_id.clone()
                prop:value=text
                on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                on:change=move |_| send()
            />
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type="text"
                data-testid=test_id.clone()
                spellcheck="false"
                autocomplete="off"
                class:invalid=move || error().is_some()
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=err_id.clone()
                prop:value=text
                on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                on:change=move |_| send()
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" { send(); }
                    if ev.key() == "Escape" { draft.set(None); }
                }
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <p class="field-msg" id=err_id data-testid=format!("{test_id}-error")>
                {move || error().map(|e| format!("\u{2716} {e}")).or_else(|| hint.clone())}
            </p>
        </div>
    }
}

/// A labelled checkbox that commits on change.
#[component]
pub fn CheckField(
    #[prop(into)] label: String,
    #[prop(into)] test_id: String,
    value: Signal<bool>,
    commit: Callback<bool>,
) -> impl IntoView {
    let id = format!("field-{test_id}");
    view! {
        <div class="field check">
            <input id=id.clone() type="checkbox" data-testid=test_id prop:checked=move || value.get()
                on:change=move |ev| commit.run(event_target_checked(&ev)) />
            <label for=id>{label}</label>
        </div>
    }
}

/// A labelled select that commits on change.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] test_id: String,
    options: Vec<(String, String)>,
    value: Signal<String>,
    commit: Callback<String>,
) -> impl IntoView {
    let id = format!("field-{test_id}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id data-testid=test_id on:change=move |ev| commit.run(event_target_value(&ev))>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let vv = v.clone();
                        view! { <option value=v selected=move || value.get() == vv>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
