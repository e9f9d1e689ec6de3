//! The canvas: regions with their gates and cards, peering and VPN edges routed around regions,
//! and the answered path, one numbered stop per hop, in SVG. Geometry comes from the
//! `spacetrace-canvas` crate; this module draws it and handles gestures.
//!
//! Interaction state (an ongoing drag, pan or connection) lives here and never in the document:
//! a whole drag becomes one `Edit::Move` when the pointer is released, and a connection dragged
//! from one region to another becomes one `Edit::Peer`, `Edit::PeerVpcs` or `Edit::ConnectVpn`
//! (refused by the platform's policy where the platform refuses it).

use std::collections::HashMap;

use leptos::prelude::*;
pub use spacetrace_canvas::view::{PRESENT_SCALE, fit_view, present_view};
use spacetrace_canvas::{
    CARD_TEXT_X, CARD_W, CardKind, Gate, HEADER_H, Layout, PathView, Region, RegionKind, StopTarget, layout,
};
use spacetrace_engine::doc::{self, Position};
use spacetrace_engine::render;
use spacetrace_engine::trace::Verdict;
use spacetrace_engine::walk::Leg;
use wasm_bindgen::JsCast;

use crate::edit::{Edit, NewObject, connection};
use crate::store::{Notice, Pick, Store, ViewBox, use_store};
use spacetrace_edit::question::first_process;

/// An ongoing pointer gesture.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gesture {
    /// Moving a region: pointer start (canvas units), the offset so far, and the session's view
    /// before the gesture froze it (a click that moves nothing gives it back).
    Drag { start: (f64, f64), dx: f64, dy: f64, prior: ViewBox },
    /// Panning the view: pointer start (screen pixels), the view box at the start, how far the
    /// picture has moved so far (canvas units), and the view before. While the pointer moves the
    /// picture is shifted by a transform; the view box changes once, when the pointer is released.
    Pan { start: (f64, f64), view: (f64, f64, f64, f64), by: (f64, f64), prior: ViewBox },
    /// Dragging a connection out of a region: where the pointer is now (canvas units).
    Connect { to: (f64, f64), prior: ViewBox },
}

/// The view box: the session's, or one that fits everything.
fn view_box(store: &Store, l: &Layout, present: Memo<Option<(f64, f64, f64, f64)>>) -> (f64, f64, f64, f64) {
    store.viewport.get().or_else(|| present.get()).unwrap_or_else(|| fit_view(l))
}

/// The height of presentation mode's caption band (`.present-caption`, under the canvas).
pub const CAPTION_PX: f64 = 150.0;

fn window_size() -> (f64, f64) {
    let w = window();
    let px = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    (px(w.inner_width()), px(w.inner_height()))
}

/// Screen pixels → canvas units, for an SVG with `preserveAspectRatio="xMidYMid meet"`.
fn to_canvas(svg: &web_sys::Element, vb: (f64, f64, f64, f64), client: (f64, f64)) -> (f64, f64) {
    let r = svg.get_bounding_client_rect();
    let scale = (r.width() / vb.2).min(r.height() / vb.3).max(1e-6);
    let ox = (r.width() - vb.2 * scale) / 2.0;
    let oy = (r.height() - vb.3 * scale) / 2.0;
    (vb.0 + (client.0 - r.left() - ox) / scale, vb.1 + (client.1 - r.top() - oy) / scale)
}

fn screen_scale(svg: &web_sys::Element, vb: (f64, f64, f64, f64)) -> f64 {
    let r = svg.get_bounding_client_rect();
    (r.width() / vb.2).min(r.height() / vb.3).max(1e-6)
}

/// Make a card the question's source, if it can be one.
fn ask_from(store: &Store, id: &str, kind: CardKind) -> bool {
    let id = id.to_owned();
    let from = match kind {
        CardKind::App => {
            store.doc.with_untracked(|d| first_process(d, &id)).map(|process| doc::From::Dyno { app: id, process })
        }
        CardKind::Host => Some(doc::From::Host(id)),
        CardKind::RemoteHost => Some(doc::From::RemoteHost(id)),
        CardKind::Client => Some(doc::From::Client(id)),
        CardKind::Addon | CardKind::Service => None,
    };
    let Some(from) = from else { return false };
    store.draft.update(|d| d.from = Some(from));
    true
}

/// Make a card the question's destination, if it can be one.
fn ask_to(store: &Store, id: &str, kind: CardKind) -> bool {
    let id = id.to_owned();
    let to = match kind {
        CardKind::App => doc::To::Hostname(id),
        CardKind::Addon => doc::To::Addon(id),
        CardKind::Host => doc::To::Host(id),
        CardKind::RemoteHost => doc::To::RemoteHost(id),
        CardKind::Service => doc::To::External(id),
        CardKind::Client => return false,
    };
    crate::question::set_destination(store, to);
    true
}

/// Pick an end of the question from a clicked card, when picking.
fn pick(store: &Store, id: &str, kind: Option<CardKind>) -> bool {
    let Some(which) = store.picking.get_untracked() else { return false };
    let Some(kind) = kind else { return false };
    let done = match which {
        Pick::From => ask_from(store, id, kind),
        Pick::To => ask_to(store, id, kind),
    };
    if done {
        store.picking.set(None);
    }
    done
}

/// Connect two regions as a person asked by dragging, or say what can be connected.
fn connect(store: &Store, l: &Layout, from: &str, to: &str) {
    match connection(l, from, to) {
        Some(edit) => {
            store.apply(edit);
        }
        None if from == to => {}
        None => store.notice.set(Some(Notice::Info(
            "Drag from a VPC to a Private Space (or another VPC) to peer them, or from a remote network to a space to connect a VPN."
                .into(),
        ))),
    }
}

/// What a context menu is about.
#[derive(Debug, Clone, PartialEq)]
enum MenuTarget {
    Region(String),
    Card(String, CardKind),
    Gate(String),
    Edge(String),
}

/// An open context menu: its target and where it shows (pixels inside the canvas).
#[derive(Debug, Clone, PartialEq)]
struct Menu {
    target: MenuTarget,
    x: f64,
    y: f64,
}

/// One action of a context menu.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Select(String),
    AskFrom(String, CardKind),
    AskTo(String, CardKind),
    Apply(Edit),
    Delete(String),
}

