//! Persistence in headless Chromium (wasm-bindgen-test): the share-link codec and its limits,
//! and the library in localStorage. (Incoming files are classified by `spacetrace-files`, tested
//! natively there.)
#![cfg(target_arch = "wasm32")]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use leptos::prelude::*;
use spacetrace_app::examples::{EXAMPLES, load};
use spacetrace_app::files::export_text;
use spacetrace_app::persist::{INDEX_KEY, Library, Origin, read_index, scenario_key};
use spacetrace_app::share::{self, MAX_FRAGMENT_READ, MAX_LINK_CHARS, ShareError};
use spacetrace_app::store::Store;
use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::doc::{self, Document};
use wasm_bindgen_test::*;

mod common;
use common::tick;

wasm_bindgen_test_configure!(run_in_browser);

const BASE: &str = "https://teaching.example.org/courses/networking/spacetrace/index.html";

fn packed(bytes: &[u8]) -> String {
    format!("#{}{}", share::PREFIX, URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 6)))
}

/// A scenario whose names do not compress: `n` internet clients with pseudo-random names.
fn incompressible(n: usize) -> Document {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let internet_clients = (0..n)
        .map(|i| doc::InternetClient {
            id: format!("c{i}-{:016x}", next()),
            name: format!("{:016x}{:016x}", next(), next()),
            cidr: format!("198.51.{}.{}/32", i / 250, i % 250),
            ..Default::default()
        })
        .collect();
    Document { version: Some(1), name: "Large".into(), internet_clients, ..Default::default() }
}

#[wasm_bindgen_test]
fn every_example_survives_a_share_link_exactly_and_fits_the_limit() {
    for (name, text) in EXAMPLES {
        let doc = load(text);
        let url = share::link(BASE, &doc).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(url.len() <= MAX_LINK_CHARS, "{name}: {}", url.len());
        let fragment = &url[url.find('#').unwrap()..];
        assert!(share::is_share(fragment));
        let back = share::read(fragment).unwrap().unwrap();
        assert_eq!(back, doc, "{name}");
        assert_eq!(export_text(&back), export_text(&doc), "{name}");
    }
}

