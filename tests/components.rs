//! Component tests in headless Chromium (wasm-bindgen-test): the app shell with its default
//! example, the inspector's validated text field, and a blocked answer's plan.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use spacetrace_app::App;
use spacetrace_app::fields::{TextField, cidr_text};
use spacetrace_app::question::QuestionPanel;
use spacetrace_app::store::{Draft, Store};
use spacetrace_engine::doc::{From, Protocol, To};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

mod common;
use common::{find, fire, host, text, tick};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_app_opens_on_the_default_example_with_its_first_question_answered() {
    let host = host();
    mount_to(host.clone().unchecked_into(), App).forget();
    tick().await;
    assert!(find(&host, "region-acme-prod").is_some());
    assert!(find(&host, "card-warehouse").is_some());
    assert!(find(&host, "edge-pcx-111aaa111").is_some());
    let verdict = find(&host, "verdict").unwrap();
    assert_eq!(verdict.get_attribute("data-verdict").as_deref(), Some("blocked"));
    assert!(text(&host, "hops").contains("PEER-ROUTE"));
    assert!(find(&host, "path-block").is_some());

    // Applying the suggested route moves the answer on at once.
    let apply = find(&host, "apply-fix").unwrap();
    apply.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert!(!text(&host, "hops").contains("no route for"), "{}", text(&host, "hops"));
    host.remove();
}

#[wasm_bindgen_test]
async fn a_text_field_explains_bad_input_and_commits_only_valid_values() {
    let host = host();
    let value = RwSignal::new("10.0.0.0/16".to_owned());
    let committed = RwSignal::new(Vec::<String>::new());
    mount_to(host.clone().unchecked_into(), move || {
        view! {
            <TextField label="Space CIDR" test_id="cidr" value=Signal::derive(move || value.get()) validate=cidr_text
                commit=Callback::new(move |v: String| { committed.update(|c| c.push(v.clone())); value.set(v); }) />
        }
    })
    .forget();
    tick().await;
    let input: HtmlInputElement = find(&host, "cidr").unwrap().unchecked_into();
    assert_eq!(input.value(), "10.0.0.0/16");

    input.set_value("10.0.0.300/16");
    fire(&input, "input").await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(text(&host, "cidr-error"), "\u{2716} \u{201c}10.0.0.300\u{201d} is not an IPv4 or IPv6 address.");
    fire(&input, "change").await;
    assert!(committed.get_untracked().is_empty(), "an invalid value must not be committed");

    input.set_value("10.20.0.0/16");
    fire(&input, "input").await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    fire(&input, "change").await;
    assert_eq!(committed.get_untracked(), vec!["10.20.0.0/16".to_owned()]);
    host.remove();
}

/// A question blocked by three things (limits.json: retail-sync's worker has no peering to
/// analytics-vpc, whose route table and security group know nothing of the space): the answer
/// lists the two later blockers and a plan of three changes; "Apply all" connects the question
/// as one edit, which one undo takes back whole.
#[wasm_bindgen_test]
async fn a_blocked_answer_shows_its_plan_and_apply_all_is_one_undo_step() {
    let host = host();
    let owner = Owner::new();
    owner.set();
    let store = Store::new(spacetrace_app::examples::example("limits").unwrap());
    store.draft.set(Draft {
        from: Some(From::Dyno { app: "sync".into(), process: "worker".into() }),
        to: Some(To::Host("analytics-db".into())),
        protocol: Protocol::Tcp,
        port: 5432,
    });
    mount_to(host.clone().unchecked_into(), move || {
        provide_context(store);
        view! { <QuestionPanel /> }
    })
    .forget();
    tick().await;
    let verdict = || find(&host, "verdict").and_then(|v| v.get_attribute("data-verdict"));
    let count = |id: &str| host.query_selector_all(&format!("[data-testid='{id}']")).unwrap().length();
    assert_eq!(verdict().as_deref(), Some("blocked"));
    assert!(text(&host, "blocking-step").contains("PEER-ACCEPTED"));
    assert_eq!(count("plan-blocker"), 2);
    assert!(text(&host, "plan").starts_with("Also blocking once that is fixed:"), "{}", text(&host, "plan"));
    assert_eq!(count("plan-fix"), 3);
    assert_eq!(text(&host, "plan-outcome"), "Applied together, in this order, these 3 changes connect the question.");
    assert!(!store.can_undo());

    find(&host, "apply-all").unwrap().unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert_eq!(verdict().as_deref(), Some("connected"));
    assert!(find(&host, "plan").is_none());
    assert!(store.can_undo());

    store.undo();
    tick().await;
    assert_eq!(verdict().as_deref(), Some("blocked"));
    assert!(text(&host, "blocking-step").contains("PEER-ACCEPTED"));
    assert_eq!(count("plan-fix"), 3);
    assert!(!store.can_undo(), "the whole plan was one step");
    host.remove();
}

