//! The question panel: pick a source and a destination (lists or canvas), a protocol and a port;
//! the answer appears at once as a verdict, a hop-by-hop trace with rule chips, the address the
//! destination sees, and suggested changes with "apply". Saved questions re-evaluate live.

use leptos::prelude::*;
use spacetrace_edit::question::{
    OptionGroup, destination_options, from_key, natural_port, parse_from, parse_to, source_options, to_key,
};
use spacetrace_engine::doc::{self, Protocol};
use spacetrace_engine::plan::{Plan, PlanOutcome, plan};
use spacetrace_engine::render;
use spacetrace_engine::rules::RuleId;
use spacetrace_engine::trace::{Decision, Fix, Trace, Verdict};

use crate::edit::Edit;
use crate::store::{Pick, Store, use_store};

/// Set the destination, and the port it usually answers on.
pub fn set_destination(store: &Store, to: doc::To) {
    let port = store.doc.with_untracked(|d| natural_port(d, &to));
    store.draft.update(|d| {
        if let Some(p) = port {
            d.port = p;
        }
        d.to = Some(to);
    });
}

fn options_view(groups: Vec<OptionGroup>, selected: Option<String>) -> impl IntoView {
    groups
        .into_iter()
        .map(|(label, items)| {
            let selected = selected.clone();
            view! {
                <optgroup label=label>
                    {items
                        .into_iter()
                        .map(|(key, text)| {
                            let is = selected.as_deref() == Some(key.as_str());
                            view! { <option value=key selected=is>{text}</option> }
                        })
                        .collect_view()}
                </optgroup>
            }
        })
        .collect_view()
}

#[component]
pub fn QuestionPanel() -> impl IntoView {
    let store = use_store();
    let from_groups = Memo::new(move |_| store.doc.with(source_options));
    let to_groups = Memo::new(move |_| store.doc.with(destination_options));
    let from_key_now = move || store.draft.with(|d| d.from.as_ref().map(from_key));
    let to_key_now = move || store.draft.with(|d| d.to.as_ref().map(to_key));
    let picking = move |which: Pick| move || store.picking.get() == Some(which);

    view! {
        <section class="panel question" data-testid="question-panel" aria-labelledby="question-title">
            <h2 id="question-title">"Ask: can this reach that?"</h2>
            <div class="q-grid">
                <label for="q-from">"From"</label>
                <div class="q-row">
                    <select id="q-from" data-testid="question-from" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        store.draft.update(|d| d.from = parse_from(&v));
                    }>
                        <option value="" selected=move || from_key_now().is_none()>"Choose a source\u{2026}"</option>
                        {move || options_view(from_groups.get(), from_key_now())}
                    </select>
                    <button type="button" class="pick" class:active=picking(Pick::From) data-testid="pick-from"
                        title="Pick the source on the canvas"
                        aria-pressed=move || picking(Pick::From)().to_string()
                        on:click=move |_| store.picking.update(|p| *p = if *p == Some(Pick::From) { None } else { Some(Pick::From) })>
                        "\u{25CE} pick"
                    </button>
                </div>
                <label for="q-to">"To"</label>
                <div class="q-row">
                    <select id="q-to" data-testid="question-to" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        match parse_to(&v) {
                            Some(to) => set_destination(&store, to),
                            None => store.draft.update(|d| d.to = None),
                        }
                    }>
                        <option value="" selected=move || to_key_now().is_none()>"Choose a destination\u{2026}"</option>
                        {move || options_view(to_groups.get(), to_key_now())}
                    </select>
                    <button type="button" class="pick" class:active=picking(Pick::To) data-testid="pick-to"
                        title="Pick the destination on the canvas"
                        aria-pressed=move || picking(Pick::To)().to_string()
                        on:click=move |_| store.picking.update(|p| *p = if *p == Some(Pick::To) { None } else { Some(Pick::To) })>
                        "\u{25CE} pick"
                    </button>
                </div>
                <label for="q-port">"Port"</label>
                <div class="q-row">
                    <select aria-label="Protocol" data-testid="question-protocol" on:change=move |ev| {
                        let p = if event_target_value(&ev) == "udp" { Protocol::Udp } else { Protocol::Tcp };
                        store.draft.update(|d| d.protocol = p);
                    }>
                        <option value="tcp" selected=move || store.draft.with(|d| d.protocol == Protocol::Tcp)>"TCP"</option>
                        <option value="udp" selected=move || store.draft.with(|d| d.protocol == Protocol::Udp)>"UDP"</option>
                    </select>
                    <input id="q-port" type="number" min="1" max="65535" data-testid="question-port"
                        prop:value=move || store.draft.with(|d| if d.port == 0 { String::new() } else { d.port.to_string() })
                        on:input=move |ev| {
                            // Empty, 0 or out of range: no port, and the answer says so.
                            let p = event_target_value(&ev).trim().parse::<u16>().unwrap_or(0);
                            store.draft.update(|d| d.port = p);
                        } />
                </div>
            </div>
            <Show when=move || store.picking.get().is_some()>
                <p class="hint picking-hint" role="status">
                    {move || if store.picking.get() == Some(Pick::From) { "Click a dyno's app, a host or a client on the canvas." } else { "Click an app, add-on, host or service on the canvas." }}
                </p>
            </Show>
            <Answer />
        </section>
    }
}

