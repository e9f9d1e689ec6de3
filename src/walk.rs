//! The packet's walk and presentation mode.
//!
//! The walk steps through the answer hop by hop (the engine's `walk::walk`: the request, then the
//! reply where a stateless network ACL decides). Where it is, whether it plays, and whether the
//! page presents are session state (`Store::walk_at`, `walk_playing`, `presenting`); the canvas
//! lights the current stop and the trace view the current hop from them. Every word about a
//! packet is the engine's `render`.
//!
//! Presentation mode hides the palette, the side panel and the top bar, lets the canvas fill the
//! window at a scale where its text is large (`canvas::present_view`), and shows the question,
//! the verdict and the packet in a caption. Its keyboard steps go to [`present_step`], which
//! offers each one first to a lesson player (`Store::stepper`), then to the walk.

use std::time::Duration;

use leptos::prelude::*;
use spacetrace_engine::render;
use spacetrace_engine::trace::Verdict;

use crate::store::{Store, use_store};

/// How long the walk stays at each hop when it plays.
pub const PLAY_EVERY: Duration = Duration::from_millis(900);

/// Move the walk by `delta` packets (forward +1, back -1), starting it if it has not started.
/// Stays within the walk; returns whether it moved.
pub fn step(store: Store, delta: i32) -> bool {
    let Some(trace) = store.trace.get_untracked() else { return false };
    let n = store.walk.with_untracked(|w| w.as_ref().map_or(0, |w| w.len()));
    if n == 0 {
        return false;
    }
    let now = store.walk_index_untracked();
    let next = match now {
        None => 0,
        Some(i) => (i as i64 + delta as i64).clamp(0, n as i64 - 1) as usize,
    };
    if now == Some(next) {
        return false;
    }
    store.walk_at.set(Some((trace, next)));
    true
}

/// A keyboard step in presentation mode: a lesson player, if one is registered, takes it first;
/// otherwise the packet's walk moves.
pub fn present_step(store: Store, delta: i32) {
    let taken = store.stepper.with_value(|s| s.as_ref().map(|cb| cb.run(delta))).unwrap_or(false);
    if !taken {
        store.walk_playing.set(false);
        step(store, delta);
    }
}

/// Start playing (from the start if the walk is at its end or its stop), or pause.
pub fn toggle_play(store: Store) {
    if store.walk_playing.get_untracked() {
        store.walk_playing.set(false);
        return;
    }
    let n = store.walk.with_untracked(|w| w.as_ref().map_or(0, |w| w.len()));
    if n == 0 {
        return;
    }
    let at_end = store.walk_index_untracked().is_none_or(|i| i + 1 >= n);
    if at_end && let Some(trace) = store.trace.get_untracked() {
        store.walk_at.set(Some((trace, 0)));
    }
    store.walk_playing.set(true);
}

/// The keys of the walk and of presentation mode; returns whether the key was taken. `.` and `,`
/// step anywhere; the arrow keys step when the walk's controls have focus; in presentation mode
/// Right, Space and PageDown step forward, Left and PageUp back, and Escape leaves.
pub fn on_key(store: Store, ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return false;
    }
    let key = ev.key();
    let presenting = store.presenting.get_untracked();
    let in_bar = document().active_element().and_then(|e| e.closest(".walk-bar").ok().flatten()).is_some();
    let delta = match key.as_str() {
        "." => 1,
        "," => -1,
        "ArrowRight" | " " | "PageDown" if presenting => 1,
        "ArrowLeft" | "PageUp" if presenting => -1,
        "ArrowRight" if in_bar => 1,
        "ArrowLeft" if in_bar => -1,
        "Escape" if presenting => {
            store.presenting.set(false);
            store.walk_playing.set(false);
            return true;
        }
        _ => return false,
    };
    ev.prevent_default();
    if presenting {
        present_step(store, delta);
    } else {
        store.walk_playing.set(false);
        step(store, delta);
    }
    true
}

/// The timer that plays the walk: while `walk_playing`, one step every [`PLAY_EVERY`], stopping at
/// the end or where the packet stops (a block). Mounted once by the app.
#[component]
pub fn WalkTimer() -> impl IntoView {
    let store = use_store();
    // Dropping the interval stops it: on a change of `walk_playing`, and with this component.
    let handle = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        let playing = store.walk_playing.get();
        handle.set_value(None);
        if playing {
            let every = PLAY_EVERY.as_millis() as u32;
            handle.set_value(Some(gloo_timers::callback::Interval::new(every, move || {
                let here = store.walk_index_untracked();
                let stops = store.with_walk_packet_untracked(|p| p.stops).unwrap_or(true);
                if here.is_none() || stops || !step(store, 1) {
                    store.walk_playing.set(false);
                }
            })));
        }
    });
}

