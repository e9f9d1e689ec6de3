//! Small form fields for the inspector. A field validates as you type (the engine's parsers say
//! what is wrong) and commits only valid values, when you leave the field or press Enter, so each
//! change is one undo step and nothing invalid is saved silently.

use leptos::prelude::*;
use spacetrace_engine::cidr::parse_cidr;
use spacetrace_engine::model::PortRange;
use spacetrace_engine::render;

/// A validator: `None` when the text is fine, or the message that says what is wrong.
pub type Validate = fn(&str) -> Option<String>;

pub fn any_text(_: &str) -> Option<String> {
    None
}

pub fn name_text(s: &str) -> Option<String> {
    let n = s.trim().chars().count();
    if n == 0 {
        Some("Give it a name.".into())
    } else if n > spacetrace_engine::check::MAX_NAME {
        Some(format!("Names have at most {} characters.", spacetrace_engine::check::MAX_NAME))
    } else {
        None
    }
}

pub fn cidr_text(s: &str) -> Option<String> {
    match parse_cidr(s) {
        Ok(_) => None,
        Err(d) => Some(render::diagnostic(&d)),
    }
}

pub fn cidr_lines(s: &str) -> Option<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).find_map(cidr_text)
}

/// A prefix list's ID: security group rules name it by an ID starting with `pl-`.
pub fn prefix_list_id_text(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        Some("Give it an ID, like pl-0abc123.".into())
    } else if t.chars().any(char::is_whitespace) {
        Some(format!("\u{201c}{t}\u{201d} has a space in it; an ID is one word, like pl-0abc123."))
    } else if !t.starts_with("pl-") || t == "pl-" {
        Some(format!(
            "\u{201c}{t}\u{201d}: security group rules name a prefix list by an ID starting with pl-, like pl-0abc123."
        ))
    } else {
        None
    }
}

pub fn address_text(s: &str) -> Option<String> {
    if s.trim().parse::<std::net::IpAddr>().is_ok() {
        None
    } else {
        Some(format!("\u{201c}{}\u{201d} is not an IP address.", s.trim()))
    }
}

pub fn optional_address_text(s: &str) -> Option<String> {
    if s.trim().is_empty() { None } else { address_text(s) }
}

pub fn address_lines(s: &str) -> Option<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).find_map(address_text)
}

pub fn port_range_text(s: &str) -> Option<String> {
    match PortRange::parse(s) {
        Some(_) => None,
        None => Some(format!("\u{201c}{}\u{201d} is not a port range: write 5432, 1024-65535 or all.", s.trim())),
    }
}

pub fn port_text(s: &str) -> Option<String> {
    match s.trim().parse::<u16>() {
        Ok(p) if p > 0 => None,
        _ => Some("A port is a whole number from 1 to 65535.".into()),
    }
}

pub fn count_text(s: &str) -> Option<String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= 100 => None,
        _ => Some("A dyno count is a whole number from 0 to 100.".into()),
    }
}

/// `5432, 53/udp` → listening ports.
pub fn parse_ports(s: &str) -> Result<Vec<spacetrace_engine::doc::Listen>, String> {
    use spacetrace_engine::doc::{Listen, Protocol};
    let mut out = Vec::new();
    for part in s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let (num, protocol) = match part.split_once('/') {
            Some((n, p)) if p.eq_ignore_ascii_case("udp") => (n, Protocol::Udp),
            Some((n, p)) if p.eq_ignore_ascii_case("tcp") => (n, Protocol::Tcp),
            Some(_) => return Err(format!("\u{201c}{part}\u{201d}: the protocol is tcp or udp.")),
            None => (part, Protocol::Tcp),
        };
        match num.parse::<u16>() {
            Ok(port) if port > 0 => out.push(Listen { protocol, port }),
            _ => return Err(format!("\u{201c}{part}\u{201d} is not a port from 1 to 65535.")),
        }
    }
    Ok(out)
}

pub fn ports_text(s: &str) -> Option<String> {
    parse_ports(s).err()
}

pub fn format_ports(list: &[spacetrace_engine::doc::Listen]) -> String {
    list.iter()
        .map(|l| match l.protocol {
            spacetrace_engine::doc::Protocol::Tcp => l.port.to_string(),
            spacetrace_engine::doc::Protocol::Udp => format!("{}/udp", l.port),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

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
