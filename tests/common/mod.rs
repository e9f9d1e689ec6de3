//! Helpers shared by the browser tests (wasm-bindgen-test in headless Chromium).
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::Element;

/// Leptos updates the DOM asynchronously: wait one macrotask.
pub async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback(&resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A fresh container at the end of the page.
pub fn host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

pub fn find(host: &Element, test_id: &str) -> Option<Element> {
    host.query_selector(&format!("[data-testid='{test_id}']")).unwrap()
}

pub fn text(host: &Element, test_id: &str) -> String {
    find(host, test_id).and_then(|e| e.text_content()).unwrap_or_default()
}

/// Dispatch a plain event and let the DOM update.
pub async fn fire(el: &Element, kind: &str) {
    el.dispatch_event(&web_sys::Event::new(kind).unwrap()).unwrap();
    tick().await;
}

/// Set an input's value and dispatch `input`, as typing does.
pub async fn type_into(el: &Element, value: &str) {
    el.unchecked_ref::<web_sys::HtmlInputElement>().set_value(value);
    fire(el, "input").await;
}