fn menu_items(l: &Layout, d: &doc::Document, target: &MenuTarget) -> Vec<(String, Action)> {
    let mut items = Vec::new();
    match target {
        MenuTarget::Card(id, kind) => {
            if !matches!(kind, CardKind::Addon | CardKind::Service) {
                items.push(("Ask from here".to_owned(), Action::AskFrom(id.clone(), *kind)));
            }
            if *kind != CardKind::Client {
                items.push(("Ask to here".to_owned(), Action::AskTo(id.clone(), *kind)));
            }
            items.push(("Select and edit".to_owned(), Action::Select(id.clone())));
            items.push(("Delete".to_owned(), Action::Delete(id.clone())));
        }
        MenuTarget::Region(id) => {
            items.push(("Select and edit".to_owned(), Action::Select(id.clone())));
            let Some(r) = l.region(id) else { return items };
            match r.kind {
                RegionKind::Cedar | RegionKind::CedarShield | RegionKind::Fir => {
                    items.push((
                        "Add an app here".to_owned(),
                        Action::Apply(Edit::Add(NewObject::App { space: Some(id.clone()), internal_routing: false })),
                    ));
                }
                RegionKind::CommonRuntime => items.push((
                    "Add an app here".to_owned(),
                    Action::Apply(Edit::Add(NewObject::App { space: None, internal_routing: false })),
                )),
                RegionKind::Vpc => {
                    items.push(("Add a host".to_owned(), Action::Apply(Edit::Add(NewObject::Host { vpc: id.clone() }))))
                }
                RegionKind::Remote => items.push((
                    "Add a host".to_owned(),
                    Action::Apply(Edit::Add(NewObject::RemoteHost { remote: id.clone() })),
                )),
                RegionKind::Internet => {
                    items.push(("Add a client".to_owned(), Action::Apply(Edit::Add(NewObject::Client))));
                    items.push(("Add a service".to_owned(), Action::Apply(Edit::Add(NewObject::Service))));
                }
            }
            for other in &l.regions {
                if let Some(edit) = connection(l, id, &other.id) {
                    let verb = match &edit {
                        Edit::ConnectVpn { .. } => "Connect a VPN to",
                        _ => "Peer with",
                    };
                    items.push((format!("{verb} {}", other.name), Action::Apply(edit)));
                }
            }
            if !matches!(r.kind, RegionKind::Internet | RegionKind::CommonRuntime) {
                items.push(("Delete".to_owned(), Action::Delete(id.clone())));
            }
        }
        MenuTarget::Gate(id) => {
            if let Some(g) = l.gate(id) {
                items.push((format!("Open {} in the inspector", g.label), Action::Select(g.select.clone())));
            }
        }
        MenuTarget::Edge(id) => {
            items.push(("Select and edit".to_owned(), Action::Select(id.clone())));
            if d.peerings.iter().any(|p| p.id == *id)
                || d.vpns.iter().any(|v| v.id == *id)
                || d.vpc_peerings.iter().any(|p| p.id == *id)
            {
                items.push(("Delete".to_owned(), Action::Delete(id.clone())));
            }
        }
    }
    items
}

fn run(store: &Store, action: Action) {
    match action {
        Action::Select(id) => store.select_only(&id),
        Action::AskFrom(id, kind) => {
            ask_from(store, &id, kind);
        }
        Action::AskTo(id, kind) => {
            ask_to(store, &id, kind);
        }
        Action::Apply(edit) => {
            store.apply(edit);
        }
        Action::Delete(id) => {
            store.apply(Edit::Delete(vec![id]));
        }
    }
}

/// Is this key press a request for the context menu (the menu key, or Shift+F10)?
fn menu_key(ev: &web_sys::KeyboardEvent) -> bool {
    ev.key() == "ContextMenu" || (ev.key() == "F10" && ev.shift_key())
}