/// Where the walk is, in words: "Hop 2 of 3: NAT gateway NAT gateway of acme-prod".
fn position(store: Store) -> Option<String> {
    let i = store.walk_index()?;
    let p = store.walk_packet()?;
    store.trace.with(|t| {
        let t = t.as_ref()?;
        let h = t.hops.get(p.hop)?;
        let name = store.checked.with(|c| render::component(&c.model, &h.component));
        Some(format!("{}: {name}", render::walk_position(&p, i, t.hops.len())))
    })
}

/// The walk's controls, over the canvas: back, play or pause, forward, and where the walk is.
#[component]
pub fn WalkBar() -> impl IntoView {
    let store = use_store();
    let n = move || store.walk.with(|w| w.as_ref().map_or(0, |w| w.len()));
    let index = move || store.walk_index();
    let position = move || position(store).unwrap_or_else(|| "Step through the packet's walk".to_owned());
    view! {
        <Show when=move || { n() > 0 }>
            <div class="walk-bar" data-testid="walk" role="toolbar" aria-label="The packet's walk (, and . step; arrow keys when here)">
                <button type="button" data-testid="packet-prev" title="Previous hop (,)" aria-label="Previous hop"
                    disabled=move || index().is_none_or(|i| i == 0)
                    on:click=move |_| { store.walk_playing.set(false); step(store, -1); }>"\u{25C0}"</button>
                <button type="button" data-testid="packet-play" title="Play the packet's walk"
                    aria-pressed=move || store.walk_playing.get().to_string()
                    on:click=move |_| toggle_play(store)>
                    {move || if store.walk_playing.get() { "\u{275A}\u{275A} Pause" } else { "\u{25B6} Play" }}
                </button>
                <button type="button" data-testid="packet-next" title="Next hop (.)" aria-label="Next hop"
                    disabled=move || index().is_some_and(|i| i + 1 >= n())
                    on:click=move |_| { store.walk_playing.set(false); step(store, 1); }>"\u{25B6}\u{2759}"</button>
                <span class="walk-position" data-testid="walk-position" aria-live="polite">{position}</span>
                <Show when=move || index().is_some()>
                    <button type="button" class="link" data-testid="packet-stop" title="Leave the walk and show the whole path"
                        on:click=move |_| { store.walk_playing.set(false); store.walk_at.set(None); }>"Whole path"</button>
                </Show>
            </div>
        </Show>
    }
}

/// Presentation mode's caption: the question and the verdict, and the packet where the walk is.
#[component]
pub fn PresentCaption() -> impl IntoView {
    let store = use_store();
    let question =
        move || store.trace.with(|t| t.as_ref().map(|t| store.checked.with(|c| render::question(&c.model, &t.query))));
    let verdict = move || store.trace.with(|t| t.as_ref().map(|t| t.verdict));
    let packet = move || {
        store.walk_packet().map(|p| {
            let mut text = render::packet_label(&p);
            let notes = render::packet_notes(&p);
            if !notes.is_empty() {
                text = format!("{text} \u{2014} {}", notes.join("; "));
            }
            match position(store) {
                Some(at) => format!("{at} \u{2014} {text}"),
                None => text,
            }
        })
    };
    view! {
        <Show when=move || store.presenting.get()>
            <div class="present-caption" data-testid="present-caption">
                <p class="present-question">
                    {move || verdict().map(|v| {
                        let ok = v == Verdict::Connected;
                        view! {
                            <span class=if ok { "verdict ok" } else { "verdict bad" } data-testid="present-verdict">
                                {if ok { "\u{2714} connected" } else { "\u{2716} blocked" }}
                            </span>
                        }
                    })}
                    " "
                    <span data-testid="present-question">{move || question().unwrap_or_else(|| "Ask a question to see its answer.".to_owned())}</span>
                </p>
                <p class="present-packet" data-testid="present-packet">{move || packet().unwrap_or_default()}</p>
                <button type="button" class="present-exit" data-testid="present-exit" title="Leave presentation mode (Escape)"
                    on:click=move |_| { store.presenting.set(false); store.walk_playing.set(false); }>"Exit (Esc)"</button>
            </div>
        </Show>
    }
}
