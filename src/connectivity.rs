//! The connectivity view: every source against every destination service (the engine's matrix),
//! grouped by network in the canvas's colours, live on every edit. Each cell shows its verdict
//! by mark and colour; hovering or focusing a cell shows its blocking rule; clicking it (or Enter)
//! asks that question, so the trace fills the panel and the path the canvas. Filters narrow it;
//! a summary counts the verdicts and ranks the blocking rules.
//!
//! The grid is one focusable element (`aria-activedescendant` names the active cell), so ten
//! thousand cells carry no per-cell reactivity: the table is redrawn when the matrix or the
//! filter changes, and the active cell's mark is moved by an effect.

use std::sync::Arc;

use leptos::prelude::*;
use spacetrace_canvas::connectivity::{
    CellVerdict, Filter, Group, Summary, cell_id, cell_marks, change_line, describe, flat, parse_cell_id, summary,
    visible,
};
use spacetrace_engine::diff::{Change, MatrixDiff, diff_matrices};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::refs::{dst_ref, protocol_ref, src_ref};
use spacetrace_engine::trace::{Decision, Trace};
use spacetrace_engine::{Checked, RuleId, render};
use wasm_bindgen::JsCast;

use crate::store::{Draft, Shared, Store, use_store};

/// The most cells drawn at once; a larger matrix asks for a filter (its summary still counts all).
pub const MAX_DRAWN: usize = 20_000;

/// The matrix of the current document, computed only while the view is open.
fn matrix_memo(store: Store) -> Memo<Option<Shared<Matrix>>> {
    Memo::new(move |_| {
        if !store.matrix_open.get() {
            return None;
        }
        Some(Shared(Arc::new(store.checked.with(|c| Matrix::new(&c.model)))))
    })
}

/// Ask the question behind a cell: the panel shows its trace and the canvas its path.
fn ask(store: &Store, checked: &Checked, m: &Matrix, row: usize, column: usize) {
    if let Some(q) = m.query(row, column) {
        let (from, to) = q.to_doc(&checked.model);
        store.draft.set(Draft { from: Some(from), to: Some(to), protocol: q.protocol(), port: q.port() });
    }
}

/// The cell under an event, if any.
fn cell_at(ev: &web_sys::Event) -> Option<(usize, usize)> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let cell = el.closest("td.mx-cell").ok()??;
    parse_cell_id(&cell.id())
}