#[component]
pub fn Canvas() -> impl IntoView {
    let store = use_store();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let wrap_ref = NodeRef::<leptos::html::Div>::new();
    let gesture = RwSignal::new(None::<(String, Gesture)>);
    let menu = RwSignal::new(None::<Menu>);
    // What depends on the document alone (the regions, whether cards fold, the automatic
    // places) is worked out once per edit, not per pointer move of a drag.
    let prepared = Memo::new(move |_| store.doc.with(spacetrace_canvas::prepare));
    // Where everything is at rest (changes once per edit): regions, cards and gates are drawn
    // from this, so a drag does not touch them.
    let placed = Memo::new(move |_| prepared.with(|p| p.layout(None)));
    // Where everything is now, with the region being dragged where the pointer has it (and any
    // region it pushes aside): edges and the path are drawn from this.
    let geometry = Memo::new(move |_| match gesture.get() {
        Some((id, Gesture::Drag { dx, dy, .. })) => prepared.with(|p| p.layout(Some((id.as_str(), dx, dy)))),
        _ => placed.get(),
    });
    // How far each region is from its place at rest: only during a drag, and only for the regions
    // that moved. A region is drawn at rest and shifted by a transform, so a pointer move sets one
    // attribute per moved region instead of re-drawing its cards and gates.
    let shifts = Memo::new(move |_| {
        if !matches!(gesture.with(|g| g.as_ref().map(|g| matches!(g.1, Gesture::Drag { .. }))), Some(true)) {
            return Vec::new();
        }
        geometry.with(|now| {
            placed.with(|rest| {
                now.regions
                    .iter()
                    .filter_map(|r| {
                        let before = rest.region(&r.id)?;
                        let (dx, dy) = (r.x - before.x, r.y - before.y);
                        (dx != 0.0 || dy != 0.0).then(|| (r.id.clone(), dx, dy))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let shift_signals = Shifts::new();
    Effect::new(move |before: Option<Vec<String>>| shifts.with(|now| shift_signals.follow(now, before)));
    let path = Memo::new(move |_| {
        let t = store.trace.get()?;
        Some(geometry.with(|l| spacetrace_canvas::path(l, &t)))
    });
    // What changed since the last answer to the same question: stops that are new or moved to
    // another component, and a block that appeared or moved. They are highlighted briefly (a
    // CSS animation on the new elements), which costs nothing while dragging.
    let changed = Memo::new(move |prev: Option<&(Option<PathView>, Vec<usize>)>| {
        let now = path.get();
        let before = prev.and_then(|p| p.0.as_ref());
        let mut hops = Vec::new();
        if let (Some(now), Some(before)) = (&now, before) {
            let same_question = now.stops.first().map(|s| &s.target) == before.stops.first().map(|s| &s.target);
            if same_question {
                for s in &now.stops {
                    let was = before.stops.iter().find(|b| b.hop == s.hop);
                    if was.is_none_or(|b| b.target != s.target || b.blocked != s.blocked) {
                        hops.push(s.hop);
                    }
                }
            }
        }
        (now, hops)
    });
    // The walk: the hop the packet is at (0-based) and which way it travels.
    let current = Memo::new(move |_| store.walk_packet().map(|p| (p.hop, p.leg)));
    // Presentation mode's view follows the packet (its stop), else shows the path.
    let screen = RwSignal::new(window_size());
    crate::listen::on_window("resize", move |_: &web_sys::Event| screen.set(window_size()));
    let present = Memo::new(move |_| {
        if !store.presenting.get() {
            return None;
        }
        let focus = path.with(|p| {
            let p = p.as_ref()?;
            let at = current.get().and_then(|(hop, _)| p.stops.iter().find(|s| s.hop == hop + 1));
            at.map(|s| (s.x, s.y)).or_else(|| {
                let xs = p.stops.iter().map(|s| s.x);
                let ys = p.stops.iter().map(|s| s.y);
                let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
                let (y0, y1) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
                (!p.stops.is_empty()).then(|| ((x0 + x1) / 2.0, (y0 + y1) / 2.0))
            })
        });
        let (w, h) = screen.get();
        Some(geometry.with(|l| present_view(l, focus, (w, h - CAPTION_PX))))
    });
    let vb = move || geometry.with(|l| view_box(&store, l, present));
    // The picture's shift while the view is panned (one transform, not a new view box per move).
    let panned = Memo::new(move |_| match gesture.get() {
        Some((_, Gesture::Pan { by, .. })) if by != (0.0, 0.0) => Some(format!("translate({:.1} {:.1})", by.0, by.1)),
        _ => None,
    });
    let view_now = Memo::new(move |_| vb());
    let view_box_attr = Memo::new(move |_| {
        let v = view_now.get();
        format!("{:.1} {:.1} {:.1} {:.1}", v.0, v.1, v.2, v.3)
    });

    let svg_el = move || svg_ref.get().map(|s| s.unchecked_into::<web_sys::Element>());

    let on_pointermove = move |ev: web_sys::PointerEvent| {
        let Some((id, g)) = gesture.get_untracked() else { return };
        let Some(svg) = svg_el() else { return };
        let now = || {
            to_canvas(
                &svg,
                geometry.with_untracked(|l| view_box(&store, l, present)),
                (ev.client_x() as f64, ev.client_y() as f64),
            )
        };
        match g {
            Gesture::Drag { start, prior, .. } => {
                let p = now();
                gesture.set(Some((id, Gesture::Drag { start, dx: p.0 - start.0, dy: p.1 - start.1, prior })));
            }
            Gesture::Pan { start, view, prior, .. } => {
                let s = screen_scale(&svg, view);
                let dx = (ev.client_x() as f64 - start.0) / s;
                let dy = (ev.client_y() as f64 - start.1) / s;
                gesture.set(Some((id, Gesture::Pan { start, view, by: (dx, dy), prior })));
            }
            Gesture::Connect { prior, .. } => gesture.set(Some((id, Gesture::Connect { to: now(), prior }))),
        }
    };

    let finish = move |_ev: web_sys::PointerEvent| {
        let Some((id, g)) = gesture.get_untracked() else { return };
        gesture.set(None);
        match g {
            Gesture::Drag { dx, dy, .. } if dx.abs() + dy.abs() > 2.0 => {
                let base = store.doc.with_untracked(|d| layout(d, None).region(&id).map(|r| (r.x, r.y)));
                if let Some((x, y)) = base {
                    store.apply(Edit::Move { id, to: Position { x: x + dx, y: y + dy } });
                }
            }
            Gesture::Drag { prior, .. } => {
                // A click on a region header: select the region; the view is as before.
                store.viewport.set(prior);
                store.select_only(&id);
            }
            Gesture::Pan { view, by, prior, .. } => {
                let moved = by.0.abs() + by.1.abs() > 1.0;
                if moved {
                    store.viewport.set(Some((view.0 - by.0, view.1 - by.1, view.2, view.3)));
                } else {
                    // A click on the background: clear the selection; the view is as before.
                    store.viewport.set(prior);
                    store.selection.set(Vec::new());
                }
            }
            Gesture::Connect { to, prior } => {
                store.viewport.set(prior);
                let l = geometry.get_untracked();
                if let Some(target) = l.regions.iter().find(|r| r.contains(to.0, to.1)) {
                    connect(&store, &l, &id, &target.id);
                }
            }
        }
    };

    let on_background_down = move |ev: web_sys::PointerEvent| {
        menu.set(None);
        if ev.button() != 0 && ev.button() != 1 {
            return;
        }
        let Some(svg) = svg_el() else { return };
        let prior = store.viewport.get_untracked();
        let view = geometry.with_untracked(|l| view_box(&store, l, present));
        store.viewport.set(Some(view));
        let _ = svg.set_pointer_capture(ev.pointer_id());
        let start = (ev.client_x() as f64, ev.client_y() as f64);
        gesture.set(Some((String::new(), Gesture::Pan { start, view, by: (0.0, 0.0), prior })));
    };

    // A press with the main button on a region's header (drag) or connect handle (connect):
    // capture the pointer, and freeze the view so the canvas does not refit under it; `make`
    // turns the pointer's place (canvas units) and the view before into the gesture.
    let begin = move |id: String, ev: web_sys::PointerEvent, make: fn((f64, f64), ViewBox) -> Gesture| {
        if ev.button() != 0 {
            return;
        }
        ev.stop_propagation();
        menu.set(None);
        let Some(svg) = svg_el() else { return };
        let prior = store.viewport.get_untracked();
        let view = geometry.with_untracked(|l| view_box(&store, l, present));
        store.viewport.set(Some(view));
        let _ = svg.set_pointer_capture(ev.pointer_id());
        let at = to_canvas(&svg, view, (ev.client_x() as f64, ev.client_y() as f64));
        gesture.set(Some((id, make(at, prior))));
    };
    let start_drag = move |id: String, ev: web_sys::PointerEvent| {
        begin(id, ev, |start, prior| Gesture::Drag { start, dx: 0.0, dy: 0.0, prior })
    };
    let start_connect =
        move |id: String, ev: web_sys::PointerEvent| begin(id, ev, |to, prior| Gesture::Connect { to, prior });

    // Open the context menu for a target, at a point on the screen.
    let open_menu = move |target: MenuTarget, client: (f64, f64)| {
        let Some(wrap) = wrap_ref.get() else { return };
        let r = wrap.get_bounding_client_rect();
        let x = (client.0 - r.left()).clamp(0.0, (r.width() - 260.0).max(0.0));
        let y = (client.1 - r.top()).clamp(0.0, (r.height() - 120.0).max(0.0));
        menu.set(Some(Menu { target, x, y }));
    };
    let hooks = Hooks {
        start_drag: Callback::new(move |(id, ev)| start_drag(id, ev)),
        start_connect: Callback::new(move |(id, ev)| start_connect(id, ev)),
        open_menu: Callback::new(move |(target, at)| open_menu(target, at)),
    };

    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(svg) = svg_el() else { return };
        let view = geometry.with_untracked(|l| view_box(&store, l, present));
        let at = to_canvas(&svg, view, (ev.client_x() as f64, ev.client_y() as f64));
        let factor = if ev.delta_y() > 0.0 { 1.12 } else { 1.0 / 1.12 };
        let w = (view.2 * factor).clamp(200.0, 8000.0);
        let h = view.3 * (w / view.2);
        let x = at.0 - (at.0 - view.0) * (w / view.2);
        let y = at.1 - (at.1 - view.1) * (h / view.3);
        store.viewport.set(Some((x, y, w, h)));
    };

    let region_ids = Memo::new(move |_| geometry.with(|l| l.regions.iter().map(|r| r.id.clone()).collect::<Vec<_>>()));

    let connecting = Memo::new(move |_| match gesture.get() {
        Some((id, Gesture::Connect { to, .. })) => {
            let from = geometry.with(|l| l.region(&id).map(|r| (r.x + r.w, r.y + HEADER_H / 2.0)))?;
            Some((from, to))
        }
        _ => None,
    });

    view! {
        <div class="canvas-wrap" node_ref=wrap_ref class:picking=move || store.picking.get().is_some()
            on:contextmenu=|ev: web_sys::MouseEvent| ev.prevent_default()>
            <svg
                node_ref=svg_ref
                class="canvas"
                data-testid="canvas"
                role="application"
                aria-label="Network canvas. Tab to an object; Enter selects it; the menu key or Shift+F10 lists its actions."
                preserveAspectRatio="xMidYMid meet"
                viewBox=view_box_attr
                on:pointerdown=on_background_down
                on:pointermove=on_pointermove
                on:pointerup=finish
                on:pointercancel=finish
                on:wheel=on_wheel
            >
                <defs>
                    <marker id="arrow-ok" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-ok" />
                    </marker>
                    <marker id="arrow-bad" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-bad" />
                    </marker>
                </defs>
                <g class="picture" transform=panned>
                <For each=move || region_ids.get() key=|id| id.clone() let:id>
                    <RegionBack id=id geometry=placed shifts=shift_signals hooks=hooks />
                </For>
                <Edges geometry=geometry labels=false hooks=hooks />
                <PathLines path=path current=current />
                <Edges geometry=geometry labels=true hooks=hooks />
                <For each=move || region_ids.get() key=|id| id.clone() let:id>
                    <RegionFront id=id geometry=placed shifts=shift_signals hooks=hooks />
                </For>
                <PathStops changed=changed current=current />
                <PacketLabel path=path view=view_now geometry=geometry svg=svg_ref />
                {move || connecting.get().map(|((x1, y1), (x2, y2))| view! {
                    <line class="connecting" data-testid="connecting" x1=x1 y1=y1 x2=x2 y2=y2 />
                })}
                </g>
            </svg>
            <crate::walk::WalkBar />
            <div class="canvas-tools">
                <button type="button" title="Re-lay everything in the order traffic flows (undo brings it back)" data-testid="tidy"
                    on:click=move |_| { store.apply(Edit::Tidy); store.viewport.set(None); }>"Tidy up"</button>
                <button type="button" title="Zoom in" aria-label="Zoom in" data-testid="zoom-in" on:click=move |_| {
                    let v = geometry.with_untracked(|l| view_box(&store, l, present));
                    store.viewport.set(Some((v.0 + v.2 * 0.1, v.1 + v.3 * 0.1, v.2 * 0.8, v.3 * 0.8)));
                }>"+"</button>
                <button type="button" title="Zoom out" aria-label="Zoom out" data-testid="zoom-out" on:click=move |_| {
                    let v = geometry.with_untracked(|l| view_box(&store, l, present));
                    store.viewport.set(Some((v.0 - v.2 * 0.125, v.1 - v.3 * 0.125, v.2 * 1.25, v.3 * 1.25)));
                }>"\u{2212}"</button>
                <button type="button" title="Fit everything in view" data-testid="zoom-fit" on:click=move |_| store.viewport.set(None)>"Fit"</button>
            </div>
            <Show when=move || store.doc.with(|d| crate::edit::all_ids(d).is_empty())>
                <div class="canvas-empty" data-testid="canvas-empty">
                    <p><strong>"An empty network."</strong></p>
                    <p>"Add a Private Space, an app or a VPC from the palette, or open an example from the menu."</p>
                </div>
            </Show>
            <ContextMenu menu=menu geometry=geometry />
        </div>
    }
}

/// Each region's shift from its place at rest during a drag, as an SVG transform (none at rest),
/// in a signal of its own: a pointer move sets the signals of the regions that moved and no
/// other, where a memo per region over the list of shifts would wake every region's on every move.
#[derive(Clone, Copy)]
struct Shifts(StoredValue<HashMap<String, ArcRwSignal<Option<String>>>>);

impl Shifts {
    fn new() -> Self {
        Self(StoredValue::new(HashMap::new()))
    }

    /// The region's shift, to read.
    fn of(&self, id: &str) -> ArcRwSignal<Option<String>> {
        if let Some(s) = self.0.with_value(|m| m.get(id).cloned()) {
            return s;
        }
        let s = ArcRwSignal::new(None);
        self.0.update_value(|m| {
            m.insert(id.to_owned(), s.clone());
        });
        s
    }

    /// Follow the list of shifts: set the regions in `now` and clear those that were in `before`
    /// and are not now; a signal is set only when its transform changes. Returns the regions set.
    fn follow(&self, now: &[(String, f64, f64)], before: Option<Vec<String>>) -> Vec<String> {
        for (id, dx, dy) in now {
            let t = Some(format!("translate({dx:.1} {dy:.1})"));
            let s = self.of(id);
            if s.with_untracked(|old| *old != t) {
                s.set(t);
            }
        }
        let moved: Vec<String> = now.iter().map(|x| x.0.clone()).collect();
        for id in before.unwrap_or_default().iter().filter(|id| !moved.contains(id)) {
            let s = self.of(id);
            if s.with_untracked(Option::is_some) {
                s.set(None);
            }
        }
        moved
    }
}

/// Gesture and menu callbacks the regions, cards, gates and edges share.
#[derive(Clone, Copy)]
struct Hooks {
    start_drag: Callback<(String, web_sys::PointerEvent)>,
    start_connect: Callback<(String, web_sys::PointerEvent)>,
    /// Open the context menu for a target at a point on the screen.
    open_menu: Callback<(MenuTarget, (f64, f64))>,
}

impl Hooks {
    /// A right click: the context menu at the pointer.
    fn context(&self, target: MenuTarget, ev: &web_sys::MouseEvent) {
        ev.prevent_default();
        ev.stop_propagation();
        self.open_menu.run((target, (ev.client_x() as f64, ev.client_y() as f64)));
    }

    /// Keys on a focused object: Enter or Space activates it (with Shift held or not); the menu
    /// key or Shift+F10 opens its context menu beside it.
    fn key(&self, target: MenuTarget, ev: &web_sys::KeyboardEvent, activate: impl FnOnce(bool)) {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            activate(ev.shift_key());
        } else if menu_key(ev) {
            ev.prevent_default();
            if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let r = el.get_bounding_client_rect();
                self.open_menu.run((target, (r.left() + 12.0, r.top() + 12.0)));
            }
        }
    }
}

/// A region's box and header (drawn under the edges and the path).
#[component]
fn RegionBack(id: String, geometry: Memo<Layout>, shifts: Shifts, hooks: Hooks) -> impl IntoView {
    let store = use_store();
    let rid = id.clone();
    let region = Memo::new(move |_| geometry.with(|l| l.region(&rid).cloned()));
    let get = move || region.get();
    let selected = {
        let id = id.clone();
        move || store.selection.with(|s| s.contains(&id))
    };
    let drag_id = id.clone();
    let key_id = id.clone();
    let menu_id = id.clone();
    let connect_id = id.clone();
    let test_id = format!("region-{id}");
    let connectable = move || {
        get().is_some_and(|r| {
            matches!(
                r.kind,
                RegionKind::Cedar | RegionKind::CedarShield | RegionKind::Fir | RegionKind::Vpc | RegionKind::Remote
            )
        })
    };
    let shift = shifts.of(&id);
    view! {
        <g
            class=move || get().map(|r| format!("region {}", r.kind.class())).unwrap_or_default()
            transform=move || shift.get()
            class:selected=selected
            class:pinned=move || get().is_some_and(|r| r.pinned)
            data-testid=test_id
            data-region-kind=move || get().map(|r| r.kind.class())
        >
            <rect
                class="region-box"
                rx="14"
                x=move || get().map(|r| r.x)
                y=move || get().map(|r| r.y)
                width=move || get().map(|r| r.w)
                height=move || get().map(|r| r.h)
            />
            <g
                class="region-header"
                tabindex="0"
                role="button"
                aria-label=move || get().map(|r| format!("{}: {}. Drag to move, arrows to nudge, menu key for actions.", r.kind.label(), r.name))
                on:pointerdown=move |ev| hooks.start_drag.run((drag_id.clone(), ev))
                on:contextmenu=move |ev: web_sys::MouseEvent| hooks.context(MenuTarget::Region(menu_id.clone()), &ev)
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    hooks.key(MenuTarget::Region(key_id.clone()), &ev, |_| store.select_only(&key_id))
                }
                on:focus={
                    let id = id.clone();
                    move |_| { if store.picking.get_untracked().is_none() { store.select_only(&id) } }
                }
            >
                <title>{move || get().map(|r| r.name)}</title>
                <rect class="region-head" rx="14" x=move || get().map(|r| r.x) y=move || get().map(|r| r.y) width=move || get().map(|r| r.w) height=HEADER_H />
                <text class="region-title" x=move || get().map(|r| r.x + 14.0) y=move || get().map(|r| r.y + 19.0)>
                    {move || get().map(|r| r.title)}
                </text>
                <text class="region-subtitle" x=move || get().map(|r| r.x + 14.0) y=move || get().map(|r| r.y + 36.0)>
                    {move || get().map(|r| r.subtitle)}
                </text>
                <Show when=move || get().is_some_and(|r| r.kind == RegionKind::CedarShield)>
                    <g class="shield-mark" transform=move || get().map(|r| format!("translate({} {})", r.x + r.w - 58.0, r.y + 9.0))>
                        <title>"Shield space"</title>
                        <path d="M10 0 L20 4 L20 11 C20 18 15 22 10 24 C5 22 0 18 0 11 L0 4 Z" />
                    </g>
                </Show>
            </g>
            <Show when=connectable>
                <g class="connect-handle" data-testid=format!("connect-{connect_id}")
                    role="button" aria-label="Drag to another network to peer or connect a VPN"
                    on:pointerdown={
                        let id = connect_id.clone();
                        move |ev| hooks.start_connect.run((id.clone(), ev))
                    }>
                    <title>"Drag to a space or VPC to connect (peering or VPN)"</title>
                    <circle cx=move || get().map(|r| r.x + r.w) cy=move || get().map(|r| r.y + HEADER_H / 2.0) r="9" />
                    <path d=move || get().map(|r| { let (x, y) = (r.x + r.w, r.y + HEADER_H / 2.0); format!("M{} {} h8 l-3 -3 M{} {} l-3 3", x - 4.0, y, x + 4.0, y) }) />
                </g>
            </Show>
        </g>
    }
}

/// A region's gates and cards (drawn over the edges and the path).
#[component]
fn RegionFront(id: String, geometry: Memo<Layout>, shifts: Shifts, hooks: Hooks) -> impl IntoView {
    let rid = id.clone();
    let region = Memo::new(move |_| geometry.with(|l| l.region(&rid).cloned()));
    let gid = id.clone();
    let gates = Memo::new(move |_| {
        geometry.with(|l| l.gates.iter().filter(|g| g.region == gid).cloned().collect::<Vec<Gate>>())
    });
    let card_ids = Memo::new(move |_| {
        region
            .with(|r| r.as_ref().map(|r| r.cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).unwrap_or_default())
    });
    let class =
        move || region.with(|r| r.as_ref().map(|r| format!("region-front {}", r.kind.class())).unwrap_or_default());
    let shift = shifts.of(&id);
    view! {
        <g class=class transform=move || shift.get()>
            {move || gates.get().into_iter().map(|g| view! { <GateView gate=g hooks=hooks /> }).collect_view()}
            <For each=move || card_ids.get() key=|id| id.clone() let:cid>
                <CardView id=cid region=region hooks=hooks />
            </For>
        </g>
    }
}

#[component]
fn GateView(gate: Gate, hooks: Hooks) -> impl IntoView {
    let store = use_store();
    let (sx, sy) = gate.slot();
    let select = gate.select.clone();
    let select_key = gate.select.clone();
    let object = gate.select.clone();
    let own = gate.select != gate.region;
    let id = gate.id.clone();
    let id_key = gate.id.clone();
    let id_menu = gate.id.clone();
    view! {
        <g class=format!("gate {}", gate.kind.class())
            class:selected=move || own && store.selection.with(|s| s.contains(&object))
            data-testid=format!("gate-{}", gate.id)
            data-gate-kind=gate.kind.class()
            tabindex="0" role="button"
            aria-label=format!("{}: {}. Enter opens it in the inspector.", gate.kind.label(), gate.label)
            on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
            on:click=move |_| store.select_only(&select)
            on:contextmenu=move |ev: web_sys::MouseEvent| hooks.context(MenuTarget::Gate(id_menu.clone()), &ev)
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                hooks.key(MenuTarget::Gate(id_key.clone()), &ev, |_| store.select_only(&select_key))
            }
        >
            <title>{format!("{}: {}", gate.kind.label(), gate.label)}</title>
            <rect class="gate-box" rx="11" x=gate.x y=gate.y width=gate.w height=spacetrace_canvas::GATE_H />
            <circle class="gate-slot" cx=sx cy=sy r="5" />
            <text class="gate-label" x=gate.x + spacetrace_canvas::GATE_H + 2.0 y=gate.y + 15.5 data-id=id>{gate.label.clone()}</text>
        </g>
    }
}

#[component]
fn CardView(id: String, region: Memo<Option<Region>>, hooks: Hooks) -> impl IntoView {
    let store = use_store();
    let cid = id.clone();
    let card =
        Memo::new(move |_| region.with(|r| r.as_ref().and_then(|r| r.cards.iter().find(|c| c.id == cid).cloned())));
    let get = move || card.get();
    let selected = {
        let id = id.clone();
        move || store.selection.with(|s| s.contains(&id))
    };
    let activate = {
        let id = id.clone();
        move |shift: bool| {
            let kind = card.get_untracked().map(|c| c.kind);
            if pick(&store, &id, kind) {
                return;
            }
            if shift { store.toggle_selected(&id) } else { store.select_only(&id) }
        }
    };
    let activate_key = activate.clone();
    let menu_id = id.clone();
    let key_id = id.clone();
    let test_id = format!("card-{id}");
    view! {
        <g
            class=move || get().map(|c| format!("card {}", card_class(c.kind))).unwrap_or_default()
            class:selected=selected
            data-testid=test_id
            tabindex="0"
            role="button"
            aria-label=move || get().map(|c| format!("{}: {}. {}", card_label(c.kind), c.name, c.detail.join("; ")))
            on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
            on:click=move |ev: web_sys::MouseEvent| activate(ev.shift_key())
            on:contextmenu=move |ev: web_sys::MouseEvent| {
                if let Some(c) = card.get_untracked() {
                    hooks.context(MenuTarget::Card(menu_id.clone(), c.kind), &ev);
                }
            }
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if let Some(c) = card.get_untracked() {
                    hooks.key(MenuTarget::Card(key_id.clone(), c.kind), &ev, &activate_key);
                }
            }
        >
            // The whole name and detail on hover (a folded card draws its title only).
            <title>{move || get().map(|c| std::iter::once(c.name).chain(c.detail).collect::<Vec<_>>().join("\n"))}</title>
            <rect class="card-box" rx="8" x=move || get().map(|c| c.x) y=move || get().map(|c| c.y) width=CARD_W height=move || get().map(|c| c.h) />
            <text class="card-title" x=move || get().map(|c| c.x + CARD_TEXT_X) y=move || get().map(|c| c.y + 19.0)>
                {move || get().map(|c| format!("{} {}", card_icon(c.kind), c.title))}
            </text>
            <Show when=move || get().is_some_and(|c| c.badge.is_some())>
                <text class="card-badge" text-anchor="end" x=move || get().map(|c| c.x + CARD_W - 8.0) y=move || get().map(|c| c.y + 19.0)>
                    {move || get().and_then(|c| c.badge)}
                </text>
            </Show>
            {move || {
                get()
                    .map(|c| {
                        c.lines
                            .iter()
                            .enumerate()
                            .map(|(i, line)| {
                                let y = c.y + 35.0 + 17.0 * i as f64;
                                view! { <text class="card-line" x=c.x + CARD_TEXT_X y=y>{line.clone()}</text> }
                            })
                            .collect_view()
                    })
            }}
        </g>
    }
}

fn card_class(kind: CardKind) -> &'static str {
    match kind {
        CardKind::App => "app",
        CardKind::Addon => "addon",
        CardKind::Host => "host",
        CardKind::RemoteHost => "remote-host",
        CardKind::Client => "client",
        CardKind::Service => "service",
    }
}

fn card_label(kind: CardKind) -> &'static str {
    match kind {
        CardKind::App => "App",
        CardKind::Addon => "Data add-on",
        CardKind::Host => "VPC host",
        CardKind::RemoteHost => "Remote host",
        CardKind::Client => "Internet client",
        CardKind::Service => "External service",
    }
}