#[component]
fn Answer() -> impl IntoView {
    let store = use_store();
    // Why there is no answer: an end not chosen yet, or the engine's reason the question cannot
    // be asked (said by `render::unasked`).
    let unanswerable = move || {
        let d = store.draft.get();
        if d.from.is_none() || d.to.is_none() {
            return Some(NO_ANSWER.to_owned());
        }
        store.unasked.get().map(|e| render::unasked(&e))
    };
    view! {
        <div class="answer" data-testid="answer" aria-live="polite">
            {move || match (unanswerable(), store.trace.get()) {
                (None, Some(trace)) => view! { <TraceView trace=trace.0.clone() /> }.into_any(),
                (text, _) => view! { <p class="hint" data-testid="answer-empty">{text.unwrap_or_else(|| NO_ANSWER.to_owned())}</p> }.into_any(),
            }}
        </div>
    }
}

const NO_ANSWER: &str = "Choose a source and a destination to see the answer.";

/// A rule ID as a button that opens what the rule says.
fn rule_chip(open_rule: RwSignal<Option<RuleId>>, rule: RuleId, test_id: &'static str) -> impl IntoView {
    view! {
        <button type="button" class="rule-chip" data-testid=test_id data-rule=rule.as_str()
            title="What this rule says"
            aria-expanded=move || (open_rule.get() == Some(rule)).to_string()
            on:click=move |_| open_rule.update(|r| *r = if *r == Some(rule) { None } else { Some(rule) })>
            {rule.as_str()}
        </button>
    }
}

