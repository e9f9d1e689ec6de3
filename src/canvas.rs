//! The canvas: regions, cards, peering and VPN edges, and the answered path, in SVG.
//! Interaction state (an ongoing drag or pan) lives here and never in the document: a whole drag
//! becomes one `Edit::Move` when the pointer is released.

use leptos::prelude::*;
use spacetrace_engine::doc::{self, Position};
use spacetrace_engine::trace::{ComponentKind, Verdict};
use wasm_bindgen::JsCast;

use crate::edit::Edit;
use crate::layout::{CARD_W, CardKind, HEADER_H, Layout, Region, RegionKind, layout};
use crate::store::{Pick, Store, ViewBox, use_store};

/// An ongoing pointer gesture.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gesture {
    /// Moving a region: pointer start (canvas units), the offset so far, and the session's view
    /// before the gesture froze it (a click that moves nothing gives it back).
    Drag { start: (f64, f64), dx: f64, dy: f64, prior: ViewBox },
    /// Panning the view: pointer start (screen pixels), the view box at the start, and the view before.
    Pan { start: (f64, f64), view: (f64, f64, f64, f64), prior: ViewBox },
}

const FIT_PAD: f64 = 30.0;
/// Fitting never zooms in further than this view (canvas units), so a lone region keeps its size.
const FIT_MIN: (f64, f64) = (660.0, 420.0);

/// The view box: the session's, or one that fits everything.
fn view_box(store: &Store, l: &Layout) -> (f64, f64, f64, f64) {
    store.viewport.get().unwrap_or_else(|| fit(l))
}