fn card_icon(kind: CardKind) -> &'static str {
    match kind {
        CardKind::App => "\u{2B22}",
        CardKind::Addon => "\u{26C1}",
        CardKind::Host => "\u{25A3}",
        CardKind::RemoteHost => "\u{25A2}",
        CardKind::Client => "\u{25CE}",
        CardKind::Service => "\u{25C8}",
    }
}

fn polyline(points: &[(f64, f64)]) -> String {
    points.iter().map(|p| format!("{:.1},{:.1}", p.0, p.1)).collect::<Vec<_>>().join(" ")
}

/// Peerings and VPNs: their lines (`labels` false, under the path) or their labels and
/// focusable parts (`labels` true, over the path). Each edge is kept by its ID and only its
/// points and label move during a drag.
#[component]
fn Edges(geometry: Memo<Layout>, labels: bool, hooks: Hooks) -> impl IntoView {
    let ids = Memo::new(move |_| geometry.with(|l| l.edges.iter().map(|e| e.id.clone()).collect::<Vec<_>>()));
    view! {
        <g class=if labels { "edge-labels" } else { "edges" }>
            <For each=move || ids.get() key=|id| id.clone() let:id>
                <EdgeView id=id geometry=geometry labels=labels hooks=hooks />
            </For>
        </g>
    }
}