/// The answer, most important first: the verdict and the question; when blocked, the step that
/// blocked and what would connect it (with "Apply"); the address the destination sees; then every
/// hop in order, and the assumptions. The head comes first so that it stays on screen however
/// long the trace is.
#[component]
pub fn TraceView(trace: std::sync::Arc<Trace>) -> impl IntoView {
    let store = use_store();
    let open_rule = RwSignal::new(None::<RuleId>);
    let (question_text, seen, names) = store.checked.with_untracked(|c| {
        let names: Vec<String> = trace.hops.iter().map(|h| render::component(&c.model, &h.component)).collect();
        (render::question(&c.model, &trace.query), trace.seen_as.as_ref().map(render::seen_as), names)
    });
    let ok = trace.verdict == Verdict::Connected;
    let blocked_hop = trace.blocked_at.map(|b| b.hop);
    let assumptions = trace.assumptions();
    let assumed = trace.assumed.clone();
    let blocking = trace.blocked_at.and_then(|at| {
        let hop = trace.hops.get(at.hop)?;
        let step = hop.steps.get(at.step)?;
        Some((
            at.hop + 1,
            render::component_kind(hop.component.kind),
            names.get(at.hop).cloned().unwrap_or_default(),
            render::step(step),
            step.rule,
        ))
    });
    let suggestions = (blocking.is_some() && !trace.suggestions.is_empty()).then(|| {
        let items = trace
            .suggestions
            .iter()
            .map(|s| {
                let fix = s.fix.clone();
                let text = store.checked.with_untracked(|c| render::fix_in(&c.model, &fix));
                let action = suggestion_action(&store, &fix);
                let preview =
                    fix.is_configuration_change().then(|| view! { <crate::whatif::FixPreview fix=fix.clone() /> });
                view! {
                    <li class="suggestion" data-testid="suggestion">
                        <span class="fix-text">{text}" "<span class="chip-static">{s.rule.as_str()}</span></span>
                        {action}
                        {preview}
                        <crate::commands::FixCommands fix=fix.clone() />
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="fixes" data-testid="suggestions">
                <p class="fixes-title">"What would connect it:"</p>
                <ul>{items}</ul>
            </div>
        }
    });
    // Every blocker, one plan: what else blocks once the first is fixed, and the changes that
    // connect the question together ("Apply all", one undo step). Computed with the answer (a new
    // answer is a new view), and left out when it would only repeat the fix above: a first step no
    // configuration passes.
    let plan_view = blocking
        .is_some()
        .then(|| store.doc.with_untracked(|d| plan(d, &trace.query)))
        .filter(|p| p.blockers.len() > 1 || p.connects())
        .map(|p| plan_view(&store, open_rule, p));
    let hops = trace
        .hops
        .iter()
        .enumerate()
        .map(|(i, hop)| {
            let blocked = blocked_hop == Some(i);
            let steps = hop
                .steps
                .iter()
                .map(|s| {
                    let (sign, class) = match s.decision {
                        Decision::Pass => ("\u{2713}", "pass"),
                        Decision::Block => ("\u{2717}", "block"),
                        Decision::Note => ("\u{2022}", "note"),
                    };
                    view! {
                        <li class=format!("step {class}")>
                            <span class="sign" aria-hidden="true">{sign}</span>
                            <span class="step-text">{render::step(s)}</span>
                            {rule_chip(open_rule, s.rule, "rule-chip")}
                        </li>
                    }
                })
                .collect_view();
            // The hop the packet's walk is at, lit as its stop on the canvas is.
            let here = move || store.walk_packet().is_some_and(|p| p.hop == i);
            view! {
                <li class="hop" class:blocked=blocked data-testid=format!("hop-{}", i + 1)
                    class:current=here data-current=move || here().then_some("true")
                    aria-current=move || here().then_some("step")>
                    <div class="hop-head">
                        <span class="hop-n" aria-hidden="true">{if blocked { "\u{2716}".to_owned() } else { (i + 1).to_string() }}</span>
                        <span class="hop-kind">{render::component_kind(hop.component.kind)}</span>
                        <span class="hop-name">{names.get(i).cloned().unwrap_or_default()}</span>
                    </div>
                    <ul class="steps">{steps}</ul>
                </li>
            }
        })
        .collect_view();
    // The walk's hop is scrolled into view in the trace (pushes outward only: the scroll).
    let hops_ref = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        let Some(hop) = store.walk_packet().map(|p| p.hop) else { return };
        let Some(list) = hops_ref.get() else { return };
        if let Ok(Some(el)) = list.query_selector(&format!("[data-testid='hop-{}']", hop + 1)) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });
    view! {
        <div class="trace">
            <div class="answer-head">
                <p class=if ok { "verdict ok" } else { "verdict bad" } data-testid="verdict" data-verdict=if ok { "connected" } else { "blocked" }>
                    {if ok { "\u{2714} connected" } else { "\u{2716} blocked" }}
                </p>
                <p class="q-text" data-testid="question-text">{question_text}</p>
            </div>
            {blocking.map(|(n, kind, name, text, rule)| {
                let where_title = format!("Blocked at hop {n}: {kind} {name}");
                view! {
                    <div class="blocking" data-testid="blocking-step">
                        <p class="blocking-where" title=where_title>
                            {format!("Blocked at hop {n}: ")}
                            <span class="hop-kind">{kind}</span>" "
                            <strong>{name}</strong>
                        </p>
                        <p class="blocking-text">
                            <span class="step-text">{text}</span>
                            {rule_chip(open_rule, rule, "blocking-rule")}
                        </p>
                        {suggestions}
                        {plan_view}
                    </div>
                }
            })}
            {seen.map(|s| view! { <p class="seen-as" data-testid="seen-as"><strong>"The destination sees: "</strong>{s}</p> })}
            <Show when=move || open_rule.get().is_some()>
                <RuleCard rule=open_rule />
            </Show>
            <h3 class="hops-title">"Hop by hop"</h3>
            <ol class="hops" data-testid="hops" node_ref=hops_ref>{hops}</ol>
            {(!assumptions.is_empty() || !assumed.is_empty()).then(|| view! {
                <div class="assumption" data-testid="assumptions">
                    <p class="assumption-title">"Assumptions (modelling choices, not documented platform behaviour):"</p>
                    <ul>
                        {assumed.iter().map(|a| view! { <li>{render::assumption(a)}</li> }).collect_view()}
                        {assumptions.iter().map(|r| view! { <li>{format!("{} is itself an assumption.", r.as_str())}</li> }).collect_view()}
                    </ul>
                </div>
            })}
        </div>
    }
}

