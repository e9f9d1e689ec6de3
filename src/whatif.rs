//! What if: every pair a change would open or close, before it is made. A suggested fix shows
//! what else it changes (a route for a whole /16 may open far more than the question asked);
//! "Preview as Fir" shows which connections of a Cedar space would break on Fir, each with the
//! rule that blocks it, and what the platform would refuse outright.
//!
//! Each preview is a `Memo` of the document, computed only while it is open, so it stays true
//! after further edits.

use std::sync::Arc;

use leptos::prelude::*;
use spacetrace_engine::diff::{Change, MatrixDiff, PairChange, diff};
use spacetrace_engine::doc::{Document, Generation};
use spacetrace_engine::trace::Fix;
use spacetrace_engine::{Diagnostic, Severity, check, render};

use crate::store::{Shared, use_store};

/// The document with a suggested fix applied, as the Apply button would apply it.
fn with_fix(d: &Document, fix: &Fix) -> Option<Document> {
    spacetrace_engine::apply::apply(d, fix).ok()
}

/// The document with one Cedar space turned Fir (Shield is Cedar-only, so it goes too).
pub fn as_fir(d: &Document, space: &str) -> Document {
    let mut out = d.clone();
    if let Some(s) = out.spaces.iter_mut().find(|s| s.id == space) {
        s.generation = Generation::Fir;
        s.shield = false;
    }
    out
}

/// What changes from `before` to `after`: the pairs, and the error diagnostics `after` adds.
pub struct WhatIf {
    pub changes: MatrixDiff,
    pub refused: Vec<Diagnostic>,
}

pub fn what_if(before: &Document, after: &Document) -> WhatIf {
    let (b, a) = (check(before), check(after));
    let changes = diff(&b.model, &a.model);
    let refused =
        a.diagnostics.iter().filter(|d| d.severity == Severity::Error && !b.diagnostics.contains(d)).cloned().collect();
    WhatIf { changes, refused }
}

fn pair(c: &PairChange) -> String {
    format!("{} \u{2192} {} ({})", c.source, c.destination, render::port(c.protocol, c.port))
}

/// The changed pairs, each with what it becomes.
fn change_list(test_id: &'static str, item_id: &'static str, w: &WhatIf) -> impl IntoView + use<> {
    let items = w
        .changes
        .changes
        .iter()
        .filter(|c| c.change != Change::Added && c.change != Change::Removed)
        .map(|c| {
            let kind = render::change(c.change);
            let rule = c.after.and_then(|o| o.blocked_by);
            view! {
                <li class=format!("wi-change {kind}") data-testid=item_id data-change=kind
                    data-from=c.source.clone() data-to=c.destination.clone() data-port=c.port
                    data-rule=rule.map(|r| r.as_str())>
                    <span class="mx-change-kind">{kind}</span>" "{pair(c)}
                    {rule.map(|r| view! { " " <span class="chip-static" title=r.info().summary>{r.as_str()}</span> })}
                </li>
            }
        })
        .collect_view();
    let refused = w
        .refused
        .iter()
        .map(|d| {
            let rules = d.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" ");
            view! {
                <li class="wi-refused" data-testid="whatif-refused">
                    "\u{2716} "{render::diagnostic_with_location(d)}" "<span class="chip-static">{rules}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="wi-list" data-testid=test_id>{refused}{items}</ul> }
}

fn counts(w: &WhatIf) -> String {
    let s = w.changes.summary();
    let n = s.opened + s.closed + s.changed;
    if n == 0 {
        return "No other pair changes.".to_owned();
    }
    format!(
        "{n} pair{} change: {} opened, {} closed, {} blocked by another rule.",
        if n == 1 { "" } else { "s" },
        s.opened,
        s.closed,
        s.changed
    )
}

/// Under a suggested fix: every pair it would change, before it is applied.
#[component]
pub fn FixPreview(fix: Fix) -> impl IntoView {
    let store = use_store();
    let open = RwSignal::new(false);
    let result = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        store.doc.with(|d| with_fix(d, &fix).map(|after| Shared(Arc::new(what_if(d, &after)))))
    });
    view! {
        <div class="wi">
            <button type="button" class="link" data-testid="fix-preview" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide what else it changes" } else { "What else does it change?" }}
            </button>
            {move || result.get().map(|w| view! {
                <p class="wi-counts" data-testid="fix-preview-counts">{counts(&w)}</p>
                {change_list("fix-preview-list", "fix-preview-change", &w)}
            })}
        </div>
    }
}

/// In a Cedar space's inspector: which connections would break were the space Fir.
#[component]
pub fn FirPreview(space: String) -> impl IntoView {
    let store = use_store();
    let open = RwSignal::new(false);
    let result = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        Some(Shared(Arc::new(store.doc.with(|d| what_if(d, &as_fir(d, &space))))))
    });
    view! {
        <div class="wi actions">
            <h3>"Migrating to Fir?"</h3>
            <button type="button" data-testid="preview-fir" aria-expanded=move || open.get().to_string()
                title="Which connections would break if this space were Fir-generation (peering, VPN, Internal Routing, custom trusted IPs, DNS discovery)"
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide the Fir preview" } else { "Preview as Fir" }}
            </button>
            {move || result.get().map(|w| view! {
                <p class="wi-counts" data-testid="fir-preview-counts">{counts(&w)}</p>
                {change_list("fir-preview", "fir-preview-change", &w)}
            })}
        </div>
    }
}