#[component]
fn EdgeView(id: String, geometry: Memo<Layout>, labels: bool, hooks: Hooks) -> impl IntoView {
    let store = use_store();
    let eid = id.clone();
    let edge = Memo::new(move |_| geometry.with(|l| l.edge(&eid).cloned()));
    let class = move || {
        edge.with(|e| {
            let mut c = String::from("edge");
            if e.as_ref().is_some_and(|e| e.vpn) {
                c.push_str(" vpn");
            }
            if e.as_ref().is_some_and(|e| e.faded) {
                c.push_str(" faded");
            }
            c
        })
    };
    let sel_id = id.clone();
    let selected = move || store.selection.with(|s| s.contains(&sel_id));
    let points = move || edge.with(|e| e.as_ref().map(|e| polyline(&e.points)));
    if !labels {
        return view! {
            <g class=class class:selected=selected>
                <polyline class="edge-line" points=points />
            </g>
        }
        .into_any();
    }
    let click_id = id.clone();
    let key_id = id.clone();
    let menu_id = id.clone();
    let label_box = move || {
        edge.with(|e| {
            e.as_ref().map(|e| e.label_box).unwrap_or(spacetrace_canvas::Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })
        })
    };
    let vpn = move || edge.with(|e| e.as_ref().is_some_and(|e| e.vpn));
    view! {
        <g
            class=class
            class:selected=selected
            data-testid=format!("edge-{id}")
            data-from=move || edge.with(|e| e.as_ref().map(|e| e.from.clone()))
            data-to=move || edge.with(|e| e.as_ref().map(|e| e.to.clone()))
            tabindex="0"
            role="button"
            aria-label=move || edge.with(|e| e.as_ref().map(|e| format!("{} {}", if e.vpn { "VPN connection" } else { "Peering" }, e.label)))
            on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
            on:click=move |_| store.select_only(&click_id)
            on:contextmenu=move |ev: web_sys::MouseEvent| hooks.context(MenuTarget::Edge(menu_id.clone()), &ev)
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                hooks.key(MenuTarget::Edge(key_id.clone()), &ev, |_| store.select_only(&key_id))
            }
        >
            <title>{move || edge.with(|e| e.as_ref().map(|e| e.label.clone()))}</title>
            <polyline class="edge-hit" points=points />
            <rect class="edge-label-box" rx="6" x=move || label_box().x y=move || label_box().y width=move || label_box().w height=move || label_box().h />
            <Show when=vpn>
                <g class="lock" transform=move || { let b = label_box(); format!("translate({} {})", b.x + 7.0, b.y + 4.0) }>
                    <path d="M3 7 V5 A4 4 0 0 1 11 5 V7" />
                    <rect x="1" y="7" width="12" height="9" rx="2" />
                </g>
            </Show>
            <text class="edge-label" x=move || { let b = label_box(); b.x + b.w / 2.0 + if vpn() { 9.0 } else { 0.0 } } y=move || label_box().y + 16.5 text-anchor="middle">
                {move || edge.with(|e| e.as_ref().map(|e| e.short.clone()))}
            </text>
        </g>
    }
    .into_any()
}