/// A blocked answer's plan: the later blockers (each with its rule), the changes in order, how
/// it ends, and "Apply all" when together they connect the question.
fn plan_view(store: &Store, open_rule: RwSignal<Option<RuleId>>, p: Plan) -> impl IntoView + use<> {
    let store = *store;
    let (outcome, fixes) = store.checked.with_untracked(|c| {
        let fixes: Vec<(String, RuleId)> = p.fixes.iter().map(|s| (render::fix_in(&c.model, &s.fix), s.rule)).collect();
        (render::plan_outcome(&c.model, &p), fixes)
    });
    let further = p
        .further()
        .iter()
        .map(|b| {
            view! {
                <li class="plan-blocker" data-testid="plan-blocker" data-rule=b.step.rule.as_str()>
                    <span class="step-text">{render::plan_blocker(b)}</span>
                    {rule_chip(open_rule, b.step.rule, "plan-rule")}
                </li>
            }
        })
        .collect_view();
    let further = (!p.further().is_empty()).then(|| {
        view! {
            <p class="fixes-title">{render::PLAN_FURTHER}</p>
            <ul class="plan-blockers">{further}</ul>
        }
    });
    // The changes are listed when there is more than the one above, or when they stop short.
    let listed = p.fixes.len() > 1 || (!p.fixes.is_empty() && !p.connects());
    let apply_all = (p.connects() && p.fixes.len() > 1).then(|| {
        let all = p.fix_list();
        view! {
            <button type="button" class="apply" data-testid="apply-all"
                title="Apply every change of the plan, as one step to undo"
                on:click=move |_| { store.apply(Edit::ApplyFixes(all.clone())); }>
                "Apply all"
            </button>
        }
    });
    let changes = listed.then(|| {
        let items = fixes
            .into_iter()
            .map(|(text, rule)| {
                view! {
                    <li class="plan-fix" data-testid="plan-fix">
                        {text}" "<span class="chip-static">{rule.as_str()}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="plan-head">
                <p class="fixes-title">{render::plan_title(&p)}</p>
                {apply_all}
            </div>
            <ol class="plan-fixes">{items}</ol>
        }
    });
    let kind = match p.outcome {
        PlanOutcome::Connects => "connects",
        PlanOutcome::Stuck { .. } => "stuck",
        _ => "stopped",
    };
    let stuck_rule = (!p.connects()).then(|| p.blockers.last().map(|b| b.step.rule)).flatten();
    view! {
        <div class="plan" data-testid="plan">
            {further}
            {changes}
            <p class=format!("plan-outcome {kind}") data-testid="plan-outcome" data-outcome=kind>
                {outcome}
                {stuck_rule.map(|r| view! { " "<span class="chip-static">{r.as_str()}</span> })}
            </p>
        </div>
    }
}

/// The button under a suggestion: apply a configuration change, or ask the changed question.
fn suggestion_action(store: &Store, fix: &Fix) -> Option<AnyView> {
    let store = *store;
    if fix.is_configuration_change() {
        let fix = fix.clone();
        return Some(
            view! {
                <button type="button" class="apply" data-testid="apply-fix" on:click=move |_| { store.apply(Edit::ApplyFix(fix.clone())); }>
                    "Apply"
                </button>
            }
            .into_any(),
        );
    }
    let change: Option<Box<dyn Fn() + Send + Sync>> = match fix.clone() {
        Fix::UsePort { port } => Some(Box::new(move || store.draft.update(|d| d.port = port))),
        Fix::UseHostname { app } => Some(Box::new(move || set_destination(&store, doc::To::Hostname(app.clone())))),
        Fix::UseDynoAddress { app, process } => Some(Box::new(move || {
            set_destination(&store, doc::To::DynoAddress { app: app.clone(), process: process.clone() })
        })),
        _ => None,
    };
    change.map(|f| view! { <button type="button" class="apply secondary" data-testid="ask-instead" on:click=move |_| f()>"Ask that"</button> }.into_any())
}

#[component]
fn RuleCard(rule: RwSignal<Option<RuleId>>) -> impl IntoView {
    view! {
        {move || rule.get().map(|r| {
            let info = r.info();
            let sources = info
                .sources
                .iter()
                .map(|s| view! { <li><a href=s.url() target="_blank" rel="noopener noreferrer">{s.title()}</a></li> })
                .collect_view();
            view! {
                <div class="rule-card" data-testid="rule-card" role="note">
                    <p><strong>{r.as_str()}</strong>" \u{2014} "{info.summary}</p>
                    {r.is_assumption().then(|| view! { <p class="assumption">"This rule is a modelling assumption."</p> })}
                    <ul class="sources">{sources}</ul>
                    <button type="button" class="link" on:click=move |_| rule.set(None)>"Close"</button>
                </div>
            }
        })}
    }
}

/// Saved questions, answered live on every edit.
#[component]
pub fn SavedQuestions() -> impl IntoView {
    let store = use_store();
    let save = move |_| {
        let d = store.draft.get_untracked();
        let (Some(from), Some(to)) = (d.from, d.to) else { return };
        let Some(query) = store.query.get_untracked() else { return };
        let name = store.checked.with_untracked(|c| render::question(&c.model, &query));
        let id = store
            .doc
            .with_untracked(|doc| spacetrace_engine::apply::unused_id(doc, &format!("q-{}", doc.questions.len() + 1)));
        store.apply(Edit::SaveQuestion(doc::Question {
            id,
            name,
            from,
            to,
            protocol: d.protocol,
            port: Some(d.port),
            expect: None,
        }));
    };
    view! {
        <section class="panel saved" data-testid="saved-questions" aria-labelledby="saved-title">
            <div class="panel-head">
                <h2 id="saved-title">"Saved questions"</h2>
                <button type="button" data-testid="save-question" disabled=move || store.query.get().is_none() on:click=save>"Save this question"</button>
            </div>
            <ul class="saved-list">
                {move || {
                    let graded = store.graded.get();
                    let questions = store.doc.with(|d| d.questions.clone());
                    questions
                        .into_iter()
                        .zip(graded.iter().cloned())
                        .map(|(q, g)| {
                            let verdict = g.trace.as_ref().map(|t| t.verdict);
                            let (mark, class) = match verdict {
                                Some(Verdict::Connected) => ("\u{2714}", "ok"),
                                Some(Verdict::Blocked) => ("\u{2716}", "bad"),
                                None => ("?", "unknown"),
                            };
                            let held = g.standing() == spacetrace_engine::lab::Standing::Held;
                            let expectation = g.expect.as_ref().and_then(|_| render::standing(g.standing()));
                            let qq = q.clone();
                            let del = q.id.clone();
                            // Pinning the current answer as the expectation: the verdict, and the
                            // blocking rule when blocked.
                            let pin = g.trace.as_ref().filter(|_| g.expect.is_none()).map(|t| {
                                let mut pinned = q.clone();
                                pinned.expect = Some(doc::Expectation {
                                    verdict: t.verdict,
                                    rules: t.blocking_step().map(|s| vec![s.rule.as_str().to_owned()]).unwrap_or_default(),
                                });
                                pinned
                            });
                            view! {
                                <li class=format!("saved-item {class}") data-testid="saved-question">
                                    <button type="button" class="saved-load" on:click=move |_| {
                                        store.draft.set(crate::store::Draft { from: Some(qq.from.clone()), to: Some(qq.to.clone()), protocol: qq.protocol, port: qq.port.unwrap_or(0) });
                                    }>
                                        <span class="mark" aria-hidden="true">{mark}</span>
                                        <span class="saved-name">{if q.name.is_empty() { q.id.clone() } else { q.name.clone() }}</span>
                                        <span class="sr-only">{verdict.map(render::verdict).unwrap_or("cannot be asked")}</span>
                                    </button>
                                    {expectation.map(|e| view! { <span class=if held { "expect ok" } else { "expect bad" }>{e}</span> })}
                                    {pin.map(|q| view! {
                                        <button type="button" class="icon pin" data-testid="pin-expectation"
                                            title="Expect this answer (for grading labs with spacetrace check)" aria-label="Expect this answer"
                                            on:click=move |_| { store.apply(Edit::SaveQuestion(q.clone())); }>"\u{2691}"</button>
                                    })}
                                    <button type="button" class="icon" title="Delete this saved question" aria-label="Delete saved question" on:click=move |_| { store.apply(Edit::DeleteQuestion(del.clone())); }>"\u{00d7}"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
