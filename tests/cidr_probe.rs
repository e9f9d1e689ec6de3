//! Component tests in headless Chromium (wasm-bindgen-test): mount `CidrProbe`, type, read the DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use spacetrace_app::CidrProbe;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

mod common;
use common::{find, text, tick};

wasm_bindgen_test_configure!(run_in_browser);

/// Mount the component into a fresh container and return the container.
async fn mount(initial: &'static str) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle =
        leptos::mount::mount_to(host.clone().unchecked_into(), move || view! { <CidrProbe initial=initial /> });
    handle.forget();
    tick().await;
    host
}

async fn type_into(host: &Element, value: &str) {
    let input: HtmlInputElement = find(host, "cidr-input").unwrap().unchecked_into();
    input.set_value(value);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    tick().await;
}

#[wasm_bindgen_test]
async fn shows_the_initial_block() {
    let host = mount("10.0.0.0/16").await;
    let result = text(&host, "cidr-result");
    assert!(result.contains("10.0.0.0/16"), "{result}");
    assert!(result.contains("65,536 addresses"), "{result}");
    assert!(text(&host, "cidr-badge").contains("private"));
    assert!(find(&host, "cidr-error").is_none());
}

#[wasm_bindgen_test]
async fn typing_updates_the_answer_and_errors_name_the_problem() {
    let host = mount("").await;
    assert_eq!(text(&host, "cidr-error"), "\u{2716} Enter a CIDR block, for example 10.0.0.0/16.");

    type_into(&host, "8.8.8.0/24").await;
    assert!(text(&host, "cidr-badge").contains("public"));
    assert!(text(&host, "cidr-result").contains("256 addresses"));

    type_into(&host, "10.1.0.0").await;
    assert_eq!(
        text(&host, "cidr-error"),
        "\u{2716} \u{201c}10.1.0.0\u{201d} has no prefix length: add one, for example 10.1.0.0/24."
    );
    let input = find(&host, "cidr-input").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(find(&host, "cidr-result").is_none());
}