/// A view box around everything, centred, never closer than `FIT_MIN`.
pub fn fit(l: &Layout) -> (f64, f64, f64, f64) {
    let (x0, y0, x1, y1) = l.bounds();
    let w = (x1 - x0 + 2.0 * FIT_PAD).max(FIT_MIN.0);
    let h = (y1 - y0 + 2.0 * FIT_PAD).max(FIT_MIN.1);
    let cx = (x0 + x1) / 2.0;
    (cx - w / 2.0, y0 - FIT_PAD, w, h)
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

/// Pick an end of the question from a clicked card or region, when picking.
fn pick(store: &Store, id: &str, kind: Option<CardKind>) -> bool {
    let Some(which) = store.picking.get_untracked() else { return false };
    let d = store.doc.get_untracked();
    let first_process = |app: &str| -> Option<String> {
        let apps = d.common_runtime_apps.iter().chain(d.spaces.iter().flat_map(|s| s.apps.iter()));
        apps.clone().find(|a| a.id == app).and_then(|a| {
            a.process_types.iter().find(|p| p.name == "web").or(a.process_types.first()).map(|p| p.name.clone())
        })
    };
    let id = id.to_owned();
    match which {
        Pick::From => {
            let from = match kind {
                Some(CardKind::App) => first_process(&id).map(|process| doc::From::Dyno { app: id, process }),
                Some(CardKind::Host) => Some(doc::From::Host(id)),
                Some(CardKind::RemoteHost) => Some(doc::From::RemoteHost(id)),
                Some(CardKind::Client) => Some(doc::From::Client(id)),
                _ => None,
            };
            let Some(from) = from else { return false };
            store.draft.update(|d| d.from = Some(from));
        }
        Pick::To => {
            let to = match kind {
                Some(CardKind::App) => Some(doc::To::Hostname(id)),
                Some(CardKind::Addon) => Some(doc::To::Addon(id)),
                Some(CardKind::Host) => Some(doc::To::Host(id)),
                Some(CardKind::RemoteHost) => Some(doc::To::RemoteHost(id)),
                Some(CardKind::Service) => Some(doc::To::External(id)),
                _ => None,
            };
            let Some(to) = to else { return false };
            crate::question::set_destination(store, to);
        }
    }
    store.picking.set(None);
    true
}

#[component]
pub fn Canvas() -> impl IntoView {
    let store = use_store();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let gesture = RwSignal::new(None::<(String, Gesture)>);
    let geometry = Memo::new(move |_| {
        let g = gesture.get();
        let offset = match &g {
            Some((id, Gesture::Drag { dx, dy, .. })) => Some((id.clone(), *dx, *dy)),
            _ => None,
        };
        store.doc.with(|d| layout(d, offset.as_ref().map(|(id, dx, dy)| (id.as_str(), *dx, *dy))))
    });
    let vb = move || geometry.with(|l| view_box(&store, l));

    let svg_el = move || svg_ref.get().map(|s| s.unchecked_into::<web_sys::Element>());

    let on_pointermove = move |ev: web_sys::PointerEvent| {
        let Some((id, g)) = gesture.get_untracked() else { return };
        let Some(svg) = svg_el() else { return };
        match g {
            Gesture::Drag { start, prior, .. } => {
                let now = to_canvas(
                    &svg,
                    geometry.with_untracked(|l| view_box(&store, l)),
                    (ev.client_x() as f64, ev.client_y() as f64),
                );
                gesture.set(Some((id, Gesture::Drag { start, dx: now.0 - start.0, dy: now.1 - start.1, prior })));
            }
            Gesture::Pan { start, view, .. } => {
                let s = screen_scale(&svg, view);
                let dx = (ev.client_x() as f64 - start.0) / s;
                let dy = (ev.client_y() as f64 - start.1) / s;
                store.viewport.set(Some((view.0 - dx, view.1 - dy, view.2, view.3)));
            }
        }
    };

    let finish = move |_ev: web_sys::PointerEvent| {
        let Some((id, g)) = gesture.get_untracked() else { return };
        gesture.set(None);
        match g {
            Gesture::Drag { dx, dy, .. } if dx.abs() + dy.abs() > 2.0 => {
                let d = store.doc.get_untracked();
                let base = crate::layout::layout(&d, None).region(&id).map(|r| (r.x, r.y));
                if let Some((x, y)) = base {
                    store.apply(Edit::Move { id, to: Position { x: x + dx, y: y + dy } });
                }
            }
            Gesture::Drag { prior, .. } => {
                // A click on a region header: select the region (or pick it); the view is as before.
                store.viewport.set(prior);
                if !pick(&store, &id, None) {
                    store.select_only(&id);
                }
            }
            Gesture::Pan { view, prior, .. } => {
                let moved =
                    store.viewport.get_untracked().is_some_and(|v| (v.0 - view.0).abs() + (v.1 - view.1).abs() > 1.0);
                if !moved {
                    // A click on the background: clear the selection; the view is as before.
                    store.viewport.set(prior);
                    store.selection.set(Vec::new());
                }
            }
        }
    };

    let on_background_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 && ev.button() != 1 {
            return;
        }
        let Some(svg) = svg_el() else { return };
        let prior = store.viewport.get_untracked();
        let view = geometry.with_untracked(|l| view_box(&store, l));
        store.viewport.set(Some(view));
        let _ = svg.set_pointer_capture(ev.pointer_id());
        let start = (ev.client_x() as f64, ev.client_y() as f64);
        gesture.set(Some((String::new(), Gesture::Pan { start, view, prior })));
    };

    let start_drag = move |id: String, ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.stop_propagation();
        let Some(svg) = svg_el() else { return };
        let prior = store.viewport.get_untracked();
        let view = geometry.with_untracked(|l| view_box(&store, l));
        // Freeze the view while dragging so the canvas does not refit under the pointer.
        store.viewport.set(Some(view));
        let _ = svg.set_pointer_capture(ev.pointer_id());
        let start = to_canvas(&svg, view, (ev.client_x() as f64, ev.client_y() as f64));
        gesture.set(Some((id, Gesture::Drag { start, dx: 0.0, dy: 0.0, prior })));
    };

    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(svg) = svg_el() else { return };
        let view = geometry.with_untracked(|l| view_box(&store, l));
        let at = to_canvas(&svg, view, (ev.client_x() as f64, ev.client_y() as f64));
        let factor = if ev.delta_y() > 0.0 { 1.12 } else { 1.0 / 1.12 };
        let w = (view.2 * factor).clamp(200.0, 8000.0);
        let h = view.3 * (w / view.2);
        let x = at.0 - (at.0 - view.0) * (w / view.2);
        let y = at.1 - (at.1 - view.1) * (h / view.3);
        store.viewport.set(Some((x, y, w, h)));
    };

    let region_ids = Memo::new(move |_| geometry.with(|l| l.regions.iter().map(|r| r.id.clone()).collect::<Vec<_>>()));

    view! {
        <div class="canvas-wrap" class:picking=move || store.picking.get().is_some()>
            <svg
                node_ref=svg_ref
                class="canvas"
                data-testid="canvas"
                role="application"
                aria-label="Network canvas"
                preserveAspectRatio="xMidYMid meet"
                viewBox=move || { let v = vb(); format!("{:.1} {:.1} {:.1} {:.1}", v.0, v.1, v.2, v.3) }
                on:pointerdown=on_background_down
                on:pointermove=on_pointermove
                on:pointerup=finish
                on:pointercancel=finish
                on:wheel=on_wheel
            >
                <defs>
                    <marker id="arrow-ok" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-ok" />
                    </marker>
                    <marker id="arrow-bad" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-bad" />
                    </marker>
                </defs>
                <Edges geometry=geometry />
                <For each=move || region_ids.get() key=|id| id.clone() let:id>
                    <RegionView id=id geometry=geometry start_drag=start_drag />
                </For>
                <PathOverlay geometry=geometry />
            </svg>
            <div class="canvas-tools">
                <button type="button" title="Zoom in" aria-label="Zoom in" data-testid="zoom-in" on:click=move |_| {
                    let v = geometry.with_untracked(|l| view_box(&store, l));
                    store.viewport.set(Some((v.0 + v.2 * 0.1, v.1 + v.3 * 0.1, v.2 * 0.8, v.3 * 0.8)));
                }>"+"</button>
                <button type="button" title="Zoom out" aria-label="Zoom out" data-testid="zoom-out" on:click=move |_| {
                    let v = geometry.with_untracked(|l| view_box(&store, l));
                    store.viewport.set(Some((v.0 - v.2 * 0.125, v.1 - v.3 * 0.125, v.2 * 1.25, v.3 * 1.25)));
                }>"\u{2212}"</button>
                <button type="button" title="Fit everything in view" data-testid="zoom-fit" on:click=move |_| store.viewport.set(None)>"Fit"</button>
            </div>
            <Show when=move || store.doc.with(|d| crate::edit::all_ids(d).is_empty())>
                <div class="canvas-empty" data-testid="canvas-empty">
                    <p><strong>"An empty network."</strong></p>
                    <p>"Add a Private Space, an app or a VPC from the palette on the left, or open an example from the menu."</p>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn RegionView(
    id: String,
    geometry: Memo<Layout>,
    start_drag: impl Fn(String, web_sys::PointerEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let store = use_store();
    let rid = id.clone();
    let region = Memo::new(move |_| geometry.with(|l| l.region(&rid).cloned()));
    let get = move || region.get();
    let card_ids = Memo::new(move |_| {
        region
            .with(|r| r.as_ref().map(|r| r.cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).unwrap_or_default())
    });
    let selected = {
        let id = id.clone();
        move || store.selection.with(|s| s.contains(&id))
    };
    let drag_id = id.clone();
    let key_id = id.clone();
    let test_id = format!("region-{id}");
    view! {
        <g
            class=move || get().map(|r| format!("region {}", r.kind.class())).unwrap_or_default()
            class:selected=selected
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
                aria-label=move || get().map(|r| format!("{}: {}. Drag to move, arrows to nudge.", r.kind.label(), r.title))
                on:pointerdown=move |ev| start_drag(drag_id.clone(), ev)
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        if !pick(&store, &key_id, None) {
                            store.select_only(&key_id);
                        }
                    }
                }
                on:focus={
                    let id = id.clone();
                    move |_| { if store.picking.get_untracked().is_none() { store.select_only(&id) } }
                }
            >
                <rect class="region-head" rx="14" x=move || get().map(|r| r.x) y=move || get().map(|r| r.y) width=move || get().map(|r| r.w) height=HEADER_H />
                <text class="region-title" x=move || get().map(|r| r.x + 14.0) y=move || get().map(|r| r.y + 20.0)>
                    {move || get().map(|r| r.title)}
                </text>
                <text class="region-subtitle" x=move || get().map(|r| r.x + 14.0) y=move || get().map(|r| r.y + 37.0)>
                    {move || get().map(|r| r.subtitle)}
                </text>
                <Show when=move || get().is_some_and(|r| r.kind == RegionKind::CedarShield)>
                    <g class="shield-mark" transform=move || get().map(|r| format!("translate({} {})", r.x + r.w - 62.0, r.y + 11.0))>
                        <title>"Shield space"</title>
                        <path d="M10 0 L20 4 L20 11 C20 18 15 22 10 24 C5 22 0 18 0 11 L0 4 Z" />
                    </g>
                </Show>
            </g>
            <For each=move || card_ids.get() key=|id| id.clone() let:cid>
                <CardView id=cid region=region />
            </For>
        </g>
    }
}