/// The answered path's lines, under the cards and gates so they never hide text.
#[component]
fn PathLines(path: Memo<Option<PathView>>, current: Memo<Option<(usize, Leg)>>) -> impl IntoView {
    view! {
        <g class="path" data-testid="path">
            {move || path.get().map(|p| {
                let ok = p.verdict == Verdict::Connected;
                let n = p.segments.len();
                p.segments.iter().enumerate().map(|(i, seg)| {
                    let last = i + 1 == n;
                    // While the packet walks, the way it has come is drawn strong, the rest faded.
                    let (from, to) = (p.stops.get(i).map_or(0, |s| s.hop), p.stops.get(i + 1).map_or(0, |s| s.hop));
                    let ahead = move || match current.get() {
                        None => false,
                        Some((hop, Leg::Request)) => to > hop + 1,
                        Some((hop, Leg::Reply)) => from < hop + 1,
                    };
                    view! {
                        <polyline class=if ok { "path-line ok" } else { "path-line bad" } class:ahead=ahead data-testid=format!("path-segment-{}", i + 1)
                            points=polyline(seg)
                            marker-end=if last { if ok { "url(#arrow-ok)" } else { "url(#arrow-bad)" } } else { "" } />
                    }
                }).collect_view()
            })}
        </g>
    }
}

