//! The page shell: top bar, palette, canvas, inspector and question panel, diagnostics; keyboard
//! shortcuts; notices.

use leptos::prelude::*;
use spacetrace_engine::doc::{Document, Position};
use spacetrace_engine::render;
use spacetrace_engine::trace::Trace;
use wasm_bindgen::JsCast;

use crate::canvas::Canvas;
use crate::cidr_probe::CidrProbe;
use crate::connectivity::Connectivity;
use crate::diagnostics::Diagnostics;
use crate::edit::Edit;
use crate::examples::{EXAMPLES, empty_document, example, load};
use crate::files::Incoming;
use crate::inspector::Inspector;
use crate::layout::layout;
use crate::listen::on_window;
use crate::menu::{Dialogs, FileDrop, ScenarioMenu, Ui, clear_fragment, link_incoming, open_example, receive};
use crate::palette::Palette;
use crate::persist::{
    Library, Origin, STATUS_ID, autosave, remember_draft, remember_settings, restore_draft, settings,
};
use crate::question::{QuestionPanel, SavedQuestions};
use crate::share;
use crate::store::{Draft, Notice, Shared, Store, Theme};
use crate::walk::{PresentCaption, WalkTimer};

/// The CIDR shown in the address tool: the default Private Space CIDR (rule PS-CIDRS).
pub const DEFAULT_CIDR: &str = "10.0.0.0/16";

/// The ID of the loading indicator in `index.html`, removed when the app starts.
pub const LOADING_ID: &str = "loading";

/// Replace the open scenario's document with another (an example, or a new empty one) as one
/// undoable step, in the same library entry.
pub fn open_document(store: &Store, doc: Document) {
    let draft = Draft::first_of(&doc);
    if store.apply(Edit::Replace(Box::new(doc))) {
        store.selection.set(Vec::new());
        store.viewport.set(None);
        store.picking.set(None);
        store.draft.set(draft);
    }
}

fn typing_in_field() -> bool {
    let Some(el) = document().active_element() else { return false };
    matches!(el.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select")
}

fn on_key(store: Store, ev: web_sys::KeyboardEvent) {
    let ctrl = ev.ctrl_key() || ev.meta_key();
    let key = ev.key();
    // A modal dialog or the open Scenario menu handles its own keys.
    if document().query_selector("dialog[open], #scenario-panel").ok().flatten().is_some() {
        return;
    }
    if typing_in_field() {
        if key == "Escape"
            && let Some(el) = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.blur();
        }
        return;
    }
    // The packet's walk and presentation mode take their keys first (`walk::on_key`).
    if crate::walk::on_key(store, &ev) {
        return;
    }
    match key.as_str() {
        "z" | "Z" if ctrl && ev.shift_key() => {
            ev.prevent_default();
            store.redo();
        }
        "z" | "Z" if ctrl => {
            ev.prevent_default();
            store.undo();
        }
        "y" | "Y" if ctrl => {
            ev.prevent_default();
            store.redo();
        }
        "Delete" | "Backspace" => {
            let sel = store.selection.get_untracked();
            if !sel.is_empty() {
                ev.prevent_default();
                store.apply(Edit::Delete(sel));
            }
        }
        "Escape" => {
            store.picking.set(None);
            store.notice.set(None);
            store.selection.set(Vec::new());
        }
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
            let sel = store.selection.get_untracked();
            let step = if ev.shift_key() { 50.0 } else { 10.0 };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                _ => (0.0, step),
            };
            let geometry = store.doc.with_untracked(|d| layout(d, None));
            let moves: Vec<Edit> = sel
                .iter()
                .filter_map(|id| geometry.region(id))
                .map(|r| Edit::Move { id: r.id.clone(), to: Position { x: r.x + dx, y: r.y + dy } })
                .collect();
            if !moves.is_empty() {
                ev.prevent_default();
                store
                    .viewport
                    .set(Some(store.viewport.get_untracked().unwrap_or_else(|| crate::canvas::fit_view(&geometry))));
                for m in moves {
                    store.apply(m);
                }
            }
        }
        _ => {}
    }
}

/// What the page opens with: a share link in the address wins (as a new library entry), else the
/// scenario open last time, else the default example. A link that cannot be opened as it is
/// leaves something to show once the page is up.
fn start() -> (Library, Document, Origin, Option<Incoming>) {
    let hash = window().location().hash().unwrap_or_default();
    let mut pending = None;
    let mut given = None;
    if share::is_share(&hash) {
        clear_fragment();
        match link_incoming(&hash) {
            Some(Incoming::Open(doc)) => given = Some(doc),
            other => pending = other,
        }
    }
    let (library, doc, origin) = Library::start(given);
    (library, doc, origin, pending)
}

