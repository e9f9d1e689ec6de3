//! A suggested fix as the commands that carry it out (the engine's `commands`), under the fix:
//! folded to one line naming the tool, opened to the command lines, with a button that copies
//! them. Imported networks get their real IDs; a value the network cannot know is a `<…>`
//! placeholder, explained beneath.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spacetrace_engine::commands::{self, Tool};
use spacetrace_engine::render;
use spacetrace_engine::trace::Fix;

use crate::store::use_store;

/// The commands for `fix`, or nothing when no command carries it out.
#[component]
pub fn FixCommands(fix: Fix) -> impl IntoView {
    let store = use_store();
    let cmds = store.checked.with_untracked(|c| commands::for_fix(&c.model, &fix));
    if cmds.is_empty() {
        return None;
    }
    let mut tools: Vec<Tool> = Vec::new();
    let mut holes = Vec::new();
    for c in &cmds {
        if !tools.contains(&c.tool) {
            tools.push(c.tool);
        }
        for p in c.placeholders() {
            if !holes.contains(&p) {
                holes.push(p);
            }
        }
    }
    let names: Vec<&str> = tools.iter().map(|t| render::tool(*t)).collect();
    let summary = format!("{} {}", names.join(" and "), if cmds.len() == 1 { "command" } else { "commands" });
    let text: String = cmds.iter().map(|c| c.line()).collect::<Vec<_>>().join("\n");
    let lines = cmds
        .iter()
        .map(|c| view! { <code class="command-line" data-testid="fix-command">{c.line()}</code> })
        .collect_view();
    let notes = holes
        .into_iter()
        .map(|p| view! { <li><code>{p.token()}</code>": "{render::placeholder(p)}</li> })
        .collect_view();
    let status = RwSignal::new(String::new());
    let copy = move |_| {
        let promise = window().navigator().clipboard().write_text(&text);
        spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            status.set(if ok {
                "\u{2713} Copied.".into()
            } else {
                "The browser did not allow copying: select the lines above and copy them.".into()
            });
        });
    };
    Some(view! {
        <details class="fix-commands" data-testid="fix-commands">
            <summary>{summary}</summary>
            <div class="command-lines">{lines}</div>
            <ul class="command-notes">{notes}</ul>
            <div class="command-actions">
                <button type="button" class="small" data-testid="copy-command" on:click=copy>"Copy"</button>
                <span class="hint" data-testid="copy-status" aria-live="polite">{move || status.get()}</span>
            </div>
        </details>
    })
}