/// The packet's walk (issue 12, item 1) over the canvas and the trace view: a step lights the
/// same hop on both, the label follows, and in presentation mode a lesson player registered as
/// `Store::stepper` takes the keyboard's steps before the walk does (item 5's hook).
#[wasm_bindgen_test]
async fn the_walk_lights_one_hop_on_canvas_and_trace_and_a_lesson_can_take_the_keys() {
    let host = host();
    let owner = Owner::new();
    owner.set();
    let store = Store::new(spacetrace_app::examples::example("default").unwrap());
    store.draft.set(Draft {
        from: Some(From::Dyno { app: "api".into(), process: "worker".into() }),
        to: Some(To::External("partner-api".into())),
        protocol: Protocol::Tcp,
        port: 443,
    });
    mount_to(host.clone().unchecked_into(), move || {
        provide_context(store);
        view! { <spacetrace_app::canvas::Canvas /> <QuestionPanel /> }
    })
    .forget();
    tick().await;
    let lit = || {
        let canvas = host.query_selector("[data-testid='canvas'] [data-current='true']").unwrap();
        let trace = host.query_selector("[data-testid='hops'] [data-current='true']").unwrap();
        (canvas.and_then(|e| e.get_attribute("data-hop")), trace.and_then(|e| e.get_attribute("data-testid")))
    };
    assert_eq!(lit(), (None, None));
    let next = find(&host, "packet-next").unwrap();
    next.unchecked_ref::<web_sys::HtmlElement>().click();
    next.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert_eq!(lit(), (Some("2".into()), Some("hop-2".into())));
    assert!(text(&host, "packet-label").starts_with("52.1.2.3 or 52.1.2.4 \u{2192} api.partner.example TCP 443"));

    // Presentation mode: a lesson player takes the step, so the walk stays.
    let taken = RwSignal::new(Vec::<i32>::new());
    store.stepper.set_value(Some(Callback::new(move |d: i32| {
        taken.update(|t| t.push(d));
        true
    })));
    store.presenting.set(true);
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &"ArrowRight".into()).unwrap();
    let ctor = js_sys::Reflect::get(&web_sys::window().unwrap(), &"KeyboardEvent".into()).unwrap();
    let key: web_sys::KeyboardEvent = js_sys::Reflect::construct(
        ctor.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of2(&"keydown".into(), &init),
    )
    .unwrap()
    .unchecked_into();
    assert!(spacetrace_app::walk::on_key(store, &key));
    tick().await;
    assert_eq!(taken.get_untracked(), vec![1]);
    assert_eq!(lit().0.as_deref(), Some("2"));
    // With no lesson player, the walk takes it.
    store.stepper.set_value(None);
    assert!(spacetrace_app::walk::on_key(store, &key));
    tick().await;
    assert_eq!(lit(), (Some("3".into()), Some("hop-3".into())));
    host.remove();
}