/// The answered path's stops, numbered as in the trace, over everything.
#[component]
fn PathStops(changed: Memo<(Option<PathView>, Vec<usize>)>, current: Memo<Option<(usize, Leg)>>) -> impl IntoView {
    view! {
        <g class="path-stops">
            {move || changed.with(|(p, hops)| p.as_ref().map(|p| {
                let ok = p.verdict == Verdict::Connected;
                p.stops.iter().map(|s| {
                    let r = if s.blocked { spacetrace_canvas::BLOCK_R } else { spacetrace_canvas::STOP_R };
                    let target = match &s.target {
                        StopTarget::Card(id) | StopTarget::Gate(id) | StopTarget::Edge(id) | StopTarget::Region(id) => id.clone(),
                    };
                    let (hop, sx, sy) = (s.hop, s.x, s.y);
                    let here = move || current.get().is_some_and(|(h, _)| h + 1 == hop);
                    view! {
                        <g class="path-stop" class:blocked=s.blocked class:bad=!ok class:changed=hops.contains(&s.hop)
                            class:current=here data-current=move || here().then_some("true")
                            data-testid=if s.blocked { "path-block".to_owned() } else { format!("path-stop-{}", s.hop) }
                            data-hop=s.hop data-target=target>
                            <circle cx=s.x cy=s.y r=move || if here() { r * 1.3 } else { r } />
                            {move || here().then(|| view! { <circle class="current-ring" cx=sx cy=sy r=r * 1.3 + 7.0 /> })}
                            <text x=s.x y=s.y + if s.blocked { 5.5 } else { 4.5 } text-anchor="middle">{if s.blocked { "\u{2716}".to_owned() } else { s.hop.to_string() }}</text>
                        </g>
                    }
                }).collect_view()
            }))}
        </g>
    }
}