#[component]
pub fn Connectivity() -> impl IntoView {
    let store = use_store();
    let matrix = matrix_memo(store);
    let filter = RwSignal::new(Filter::default());
    // The baseline's matrix and the changes since, while the view is open.
    let base = Memo::new(move |_| {
        if !store.matrix_open.get() {
            return None;
        }
        let b = store.baseline.get()?;
        let m = Matrix::new(&b.model);
        Some((b, Shared(Arc::new(m))))
    });
    let changes: Memo<Option<Shared<MatrixDiff>>> = Memo::new(move |_| {
        let (b, bm) = base.get()?;
        let m = matrix.get()?;
        Some(Shared(Arc::new(store.checked.with(|c| diff_matrices(&b.model, &bm, &c.model, &m)))))
    });
    // The change whose two traces are compared, by its index in `changes`.
    let comparing: RwSignal<Option<usize>> = RwSignal::new(None);
    // Interaction state: the active cell (keyboard) and the cell under the pointer.
    let active: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let hovered: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    // The body shows the grid, or the charts of the same matrix (`charts.rs`).
    let charts = RwSignal::new(false);

    let counts = Memo::new(move |_| matrix.with(|m| m.as_ref().map(|m| summary(m))));
    let shown = Memo::new(move |_| {
        let f = filter.get();
        matrix.with(|m| m.as_ref().map(|m| store.checked.with(|c| visible(&c.model, m, &f))))
    });
    // The networks a filter can choose, from the whole matrix.
    let networks = Memo::new(move |_| {
        matrix.with(|m| {
            m.as_ref()
                .map(|m| {
                    store.checked.with(|c| {
                        let all = visible(&c.model, m, &Filter::default());
                        let names = |gs: &[Group]| {
                            gs.iter().map(|g| (g.network.region.clone(), g.network.name.clone())).collect::<Vec<_>>()
                        };
                        (names(&all.0), names(&all.1))
                    })
                })
                .unwrap_or_default()
        })
    });

    // The active cell's mark follows it (pushed to the page: no signal is written here).
    Effect::new(move |previous: Option<Option<String>>| {
        shown.track();
        let now = active.get().map(|(r, c)| cell_id(r, c));
        let doc = document();
        if let Some(Some(old)) = previous
            && let Some(el) = doc.get_element_by_id(&old)
        {
            let _ = el.class_list().remove_1("active");
        }
        if let Some(id) = &now
            && let Some(el) = doc.get_element_by_id(id)
        {
            let _ = el.class_list().add_1("active");
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            opts.set_inline(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
        now
    });

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some((rows, columns)) = shown.with_untracked(|s| s.as_ref().map(|(r, c)| (flat(r), flat(c)))) else {
            return;
        };
        if rows.is_empty() || columns.is_empty() {
            return;
        }
        let (r, c) = active
            .get_untracked()
            .and_then(|(r, c)| Some((rows.iter().position(|&x| x == r)?, columns.iter().position(|&x| x == c)?)))
            .unwrap_or((0, 0));
        let (nr, nc) = match ev.key().as_str() {
            "ArrowUp" => (r.saturating_sub(1), c),
            "ArrowDown" => ((r + 1).min(rows.len() - 1), c),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "ArrowRight" => (r, (c + 1).min(columns.len() - 1)),
            "Home" => (r, 0),
            "End" => (r, columns.len() - 1),
            "PageUp" => (r.saturating_sub(10), c),
            "PageDown" => ((r + 10).min(rows.len() - 1), c),
            "Enter" | " " => {
                ev.prevent_default();
                let (row, column) = (rows[r], columns[c]);
                active.set(Some((row, column)));
                if let Some(m) = matrix.get_untracked() {
                    store.checked.with_untracked(|checked| ask(&store, checked, &m, row, column));
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        active.set(Some((rows[nr], columns[nc])));
    };

    let on_click = move |ev: web_sys::MouseEvent| {
        let Some((row, column)) = cell_at(&ev) else { return };
        active.set(Some((row, column)));
        if let Some(m) = matrix.get_untracked() {
            store.checked.with_untracked(|checked| ask(&store, checked, &m, row, column));
        }
    };

    let status = move || {
        let at = hovered.get().or(active.get())?;
        let m = matrix.get()?;
        Some(store.checked.with(|c| describe(c, &m, at.0, at.1)))
    };

    let table = move || {
        let (Some(m), Some((rows, columns))) = (matrix.get(), shown.get()) else { return ().into_any() };
        let f = filter.get();
        let cells = flat(&rows).len() * flat(&columns).len();
        if cells == 0 {
            return view! { <p class="hint" data-testid="matrix-empty">"No pair matches these filters."</p> }
                .into_any();
        }
        if cells > MAX_DRAWN {
            return view! {
                <p class="hint" data-testid="matrix-too-big">
                    {format!(
                        "{} rows by {} columns is too many cells to draw ({cells}). Choose a source or destination network above; the counts and rules below cover every pair.",
                        flat(&rows).len(), flat(&columns).len()
                    )}
                </p>
            }
            .into_any();
        }
        let marks = changes.with(|d| d.as_ref().map(|d| cell_marks(d)).unwrap_or_default());
        store.checked.with(|checked| grid(checked, &m, &rows, &columns, &f, &marks)).into_any()
    };

    let set_filter = move |change: &dyn Fn(&mut Filter)| {
        filter.update(|f| change(f));
        active.set(None);
    };

    view! {
        <Show when=move || store.matrix_open.get()>
            <section class="connectivity panel" class:charts-on=move || charts.get() data-testid="matrix-view" aria-labelledby="mx-title">
                <header class="mx-head">
                    <h2 id="mx-title">"Connectivity"</h2>
                    <SummaryView counts=counts filter=filter />
                    <button type="button" class="mx-export" data-testid="matrix-csv"
                        title="Download the whole matrix as CSV (the same file as spacetrace matrix --csv)"
                        on:click=move |_| {
                            let Some(m) = matrix.get_untracked() else { return };
                            let (text, name) = store.checked.with_untracked(|c| {
                                (spacetrace_engine::matrix::to_csv(&c.model, &m), crate::files::file_stem(&c.model.name))
                            });
                            if let Err(e) = crate::files::download_text(&text, "text/csv", &format!("{name}-matrix.csv")) {
                                store.notice.set(Some(crate::store::Notice::Info(e)));
                            }
                        }>"\u{2913} CSV"</button>
                    <button type="button" class="mx-export" data-testid="matrix-charts" aria-pressed=move || charts.get().to_string()
                        title="Show the matrix as charts (by network, and blocked pairs by rule), to download for slides"
                        on:click=move |_| charts.update(|c| *c = !*c)>
                        {move || if charts.get() { "\u{25a6} Grid" } else { "\u{2583} Charts" }}
                    </button>
                    <button type="button" class="icon mx-close" title="Close the connectivity view" aria-label="Close the connectivity view"
                        on:click=move |_| store.matrix_open.set(false)>"\u{00d7}"</button>
                </header>
                <div class="mx-filters" role="group" aria-label="Filters">
                    <label>"From "
                        <select data-testid="matrix-filter-from" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.from = (!v.is_empty()).then(|| v.clone()));
                        }>
                            <option value="" selected=move || filter.with(|f| f.from.is_none())>"every network"</option>
                            {move || networks.get().0.into_iter().map(|(id, name)| {
                                let selected = filter.with(|f| f.from.as_deref() == Some(id.as_str()));
                                view! { <option value=id selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>"To "
                        <select data-testid="matrix-filter-to" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.to = (!v.is_empty()).then(|| v.clone()));
                        }>
                            <option value="" selected=move || filter.with(|f| f.to.is_none())>"every network"</option>
                            {move || networks.get().1.into_iter().map(|(id, name)| {
                                let selected = filter.with(|f| f.to.as_deref() == Some(id.as_str()));
                                view! { <option value=id selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>"Verdict "
                        <select data-testid="matrix-filter-verdict" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.verdict = CellVerdict::parse(&v));
                        }>
                            <option value="" selected=move || filter.with(|f| f.verdict.is_none())>"any"</option>
                            {[CellVerdict::Connected, CellVerdict::Blocked, CellVerdict::Unmodelled].into_iter().map(|v| view! {
                                <option value=v.as_str() selected=move || filter.with(|f| f.verdict == Some(v))>{format!("{} {}", v.mark(), v.as_str())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>"Blocked by "
                        <select data-testid="matrix-filter-rule" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.rule = RuleId::ALL.into_iter().find(|r| r.as_str() == v));
                        }>
                            <option value="" selected=move || filter.with(|f| f.rule.is_none())>"any rule"</option>
                            {move || counts.get().map(|s| s.rules).unwrap_or_default().into_iter().map(|(r, n)| view! {
                                <option value=r.as_str() selected=move || filter.with(|f| f.rule == Some(r))>{format!("{} ({n})", r.as_str())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" data-testid="matrix-filter-clear" disabled=move || filter.with(Filter::is_empty)
                        on:click=move |_| set_filter(&|f| *f = Filter::default())>"Clear"</button>
                </div>
                <div class="mx-baseline" role="group" aria-label="Before and after">
                    <button type="button" data-testid="baseline-set"
                        title="Pin the network as it is now; later edits are compared against it"
                        on:click=move |_| { store.baseline.set(Some(store.checked.get_untracked())); comparing.set(None); }>
                        {move || if store.baseline.with(Option::is_some) { "\u{2691} Reset baseline" } else { "\u{2691} Set baseline" }}
                    </button>
                    {move || store.baseline.get().map(|b| {
                        let name = b.model.name.clone();
                        view! {
                            <span class="mx-base-name" title=format!("Baseline: {name}")>{format!("Baseline: {name}")}</span>
                            <span class="mx-diff-summary" data-testid="matrix-diff-summary">
                                {move || changes.get().map(|d| render::diff_summary(&d.summary()))}
                            </span>
                            <button type="button" class="link" data-testid="baseline-clear"
                                on:click=move |_| { store.baseline.set(None); comparing.set(None); }>"Clear baseline"</button>
                        }
                    })}
                </div>
                <Show when=move || !charts.get() fallback=move || view! { <crate::charts::Charts matrix=matrix /> }>
                <div class="mx-body">
                <div class="mx-scroll" data-testid="matrix" role="grid" tabindex="0"
                    aria-label="Connectivity: sources in rows, destination services in columns. Arrow keys move, Enter asks."
                    aria-activedescendant=move || active.get().map(|(r, c)| cell_id(r, c))
                    on:keydown=on_key
                    on:click=on_click
                    on:mouseover=move |ev: web_sys::MouseEvent| hovered.set(cell_at(&ev))
                    on:mouseleave=move |_| hovered.set(None)>
                    {table}
                </div>
                <Show when=move || changes.with(Option::is_some)>
                    <ChangesView changes=changes comparing=comparing base=base matrix=matrix />
                </Show>
                </div>
                </Show>
                {move || {
                    let m = matrix.get()?;
                    store.checked.with(|c| {
                        (!m.is_complete(&c.model)).then(|| {
                            let total: usize = c.model.apps.iter().map(|a| a.processes.len()).sum::<usize>()
                                + c.model.hosts.len() + c.model.remote_hosts.len() + c.model.clients.len();
                            view! {
                                <p class="mx-cut" data-testid="matrix-cut" role="note">
                                    {format!(
                                        "\u{26A0} This network is too large to answer every pair at once: the first {} of its {total} sources are shown and counted.",
                                        m.sources.len()
                                    )}
                                </p>
                            }
                        })
                    })
                }}
                <p class="mx-status" data-testid="matrix-status" aria-live="polite">
                    {move || status().unwrap_or_else(|| "Hover over or move to a cell to see its answer; click it or press Enter to ask it.".to_owned())}
                </p>
            </section>
        </Show>
    }
}

/// The list of changes since the baseline; one opens both traces side by side.
#[component]
fn ChangesView(
    changes: Memo<Option<Shared<MatrixDiff>>>,
    comparing: RwSignal<Option<usize>>,
    base: Memo<Option<(Shared<Checked>, Shared<Matrix>)>>,
    matrix: Memo<Option<Shared<Matrix>>>,
) -> impl IntoView {
    let store = use_store();
    view! {
        <aside class="mx-changes-pane" class:comparing=move || comparing.with(Option::is_some) aria-label="Changes since the baseline">
            {move || match comparing.get() {
                None => {
                    let list = changes.get().map(|d| d.changes.clone()).unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="hint" data-testid="matrix-changes">"No pair has changed since the baseline."</p> }.into_any();
                    }
                    view! {
                        <ul class="mx-changes" data-testid="matrix-changes">
                            {list.into_iter().enumerate().map(|(i, c)| {
                                let kind = render::change(c.change);
                                let detail = format!("{} \u{2192} {}", render::outcome(c.before), render::outcome(c.after));
                                view! {
                                    <li>
                                        <button type="button" class=format!("mx-change {kind}") data-testid="matrix-change"
                                            data-change=kind data-from=c.source.clone() data-to=c.destination.clone()
                                            title=detail on:click=move |_| comparing.set(Some(i))>
                                            <span class="mx-change-kind">{kind}</span>" "{change_line(&c)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Some(i) => {
                    let Some(c) = changes.get().and_then(|d| d.changes.get(i).cloned()) else {
                        return ().into_any();
                    };
                    // Each trace with its hops' names, from the model it was answered on.
                    let named = |model: &spacetrace_engine::model::Model, t: Trace| {
                        let names = t.hops.iter().map(|h| render::component(model, &h.component)).collect::<Vec<_>>();
                        (t, names)
                    };
                    let before = base.get().and_then(|(b, bm)| {
                        c.before_cell.and_then(|at| bm.trace(&b.model, at.row, at.column)).map(|t| named(&b.model, t))
                    });
                    let after = matrix.get().and_then(|m| {
                        c.after_cell.and_then(|at| {
                            store.checked.with(|k| m.trace(&k.model, at.row, at.column).map(|t| named(&k.model, t)))
                        })
                    });
                    let parted = match (&before, &after) {
                        (Some((b, _)), Some((a, _))) => spacetrace_engine::diff::first_difference(b, a),
                        _ => None,
                    };
                    let (hop, step) = parted.as_ref().map(|f| (f.hop, f.step)).unzip();
                    let first = parted.as_ref().map(|f| format!("They part at hop {}, step {}.", f.hop + 1, f.step + 1));
                    view! {
                        <div class="mx-compare" data-testid="matrix-compare">
                            <p class="mx-compare-head">
                                <button type="button" class="link" data-testid="matrix-compare-back" on:click=move |_| comparing.set(None)>"\u{2190} All changes"</button>
                                " "<strong>{render::change(c.change)}</strong>" "{change_line(&c)}
                            </p>
                            <p class="mx-first" data-testid="matrix-first-difference">{first.unwrap_or_else(|| "Only one of the two networks answers this pair.".to_owned())}</p>
                            <div class="mx-sides">
                                <TraceSide title="Baseline" test_id="compare-before" trace=before hop=hop step=step />
                                <TraceSide title="Now" test_id="compare-after" trace=after hop=hop step=step />
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </aside>
    }
}

/// One trace, hop by hop (with the names of its hops), with the step where it parts from the
/// other marked.
#[component]
fn TraceSide(
    title: &'static str,
    test_id: &'static str,
    trace: Option<(Trace, Vec<String>)>,
    hop: Option<usize>,
    step: Option<usize>,
) -> impl IntoView {
    let Some((t, names)) = trace else {
        return view! {
            <section class="mx-side" data-testid=test_id>
                <h3>{title}</h3>
                <p class="hint">"Not answered in this network."</p>
            </section>
        }
        .into_any();
    };
    let ok = t.verdict == spacetrace_engine::Verdict::Connected;
    let hops = t
        .hops
        .iter()
        .enumerate()
        .map(|(h, x)| {
            let steps = x
                .steps
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let sign = match s.decision {
                        Decision::Pass => "\u{2713}",
                        Decision::Block => "\u{2717}",
                        Decision::Note => "\u{2022}",
                    };
                    let first = hop == Some(h) && step == Some(k);
                    view! {
                        <li class="step" class:first-difference=first>
                            <span class="sign" aria-hidden="true">{sign}</span>" "
                            {render::step(s)}" "<span class="chip-static">{s.rule.as_str()}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="hop" class:first-difference=hop == Some(h)>
                    <span class="hop-kind">{format!("{} ", h + 1)}{render::component_kind(x.component.kind)}</span>" "
                    <strong>{names.get(h).cloned().unwrap_or_default()}</strong>
                    <ul class="steps">{steps}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="mx-side" data-testid=test_id data-verdict=if ok { "connected" } else { "blocked" }>
            <h3>{title}" "<span class=if ok { "verdict-mini ok" } else { "verdict-mini bad" }>{if ok { "\u{2714} connected" } else { "\u{2716} blocked" }}</span></h3>
            <ol class="mx-hops">{hops}</ol>
        </section>
    }
    .into_any()
}

/// The counts and the blocking rules ranked; a rule filters the grid to its cells.
#[component]
fn SummaryView(counts: Memo<Option<Summary>>, filter: RwSignal<Filter>) -> impl IntoView {
    view! {
        {move || counts.get().map(|s| view! {
            <div class="mx-summary" data-testid="matrix-summary">
                <span class="mx-count connected" data-testid="matrix-count-connected" data-count=s.connected>
                    {format!("{} {} connected", CellVerdict::Connected.mark(), s.connected)}
                </span>
                <span class="mx-count blocked" data-testid="matrix-count-blocked" data-count=s.blocked>
                    {format!("{} {} blocked", CellVerdict::Blocked.mark(), s.blocked)}
                </span>
                <span class="mx-count unmodelled" data-testid="matrix-count-unmodelled" data-count=s.unmodelled>
                    {format!("{} {} not modelled", CellVerdict::Unmodelled.mark(), s.unmodelled)}
                </span>
                <ol class="mx-rules" aria-label="Blocking rules, most cells first">
                    {s.rules.iter().take(4).map(|&(r, n)| view! {
                        <li>
                            <button type="button" class="chip-static" data-testid="matrix-rule" data-rule=r.as_str()
                                title=format!("{}: {}. Show only the cells it blocks.", r.as_str(), r.info().summary)
                                aria-pressed=move || filter.with(|f| f.rule == Some(r)).to_string()
                                on:click=move |_| filter.update(|f| f.rule = if f.rule == Some(r) { None } else { Some(r) })>
                                {format!("{} \u{00d7}{n}", r.as_str())}
                            </button>
                        </li>
                    }).collect_view()}
                </ol>
            </div>
        })}
    }
}

/// The table: a row of network headers, a row of service headers, then one row per source,
/// each source network's rows headed by its name.
fn grid(
    checked: &Checked,
    m: &Matrix,
    rows: &[Group],
    columns: &[Group],
    f: &Filter,
    marks: &std::collections::HashMap<(usize, usize), Change>,
) -> impl IntoView + use<> {
    let model = &checked.model;
    let column_list = flat(columns);
    let head_groups = columns
        .iter()
        .map(|g| {
            let class = format!("mx-net {}", g.network.kind.class());
            view! { <th class=class colspan=g.members.len() scope="colgroup" title=g.network.name.clone()>{g.network.name.clone()}</th> }
        })
        .collect_view();
    let head_services = column_list
        .iter()
        .map(|&c| {
            let svc = &m.services[c];
            let label = format!(
                "{} {} {}",
                render::dst_label(model, svc.dst),
                protocol_ref(svc.protocol).to_uppercase(),
                svc.port
            );
            let short = render::service_short(model, svc.dst, svc.port);
            view! { <th class="mx-col" scope="col" title=label><span>{short}</span></th> }
        })
        .collect_view();
    let to_refs: Vec<String> = column_list.iter().map(|&c| dst_ref(model, m.services[c].dst)).collect();
    let width = column_list.len() + 1;
    let body = rows
        .iter()
        .map(|g| {
            let class = format!("mx-net mx-group {}", g.network.kind.class());
            let name = g.network.name.clone();
            let lines = g
                .members
                .iter()
                .map(|&r| {
                    let from = src_ref(model, m.sources[r]);
                    let label = render::src_label(model, m.sources[r]);
                    let short = render::src_short(model, m.sources[r]);
                    let cells = column_list
                        .iter()
                        .zip(&to_refs)
                        .map(|(&c, to)| {
                            let cell = m.cell(r, c);
                            let v = CellVerdict::of(cell);
                            let svc = &m.services[c];
                            let dim = !f.matches(cell);
                            let changed = match marks.get(&(r, c)) {
                                Some(Change::Opened) => Some("opened"),
                                Some(Change::Closed) => Some("closed"),
                                _ => None,
                            };
                            let rule_changed = marks.get(&(r, c)) == Some(&Change::Changed);
                            let title = match cell.and_then(|o| o.blocked_by) {
                                Some(rule) => format!("{} \u{2014} {}", v.as_str(), rule.as_str()),
                                None => v.as_str().to_owned(),
                            };
                            view! {
                                <td id=cell_id(r, c) role="gridcell" class=format!("mx-cell {}", v.as_str()) class:dim=dim class:rule-changed=rule_changed data-changed=changed
                                    data-testid="matrix-cell" data-from=from.clone() data-to=to.clone()
                                    data-protocol=protocol_ref(svc.protocol) data-port=svc.port data-verdict=v.as_str()
                                    data-rule=cell.and_then(|o| o.blocked_by).map(RuleId::as_str)
                                    title=title>{v.mark()}</td>
                            }
                        })
                        .collect_view();
                    let title = format!("{label} ({from})");
                    let row_class = format!("mx-row {}", g.network.kind.class());
                    view! {
                        <tr>
                            <th class=row_class scope="row" title=title>{short}</th>
                            {cells}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tr class="mx-group-row"><th class=class colspan=width scope="rowgroup"><span>{name}</span></th></tr>
                {lines}
            }
        })
        .collect_view();
    view! {
        <table class="mx-table">
            <thead>
                <tr><th class="mx-corner" rowspan="2">"From \u{2193} \u{00b7} To \u{2192}"</th>{head_groups}</tr>
                <tr>{head_services}</tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