#[component]
fn CardView(id: String, region: Memo<Option<Region>>) -> impl IntoView {
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
    let test_id = format!("card-{id}");
    view! {
        <g
            class=move || get().map(|c| format!("card {}", card_class(c.kind))).unwrap_or_default()
            class:selected=selected
            data-testid=test_id
            tabindex="0"
            role="button"
            aria-label=move || get().map(|c| format!("{}: {}. {}", card_label(c.kind), c.title, c.lines.join("; ")))
            on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
            on:click=move |ev: web_sys::MouseEvent| activate(ev.shift_key())
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    activate_key(ev.shift_key());
                }
            }
        >
            <rect class="card-box" rx="8" x=move || get().map(|c| c.x) y=move || get().map(|c| c.y) width=CARD_W height=move || get().map(|c| c.h) />
            <text class="card-title" x=move || get().map(|c| c.x + 10.0) y=move || get().map(|c| c.y + 20.0)>
                {move || get().map(|c| format!("{} {}", card_icon(c.kind), c.title))}
            </text>
            <Show when=move || get().is_some_and(|c| c.badge.is_some())>
                <text class="card-badge" text-anchor="end" x=move || get().map(|c| c.x + CARD_W - 10.0) y=move || get().map(|c| c.y + 20.0)>
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
                                let y = c.y + 38.0 + 18.0 * i as f64;
                                view! { <text class="card-line" x=c.x + 10.0 y=y>{line.clone()}</text> }
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