#[component]
pub fn App() -> impl IntoView {
    // The page shows a loading indicator until now (index.html).
    if let Some(loading) = document().get_element_by_id(LOADING_ID) {
        loading.remove();
    }
    // A lesson link opens once the page is up (`lessons.rs`).
    let lesson_hash = window().location().hash().unwrap_or_default();
    let (library, doc, origin, pending) = start();
    let draft = restore_draft(&library.current.get_untracked(), &doc);
    let store = Store::new(doc);
    store.draft.set(draft);
    store.large_text.set(settings().large_text);
    let ui = Ui::default();
    provide_context(store);
    provide_context(library);
    provide_context(ui);
    let lessons = crate::lessons::Lessons::default();
    provide_context(lessons);
    // In presentation mode, the keys step an open lesson's steps first, then the packet's walk.
    store.stepper.set_value(Some(Callback::new(move |delta: i32| lessons.step_by(delta as isize))));
    autosave(store, library);
    crate::tabs::watch_other_tabs(library);
    remember_draft(store, library);
    remember_settings(store);
    if origin == Origin::Given {
        let name = store.doc.with_untracked(|d| d.name.clone());
        store.notice.set(Some(Notice::Info(format!(
            "Opened the shared scenario \u{201c}{name}\u{201d}. It is now in your library (Scenario menu)."
        ))));
    }
    if let Some(incoming) = pending {
        receive(&store, &library, &ui, incoming, "the link");
    }
    if crate::lessons::is_lesson_link(&lesson_hash) {
        clear_fragment();
        crate::lessons::open_link(&store, &library, &ui, &lessons, &lesson_hash);
    }

    on_window("keydown", move |ev: &web_sys::KeyboardEvent| on_key(store, ev.clone()));
    // A share link pasted into the address bar of an open page changes only the fragment.
    on_window("hashchange", move |_: &web_sys::Event| {
        let fragment = window().location().hash().unwrap_or_default();
        if share::is_share(&fragment) {
            clear_fragment();
            if let Some(incoming) = link_incoming(&fragment) {
                ui.menu_open.set(false);
                receive(&store, &library, &ui, incoming, "the link");
            }
        } else if crate::lessons::is_lesson_link(&fragment) {
            clear_fragment();
            ui.menu_open.set(false);
            crate::lessons::open_link(&store, &library, &ui, &lessons, &fragment);
        }
    });

    let theme_class = move || match store.theme.get() {
        Theme::System => "app theme-system",
        Theme::Light => "app theme-light",
        Theme::Dark => "app theme-dark",
    };

    // The answer is shown from its top whenever a question is asked (from the lists, the canvas,
    // a saved question) or the answer changes (an edit, an applied fix): the question zone
    // scrolls back so the verdict and the blocking step are in view. These effects push outward
    // only (the scroll position).
    let ask_zone = NodeRef::<leptos::html::Div>::new();
    let show_answer = move || {
        if let Some(zone) = ask_zone.get_untracked() {
            zone.set_scroll_top(0);
        }
    };
    Effect::new(move |first: Option<()>| {
        store.draft.track();
        if first.is_some() {
            show_answer();
        }
    });
    Effect::new(move |before: Option<Option<Shared<Trace>>>| {
        let now = store.trace.get();
        if before.is_some_and(|b| b.as_deref() != now.as_deref()) {
            show_answer();
        }
        now
    });

    view! {
        <div class=theme_class class:large-text=move || store.large_text.get() class:presenting=move || store.presenting.get() data-testid="app">
            <WalkTimer />
            <TopBar />
            <div class="workspace" class:palette-closed=move || !store.palette_open.get() || store.matrix_open.get()>
                <Palette />
                <main class="centre">
                    <Canvas />
                    <PresentCaption />
                    <Connectivity />
                    <Diagnostics />
                </main>
                <aside class="side" aria-label="Questions and inspector">
                    // The question and its answer come first and keep their place whatever is
                    // selected: the verdict, the blocking step and the first fix stay on screen
                    // at 1280x800. The inspector sits below, as tall as it needs up to a cap,
                    // and the two scroll apart.
                    <div class="side-ask" node_ref=ask_zone>
                        <crate::lessons::LessonPanel />
                        <QuestionPanel />
                        <SavedQuestions />
                        <details class="panel tool">
                            <summary>"Address calculator"</summary>
                            <CidrProbe initial=DEFAULT_CIDR />
                        </details>
                    </div>
                    <div class="side-inspect">
                        <Inspector />
                    </div>
                </aside>
            </div>
            <NoticeView />
            <crate::tabs::OtherTab />
            <Dialogs />
            <crate::lessons::CourseDialog />
            <crate::authoring::AuthoringDialog />
            <FileDrop />
        </div>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let store = crate::store::use_store();
    let library = crate::menu::use_library();
    view! {
        <header class="topbar" data-testid="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"\u{25C8}"</span>
                <h1>"Spacetrace"</h1>
            </div>
            <label class="sr-only" for="scenario-name">"Scenario name"</label>
            <input id="scenario-name" class="scenario-name" data-testid="scenario-name" type="text"
                prop:value=move || store.doc.with(|d| d.name.clone())
                on:change=move |ev| { store.apply(Edit::Rename(event_target_value(&ev))); } />
            <label class="sr-only" for="examples">"Open an example"</label>
            <select id="examples" data-testid="examples" on:change=move |ev| {
                let v = event_target_value(&ev);
                if v == "new" {
                    open_example(&store, &library, empty_document());
                } else if let Some(document) = example(&v) {
                    open_example(&store, &library, document);
                }
                if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                    sel.set_value("");
                }
            }>
                <option value="" selected=true>"Open\u{2026}"</option>
                <option value="new">"New empty network"</option>
                <optgroup label="Examples">
                    {EXAMPLES.iter().map(|(name, text)| {
                        let title = load(text).name;
                        view! { <option value=*name>{title}</option> }
                    }).collect_view()}
                </optgroup>
            </select>
            <ScenarioMenu />
            <crate::lessons::LessonsButton />
            <span id=STATUS_ID class="save-status" data-testid="save-status" aria-live="polite"></span>
            <div class="spacer"></div>
            // Each button is a glyph and a label; a narrow top bar with large text keeps the
            // glyphs and leaves the labels to screen readers (style/panel.css).
            <button type="button" data-testid="undo" title="Undo (Ctrl+Z)" disabled=move || !store.can_undo() on:click=move |_| store.undo()>
                <span aria-hidden="true">"\u{21B6}"</span><span class="label">" Undo"</span>
            </button>
            <button type="button" data-testid="redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !store.can_redo() on:click=move |_| store.redo()>
                <span aria-hidden="true">"\u{21B7}"</span><span class="label">" Redo"</span>
            </button>
            <button type="button" class="toggle" data-testid="matrix-open" title="Every source against every destination service, live (the whole network at a glance)"
                aria-pressed=move || store.matrix_open.get().to_string()
                on:click=move |_| store.matrix_open.update(|o| *o = !*o)>
                <span aria-hidden="true">"\u{25A6}"</span><span class="label">" Connectivity"</span>
            </button>
            <button type="button" data-testid="palette-toggle" title="Show or hide the palette (more room for the canvas on a projector)"
                aria-pressed=move || store.palette_open.get().to_string()
                on:click=move |_| store.palette_open.update(|o| *o = !*o)>
                <span aria-hidden="true">"\u{25E7}"</span>
                <span class="label">{move || if store.palette_open.get() { " Hide palette" } else { " Show palette" }}</span>
            </button>
            <button type="button" class="toggle" data-testid="large-text" title="Larger text in the side panel and the top bar, for a projector"
                aria-pressed=move || store.large_text.get().to_string()
                on:click=move |_| store.large_text.update(|on| *on = !*on)>
                <span aria-hidden="true">"A\u{207A}"</span><span class="label">" Large text"</span>
            </button>
            <button type="button" class="toggle" data-testid="present" title="Presentation mode: the canvas full screen with large type, the question and verdict as a caption; arrow keys and Space step through the packet's walk; Escape leaves"
                aria-pressed=move || store.presenting.get().to_string()
                on:click=move |_| { store.viewport.set(None); store.presenting.update(|on| *on = !*on); }>
                <span aria-hidden="true">"\u{25A3}"</span><span class="label">" Present"</span>
            </button>
            <button type="button" data-testid="theme" title="Theme: follow the system, light or dark"
                on:click=move |_| store.theme.update(|t| *t = match t { Theme::System => Theme::Light, Theme::Light => Theme::Dark, Theme::Dark => Theme::System })>
                <span aria-hidden="true">{move || match store.theme.get() { Theme::System => "\u{25D0}", Theme::Light => "\u{263C}", Theme::Dark => "\u{263E}" }}</span>
                <span class="label">{move || match store.theme.get() { Theme::System => " System", Theme::Light => " Light", Theme::Dark => " Dark" }}</span>
            </button>
        </header>
    }
}

#[component]
fn NoticeView() -> impl IntoView {
    let store = crate::store::use_store();
    view! {
        {move || store.notice.get().map(|n| {
            let (text, rules, refused) = match &n {
                Notice::Refused(r) => (render::refusal(r), r.rules.clone(), true),
                Notice::Info(t) => (t.clone(), Vec::new(), false),
            };
            let explain = rules.first().map(|r| r.info().summary);
            view! {
                <div class="notice" class:refused=refused role="alert" data-testid="notice">
                    <p>
                        <strong>{if refused { "\u{2716} The platform refuses this. " } else { "" }}</strong>
                        {text}
                    </p>
                    {(!rules.is_empty()).then(|| view! {
                        <p class="notice-rules">
                            {rules.iter().map(|r| view! { <span class="chip-static" data-testid="notice-rule">{r.as_str()}</span> }).collect_view()}
                            " "
                            {explain}
                        </p>
                    })}
                    <button type="button" class="link" data-testid="notice-close" on:click=move |_| store.notice.set(None)>"Dismiss"</button>
                </div>
            }
        })}
    }
}