#[wasm_bindgen_test]
fn a_scenario_too_large_for_a_link_is_refused_with_its_length() {
    let doc = incompressible(400);
    match share::link(BASE, &doc) {
        Err(ShareError::TooLong { chars, max }) => {
            assert!(chars > MAX_LINK_CHARS);
            assert_eq!(max, MAX_LINK_CHARS);
            let message = ShareError::TooLong { chars, max }.message();
            assert!(message.contains("8,000") && message.contains("Export it as a JSON file"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // A small one of the same kind fits.
    assert!(share::link(BASE, &incompressible(5)).is_ok());
}

#[wasm_bindgen_test]
fn bad_links_give_the_reason() {
    assert_eq!(share::read("#somewhere-in-the-page"), None);
    assert_eq!(share::read(""), None);
    assert_eq!(share::read("#s1=not base64!"), Some(Err(ShareError::BadCharacters)));
    // Valid base64url, but not DEFLATE data; and a real link cut short.
    assert_eq!(share::read("#s1=_____________w"), Some(Err(ShareError::Damaged)));
    let whole = share::fragment(&load(EXAMPLES[0].1));
    let cut = &whole[..whole.len() / 2];
    assert_eq!(share::read(cut), Some(Err(ShareError::Damaged)));
    // A small link that unpacks to more than the engine reads stops at the limit.
    let bomb = packed(&vec![b' '; MAX_DOCUMENT_BYTES + 10]);
    assert!(bomb.len() < MAX_FRAGMENT_READ, "{}", bomb.len());
    assert_eq!(share::read(&bomb), Some(Err(ShareError::TooLarge { max: MAX_DOCUMENT_BYTES })));
    assert_eq!(share::read(&packed(&[0xff, 0xfe, 0x00])), Some(Err(ShareError::NotText)));
    let long = format!("#s1={}", "A".repeat(MAX_FRAGMENT_READ + 1));
    assert!(matches!(share::read(&long), Some(Err(ShareError::FragmentTooLong { .. }))));
    match share::read(&packed(b"[1, 2, 3]")) {
        Some(Err(e @ ShareError::Document(_))) => {
            assert!(e.message().starts_with("This is not a Spacetrace scenario"), "{}", e.message())
        }
        other => panic!("{other:?}"),
    }
    for e in [ShareError::BadCharacters, ShareError::Damaged, ShareError::NotText] {
        assert!(e.message().contains("damaged"), "{}", e.message());
    }
}

fn clear_storage() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

fn stored(key: &str) -> Option<String> {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(key).unwrap()
}

#[wasm_bindgen_test]
async fn the_library_adds_renames_duplicates_and_deletes_and_autosave_follows_edits() {
    clear_storage();
    // Mounting starts Leptos's task executor, which effects need.
    let host = web_sys::window().unwrap().document().unwrap().create_element("div").unwrap();
    leptos::mount::mount_to(wasm_bindgen::JsCast::unchecked_into(host), || ()).forget();
    let owner = Owner::new();
    owner.set();
    let (library, doc, origin) = Library::start(None);
    assert_eq!(origin, Origin::Default);
    assert_eq!(doc, load(EXAMPLES[0].1));
    let store = Store::new(doc);
    spacetrace_app::persist::autosave(store, library);
    let first = library.current.get_untracked();
    assert!(stored(&scenario_key(&first)).is_some(), "the first scenario is stored at once");

    store.apply(spacetrace_app::edit::Edit::Rename("Lesson 1".into()));
    tick().await;
    assert!(stored(&scenario_key(&first)).unwrap().contains("\"Lesson 1\""));
    assert!(stored(INDEX_KEY).unwrap().contains("\"Lesson 1\""));

    // A new scenario is added; the first keeps its content and its undo history.
    library.add_and_open(&store, spacetrace_app::examples::empty_document());
    let second = library.current.get_untracked();
    assert_ne!(second, first);
    assert!(!store.can_undo());
    library.rename(&store, &first, "Lesson one").unwrap();
    assert!(stored(&scenario_key(&first)).unwrap().contains("\"Lesson one\""));
    library.duplicate(&store, &first).unwrap();
    let names: Vec<String> = library.entries.get_untracked().iter().map(|e| e.name.clone()).collect();
    assert_eq!(names, ["Lesson one", "Lesson one (copy)", "Untitled network"]);
    assert_eq!(store.doc.with_untracked(|d| d.name.clone()), "Lesson one (copy)");

    library.open(&store, &first).unwrap();
    assert!(store.can_undo(), "switching back restores the scenario's own history");
    store.undo();
    assert_eq!(store.doc.with_untracked(|d| d.name.clone()), load(EXAMPLES[0].1).name);
    store.redo();

    // Deleting the open scenario opens its neighbour; deleting the last leaves a new empty one.
    library.delete(&store, &first);
    assert!(stored(&scenario_key(&first)).is_none());
    assert_eq!(store.doc.with_untracked(|d| d.name.clone()), "Lesson one (copy)");
    for id in library.entries.get_untracked().iter().map(|e| e.id.clone()).collect::<Vec<_>>() {
        library.delete(&store, &id);
    }
    let left = library.entries.get_untracked();
    assert_eq!(left.len(), 1);
    assert_eq!(store.doc.with_untracked(|d| d.name.clone()), "Untitled network");
    tick().await;

    // A lost index is rebuilt from the stored scenarios, and the last open one opens again.
    let index = read_index();
    assert_eq!(index.current.as_deref(), Some(left[0].id.as_str()));
    web_sys::window().unwrap().local_storage().unwrap().unwrap().remove_item(INDEX_KEY).unwrap();
    assert_eq!(read_index().entries, left);
    let (again, doc, origin) = Library::start(None);
    assert_eq!(origin, Origin::LastOpen);
    assert_eq!(doc.name, "Untitled network");
    assert_eq!(again.entries.get_untracked(), left);
    clear_storage();
    owner.unset();
}

#[wasm_bindgen_test]
fn a_given_scenario_is_added_without_overwriting_anything() {
    clear_storage();
    let owner = Owner::new();
    owner.set();
    let (first, _, _) = Library::start(None);
    let before = first.entries.get_untracked();
    let shared = load(EXAMPLES[3].1);
    let (library, doc, origin) = Library::start(Some(shared.clone()));
    assert_eq!(origin, Origin::Given);
    assert_eq!(doc, shared);
    let after = library.entries.get_untracked();
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[..before.len()], before[..]);
    clear_storage();
    owner.unset();
}