/// The two points where a line between two regions leaves and enters them.
fn edge_points(a: &Region, b: &Region) -> ((f64, f64), (f64, f64)) {
    let (ac, bc) = (a.centre(), b.centre());
    if b.x > a.x + a.w {
        ((a.x + a.w, ac.1.min(a.y + a.h - 20.0).max(a.y + 20.0)), (b.x, bc.1.min(b.y + b.h - 20.0).max(b.y + 20.0)))
    } else if b.x + b.w < a.x {
        ((a.x, ac.1), (b.x + b.w, bc.1))
    } else if b.y > a.y {
        ((ac.0, a.y + a.h), (bc.0, b.y))
    } else {
        ((ac.0, a.y), (bc.0, b.y + b.h))
    }
}

#[component]
fn Edges(geometry: Memo<Layout>) -> impl IntoView {
    let store = use_store();
    view! {
        <g class="edges">
            {move || {
                geometry.with(|l| {
                    l.edges
                        .iter()
                        .filter_map(|e| {
                            let (a, b) = (l.region(&e.from)?, l.region(&e.to)?);
                            let ((x1, y1), (x2, y2)) = edge_points(a, b);
                            let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
                            // The label sits just above the line, so the answered path (which
                            // passes through the middle of the edge) does not cover it.
                            let ly = my - 22.0;
                            let id = e.id.clone();
                            let sel_id = e.id.clone();
                            let label_w = 9.0 * e.label.chars().count() as f64 + (if e.vpn { 34.0 } else { 16.0 });
                            Some(view! {
                                <g
                                    class="edge"
                                    class:vpn=e.vpn
                                    class:faded=e.faded
                                    class:selected=move || store.selection.with(|s| s.contains(&sel_id))
                                    data-testid=format!("edge-{}", e.id)
                                    tabindex="0"
                                    role="button"
                                    aria-label=format!("{} {}", if e.vpn { "VPN connection" } else { "Peering" }, e.label)
                                    on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
                                    on:click=move |_| store.select_only(&id)
                                >
                                    <line x1=x1 y1=y1 x2=x2 y2=y2 class="edge-line" />
                                    <rect class="edge-label-box" rx="6" x=mx - label_w / 2.0 y=ly - 13.0 width=label_w height="26" />
                                    {e.vpn.then(|| view! {
                                        <g class="lock" transform=format!("translate({} {})", mx - label_w / 2.0 + 8.0, ly - 8.0)>
                                            <path d="M3 7 V5 A4 4 0 0 1 11 5 V7" />
                                            <rect x="1" y="7" width="12" height="9" rx="2" />
                                        </g>
                                    })}
                                    <text class="edge-label" x=if e.vpn { mx + 9.0 } else { mx } y=ly + 5.0 text-anchor="middle">{e.label.clone()}</text>
                                </g>
                            })
                        })
                        .collect_view()
                })
            }}
        </g>
    }
}