/// The packet where the walk is, beside its stop: source → destination, protocol and port, and
/// what changed at this hop (the words are the engine's `render`).
#[component]
fn PacketLabel(
    path: Memo<Option<PathView>>,
    view: Memo<(f64, f64, f64, f64)>,
    geometry: Memo<Layout>,
    svg: NodeRef<leptos::svg::Svg>,
) -> impl IntoView {
    let store = use_store();
    let shown = move || {
        let p = store.walk_packet()?;
        let (x, y) = path.with(|v| v.as_ref()?.stops.iter().find(|s| s.hop == p.hop + 1).map(|s| (s.x, s.y)))?;
        Some((p, x, y))
    };
    move || {
        shown().map(|(p, x, y)| {
            let label = render::packet_label(&p);
            let notes = render::packet_notes(&p).join(" \u{00B7} ");
            const MAIN: f64 = 15.0;
            const NOTE: f64 = 13.0;
            const PAD: f64 = 8.0;
            let w = spacetrace_canvas::text_width(&label, MAIN, true)
                .max(if notes.is_empty() { 0.0 } else { spacetrace_canvas::text_width(&notes, NOTE, false) })
                + 2.0 * PAD;
            let h = if notes.is_empty() { MAIN + 2.0 * PAD } else { MAIN + NOTE + 6.0 + 2.0 * PAD };
            // Beside the stop, in view, covering no text where it can (above and to the right
            // first).
            // What is on screen: the view box, and the margin `meet` adds around it on the
            // element's longer side (read from the element; the label is placed again at each step).
            let (vx, vy, vw, vh) = {
                let (vx, vy, vw, vh) = view.get();
                match svg.get_untracked().map(|s| s.unchecked_into::<web_sys::Element>().get_bounding_client_rect()) {
                    Some(r) if r.width() > 0.0 && r.height() > 0.0 => {
                        let scale = (r.width() / vw).min(r.height() / vh).max(1e-6);
                        let (sw, sh) = (r.width() / scale, r.height() / scale);
                        (vx - (sw - vw) / 2.0, vy - (sh - vh) / 2.0, sw, sh)
                    }
                    _ => (vx, vy, vw, vh),
                }
            };
            let gap = spacetrace_canvas::BLOCK_R + 12.0;
            let fits = |&(bx, by): &(f64, f64)| bx >= vx + 4.0 && by >= vy + 4.0 && bx + w <= vx + vw - 4.0 && by + h <= vy + vh - 4.0;
            let mut text = geometry.with(|l| l.text_boxes());
            // The path's stops count too, and weigh more than text: a hidden stop loses the path.
            path.with(|v| {
                for s in v.iter().flat_map(|v| v.stops.iter()) {
                    let r = spacetrace_canvas::BLOCK_R + 4.0;
                    let b = spacetrace_canvas::Rect { x: s.x - r, y: s.y - r, w: 2.0 * r, h: 2.0 * r };
                    text.extend([b; 6]);
                }
            });
            // How much text a placement covers (area).
            let covers = |&(bx, by): &(f64, f64)| -> f64 {
                text.iter()
                    .map(|t| {
                        let dx = (bx + w).min(t.x + t.w) - bx.max(t.x);
                        let dy = (by + h).min(t.y + t.h) - by.max(t.y);
                        dx.max(0.0) * dy.max(0.0)
                    })
                    .sum()
            };
            // Beside the stop first, then further above and below it (the leader line keeps the
            // label joined to its stop), so a crowded canvas still finds a free place before the
            // label covers a name.
            let mut options: Vec<(f64, f64)> = vec![
                (x + gap, y - h - 16.0),
                (x - gap - w, y - h - 16.0),
                (x + gap, y + 16.0),
                (x - gap - w, y + 16.0),
                (x - w / 2.0, y - h - 16.0),
                (x - w / 2.0, y + 16.0),
                (x + gap, y - h / 2.0),
                (x - gap - w, y - h / 2.0),
            ];
            let step = h + 8.0;
            for k in 1..=(vh / step).ceil() as usize {
                let d = 16.0 + k as f64 * step;
                for bx in [x - w / 2.0, x + gap, x - gap - w] {
                    options.extend([(bx, y - h - d), (bx, y + d)]);
                }
            }
            // The first in view that covers no text, else the one in view that covers least.
            let best = options.iter().copied().find(|o| fits(o) && covers(o) == 0.0).or_else(|| {
                options.iter().copied().filter(fits).min_by(|a, b| covers(a).total_cmp(&covers(b)))
            });
            let (bx, by) = best.unwrap_or_else(|| {
                let (bx, by) = options[0];
                (bx.min(vx + vw - w - 4.0).max(vx + 4.0), by.max(vy + 4.0))
            });
            let (lx, ly) = (x.clamp(bx, bx + w), y.clamp(by, by + h));
            let reply = p.leg == Leg::Reply;
            view! {
                <g class="packet-label" class:reply=reply class:stops=p.stops data-testid="packet-label" data-hop=p.hop + 1
                    data-leg=if reply { "reply" } else { "request" } data-changed=p.was.is_some().then_some("true")>
                    <line class="packet-leader" x1=x y1=y x2=lx y2=ly />
                    <rect class="packet-box" x=bx y=by width=w height=h rx=6 />
                    <text class="packet-main" x=bx + PAD y=by + PAD + MAIN * 0.8>{label}</text>
                    {(!notes.is_empty()).then(|| view! {
                        <text class="packet-note" data-testid="packet-note" x=bx + PAD y=by + PAD + MAIN + 6.0 + NOTE * 0.8>{notes}</text>
                    })}
                </g>
            }
        })
    }
}

#[component]
fn ContextMenu(menu: RwSignal<Option<Menu>>, geometry: Memo<Layout>) -> impl IntoView {
    let store = use_store();
    let list_ref = NodeRef::<leptos::html::Div>::new();
    // A press anywhere outside the menu closes it (the menu's own presses stop before the window).
    crate::listen::on_window("pointerdown", move |_: &web_sys::Event| {
        if menu.with_untracked(Option::is_some) {
            menu.set(None);
        }
    });
    // Focus the first action when the menu opens (pushing focus outward; no signal is written).
    Effect::new(move |_| {
        if menu.with(Option::is_some)
            && let Some(list) = list_ref.get()
            && let Ok(Some(first)) = list.query_selector("button")
            && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = first.focus();
        }
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            menu.set(None);
            return;
        }
        if key != "ArrowDown" && key != "ArrowUp" {
            ev.stop_propagation();
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        let Some(list) = list_ref.get() else { return };
        let Ok(buttons) = list.query_selector_all("button") else { return };
        let n = buttons.length();
        let active = document().active_element();
        let at = (0..n).find(|i| {
            buttons.item(*i).map(|b| Some(b.unchecked_into::<web_sys::Element>()) == active).unwrap_or(false)
        });
        let next = match (at, key.as_str()) {
            (Some(i), "ArrowDown") => (i + 1) % n.max(1),
            (Some(i), _) => (i + n - 1) % n.max(1),
            (None, _) => 0,
        };
        if let Some(b) = buttons.item(next).and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = b.focus();
        }
    };
    view! {
        {move || menu.get().map(|m| {
            let items = geometry.with(|l| store.doc.with(|d| menu_items(l, d, &m.target)));
            view! {
                <div class="context-menu" role="menu" data-testid="context-menu" node_ref=list_ref
                    style:left=format!("{:.0}px", m.x)
                    style:top=format!("{:.0}px", m.y)
                    on:keydown=on_key
                    on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()>
                    {items.into_iter().map(|(label, action)| view! {
                        <button type="button" role="menuitem" data-testid="context-action"
                            on:click=move |_| { menu.set(None); run(&store, action.clone()); }>{label}</button>
                    }).collect_view()}
                </div>
            }
        })}
    }
}
