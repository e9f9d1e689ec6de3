//! Window event listeners (`gloo-events`) that live as long as the component that adds them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Call `handler` with each `event` the window receives (as `E`, the event's type), until the
/// calling component is cleaned up. The handler may prevent the browser's default action.
pub fn on_window<E: JsCast + 'static>(event: &'static str, mut handler: impl FnMut(&E) + 'static) {
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    let listener =
        gloo_events::EventListener::new_with_options(&window(), event, options, move |e| handler(e.unchecked_ref()));
    // Owned by the component: dropped (and so removed from the window) with it.
    StoredValue::new_local(listener);
}