/// The answered path, hop by hop, over the canvas; the blocking point is marked.
#[component]
fn PathOverlay(geometry: Memo<Layout>) -> impl IntoView {
    let store = use_store();
    let points = Memo::new(move |_| {
        let trace = store.trace.get()?;
        let doc_points = geometry.with(|l| {
            let mut pts: Vec<(f64, f64, usize, bool)> = Vec::new();
            let blocked_hop = trace.blocked_at.map(|b| b.hop);
            for (i, hop) in trace.hops.iter().enumerate() {
                let c = &hop.component;
                let blocked = blocked_hop == Some(i);
                // DNS and the router are not places on the canvas: the path skips them unless
                // they are where it stops.
                let placeless = matches!(c.kind, ComponentKind::Dns | ComponentKind::Router);
                let anchor = if placeless && !blocked {
                    None
                } else if c.id.is_empty() {
                    match c.kind {
                        ComponentKind::Internet => l.anchor(crate::edit::INTERNET),
                        _ => None,
                    }
                } else {
                    l.anchor(&c.id).or_else(|| edge_anchor(l, &c.id))
                };
                let Some((x, y)) = anchor else { continue };
                match pts.last_mut() {
                    Some(last) if (last.0 - x).abs() < 0.5 && (last.1 - y).abs() < 0.5 => last.3 |= blocked,
                    _ => pts.push((x, y, i + 1, blocked)),
                }
                if blocked {
                    break;
                }
            }
            pts
        });
        Some((trace.verdict, doc_points))
    });
    view! {
        <g class="path" data-testid="path">
            {move || {
                points
                    .get()
                    .map(|(verdict, pts)| {
                        let ok = verdict == Verdict::Connected;
                        let d = pts
                            .iter()
                            .enumerate()
                            .map(|(i, p)| format!("{}{:.1} {:.1}", if i == 0 { "M" } else { " L" }, p.0, p.1))
                            .collect::<String>();
                        let marks = pts
                            .iter()

                            .map(|p| {
                                let blocked = p.3;
                                view! {
                                    <g class="path-stop" class:blocked=blocked data-testid=if blocked { "path-block".to_owned() } else { format!("path-stop-{}", p.2) }>
                                        <circle cx=p.0 cy=p.1 r=if blocked { 15.0 } else { 11.0 } />
                                        <text x=p.0 y=p.1 + 5.0 text-anchor="middle">{if blocked { "\u{2716}".to_owned() } else { p.2.to_string() }}</text>
                                    </g>
                                }
                            })
                            .collect_view();
                        view! {
                            <path d=d class=if ok { "path-line ok" } else { "path-line bad" } marker-end=if ok { "url(#arrow-ok)" } else { "url(#arrow-bad)" } />
                            {marks}
                        }
                    })
            }}
        </g>
    }
}

/// A peering's or VPN's anchor: the middle of its edge.
fn edge_anchor(l: &Layout, id: &str) -> Option<(f64, f64)> {
    let e = l.edges.iter().find(|e| e.id == id)?;
    let (a, b) = (l.region(&e.from)?, l.region(&e.to)?);
    let ((x1, y1), (x2, y2)) = edge_points(a, b);
    Some(((x1 + x2) / 2.0, (y1 + y2) / 2.0))
}
