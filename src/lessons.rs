//! Lessons in the app (`docs/lesson-format.md`): the course list opened from the top bar, the
//! lesson panel at the top of the side panel (a step's text, Back and Next, and its task), and
//! lesson links. Grading is the engine's (`spacetrace_engine::lesson`); the words are `render`'s.
//!
//! - A *predict* task is answered before anything is revealed: the verdict and, when blocked, the
//!   deciding rule and component kind (the choices are the rules and kinds the question's own path
//!   cites, plus the rules the lesson's hints name). "Check" grades on the lesson's starting
//!   network and reveals: right or wrong per part, the trace, and the question becomes the
//!   question panel's (so the canvas draws its path). The question panel is not given the
//!   question before that.
//! - A *challenge* is graded live on the open network (`Store::checked`) on outcomes only.
//!
//! What is open and which step is session state ([`Lessons`]), never part of the document. The
//! tasks done are kept per lesson in `localStorage` (`spacetrace:lesson:<lesson id>`,
//! `docs/persistence.md`). Opening a lesson opens its network as a new library entry.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use spacetrace_engine::check::check;
use spacetrace_engine::doc::Verdict;
use spacetrace_engine::evaluate;
use spacetrace_engine::lesson::{
    Answer, COURSE, Challenge, Hint, Lesson, Predict, PredictionResult, Task, component_name, course, grade_challenge,
    grade_prediction, parse_lesson,
};
use spacetrace_engine::{RuleId, render};

use crate::menu::{Dialog, Ui, show_modal_while, use_library, use_ui};
use crate::persist::Library;
use crate::share;
use crate::store::{Draft, Notice, Shared, Store, use_store};

/// Where a lesson's progress is kept: this prefix and the lesson's ID.
pub const PROGRESS_PREFIX: &str = "spacetrace:lesson:";
/// A lesson link carrying a whole lesson: `#lesson=` and the lesson's JSON packed like a share
/// link (`share::pack`).
pub const LINK_PREFIX: &str = "lesson=";
/// A link to a lesson of the built-in course: `#lesson/<id>`.
pub const COURSE_PREFIX: &str = "lesson/";

/// The lessons' session state, by context.
#[derive(Clone, Copy)]
pub struct Lessons {
    /// The open lesson, if any.
    pub lesson: RwSignal<Option<Shared<Lesson>>>,
    /// The step shown (an index into the lesson's steps).
    pub step: RwSignal<usize>,
    /// The IDs of the open lesson's tasks done (also stored).
    pub done: RwSignal<BTreeSet<String>>,
    /// The library entry holding the lesson's network.
    pub entry: RwSignal<String>,
    /// Whether the course list is open.
    pub course_open: RwSignal<bool>,
    /// Whether the "Make a lesson" dialog is open (`authoring.rs`).
    pub authoring_open: RwSignal<bool>,
}

impl Default for Lessons {
    fn default() -> Self {
        Self {
            lesson: RwSignal::new(None),
            step: RwSignal::new(0),
            done: RwSignal::new(BTreeSet::new()),
            entry: RwSignal::new(String::new()),
            course_open: RwSignal::new(false),
            authoring_open: RwSignal::new(false),
        }
    }
}

impl Lessons {
    /// Open a lesson: its network as a new library entry (the open scenario is kept), its first
    /// step, and its stored progress.
    pub fn open(&self, store: &Store, library: &Library, lesson: Lesson) {
        library.add_and_open(store, lesson.network.clone());
        // Nothing is asked until the learner has answered.
        store.draft.set(Draft::default());
        self.entry.set(library.current.get_untracked());
        self.done.set(load_progress(&lesson.id));
        self.step.set(0);
        self.lesson.set(Some(Shared(Arc::new(lesson))));
    }

    pub fn close(&self) {
        self.lesson.set(None);
    }

    /// Go `delta` steps forward (or back), staying within the lesson. A hook for other controls
    /// (the presentation mode's keys): returns whether the step changed.
    pub fn step_by(&self, delta: isize) -> bool {
        let Some(len) = self.lesson.with_untracked(|l| l.as_ref().map(|l| l.steps.len())) else { return false };
        let now = self.step.get_untracked();
        let next = now.saturating_add_signed(delta).min(len.saturating_sub(1));
        if next != now {
            self.step.set(next);
        }
        next != now
    }

    /// Record a task as done (stored at once).
    pub fn mark_done(&self, task: &str) {
        if self.done.with_untracked(|d| d.contains(task)) {
            return;
        }
        self.done.update(|d| {
            d.insert(task.to_owned());
        });
        if let Some(id) = self.lesson.with_untracked(|l| l.as_ref().map(|l| l.id.clone())) {
            self.done.with_untracked(|d| save_progress(&id, d));
        }
    }
}

pub fn use_lessons() -> Lessons {
    expect_context::<Lessons>()
}

/// A lesson's stored progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// The IDs of the tasks done.
    pub done: BTreeSet<String>,
}

pub fn progress_key(lesson: &str) -> String {
    format!("{PROGRESS_PREFIX}{lesson}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The tasks done of a lesson, as stored in this browser (none when nothing can be read).
pub fn load_progress(lesson: &str) -> BTreeSet<String> {
    storage()
        .and_then(|s| s.get_item(&progress_key(lesson)).ok().flatten())
        .and_then(|text| serde_json::from_str::<Progress>(&text).ok())
        .map(|p| p.done)
        .unwrap_or_default()
}

fn save_progress(lesson: &str, done: &BTreeSet<String>) {
    let text = serde_json::to_string(&Progress { done: done.clone() }).unwrap_or_default();
    if let Some(s) = storage() {
        let _ = s.set_item(&progress_key(lesson), &text);
    }
}

/// "2 of 3 tasks done".
pub fn progress_text(lesson: &Lesson, done: &BTreeSet<String>) -> String {
    let tasks: Vec<&str> = lesson.tasks().map(|(_, t)| t.id()).collect();
    let n = tasks.iter().filter(|t| done.contains(**t)).count();
    let m = tasks.len();
    format!("{n} of {m} {} done", if m == 1 { "task" } else { "tasks" })
}

/// Is this fragment (with or without `#`) a lesson link?
pub fn is_lesson_link(fragment: &str) -> bool {
    let f = fragment.trim_start_matches('#');
    f.starts_with(LINK_PREFIX) || f.starts_with(COURSE_PREFIX)
}

/// The lesson a link carries, or why it cannot be opened (a sentence); `None` when the fragment
/// is no lesson link.
pub fn read_link(fragment: &str) -> Option<Result<Lesson, String>> {
    let f = fragment.trim_start_matches('#');
    let text = if let Some(id) = f.strip_prefix(COURSE_PREFIX) {
        match COURSE.iter().find(|(cid, _)| *cid == id.trim()) {
            Some((_, text)) => (*text).to_owned(),
            None => return Some(Err(format!("The course has no lesson \u{201c}{id}\u{201d}."))),
        }
    } else {
        match share::unpack(f.strip_prefix(LINK_PREFIX)?.trim()) {
            Ok(text) => text,
            Err(e) => return Some(Err(e.message().replace("scenario", "lesson"))),
        }
    };
    Some(parse_lesson(&text).map(|(l, _)| l).map_err(|d| render::lesson_diagnostic(&d)))
}

/// A link carrying the whole lesson, or why not (too long: share the file instead).
pub fn link(base: &str, lesson: &Lesson) -> Result<String, String> {
    let json = serde_json::to_string(lesson).unwrap_or_default();
    let url = format!("{base}#{LINK_PREFIX}{}", share::pack(&json));
    let chars = url.chars().count();
    if chars > share::MAX_LINK_CHARS {
        return Err(format!(
            "This lesson is too large for a link: the link would be {chars} characters long, and links longer than {} characters can be cut off. Download the file and share it instead.",
            share::MAX_LINK_CHARS
        ));
    }
    Ok(url)
}

/// Open the lesson a link carries, or say why not (the open scenario stays as it was).
pub fn open_link(store: &Store, library: &Library, ui: &Ui, lessons: &Lessons, fragment: &str) {
    match read_link(fragment) {
        None => {}
        Some(Ok(lesson)) => {
            let title = lesson.title.clone();
            lessons.open(store, library, lesson);
            store.notice.set(Some(Notice::Info(format!(
                "Opened the lesson \u{201c}{title}\u{201d}. Its network is now in your library (Scenario menu)."
            ))));
        }
        Some(Err(message)) => {
            ui.dialog.set(Some(Dialog::Problem { title: "The lesson was not opened".into(), message }))
        }
    }
}

/// The top bar's control that opens the course.
#[component]
pub fn LessonsButton() -> impl IntoView {
    let lessons = use_lessons();
    view! {
        <button type="button" data-testid="lessons-open" title="The course: short lessons with tasks graded by the engine"
            aria-haspopup="dialog" on:click=move |_| lessons.course_open.set(true)>
            <span aria-hidden="true">"\u{2691}"</span><span class="label">" Lessons"</span>
        </button>
    }
}

/// The course: every built-in lesson with its progress in this browser.
#[component]
pub fn CourseDialog() -> impl IntoView {
    let store = use_store();
    let library = use_library();
    let lessons = use_lessons();
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    let all = StoredValue::new(course());
    Effect::new(move |_| {
        let open = lessons.course_open.get();
        if let Some(el) = dialog_ref.get() {
            show_modal_while(&el, open);
        }
    });
    let items = move || {
        if !lessons.course_open.get() {
            return Vec::new();
        }
        lessons.done.track();
        all.with_value(|all| {
            all.iter()
                .enumerate()
                .map(|(i, l)| {
                    let progress = progress_text(l, &load_progress(&l.id));
                    let lesson = l.clone();
                    view! {
                        <li>
                            <button type="button" class="lesson-item" data-testid="lesson-item" data-lesson=l.id.clone()
                                on:click=move |_| {
                                    lessons.course_open.set(false);
                                    lessons.open(&store, &library, lesson.clone());
                                }>
                                <span class="lesson-item-title">{format!("{}. {}", i + 1, l.title)}</span>
                                <span class="lesson-item-summary">{l.summary.clone()}</span>
                                <span class="lesson-item-progress" data-testid="lesson-item-progress">{progress}</span>
                            </button>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <dialog node_ref=dialog_ref class="modal wide" data-testid="course" aria-labelledby="course-title"
            on:close=move |_| lessons.course_open.set(false)>
            <h2 id="course-title">"Lessons"</h2>
            <p class="hint">"Each lesson opens its network as a new scenario in your library; your open scenario is kept. Progress is kept in this browser."</p>
            <ol class="course">{items}</ol>
            <div class="dialog-actions">
                <button type="button" data-testid="course-close" on:click=move |_| lessons.course_open.set(false)>"Close"</button>
            </div>
        </dialog>
    }
}

/// The open lesson: its step, Back and Next, and the step's task.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let store = use_store();
    let library = use_library();
    let ui = use_ui();
    let lessons = use_lessons();
    let elsewhere =
        Memo::new(move |_| lessons.lesson.with(Option::is_some) && library.current.get() != lessons.entry.get());
    let body = move || {
        let lesson = lessons.lesson.get()?;
        let count = lesson.steps.len();
        let title = lesson.title.clone();
        let progress = {
            let lesson = lesson.clone();
            move || lessons.done.with(|d| progress_text(&lesson, d))
        };
        let step_view = {
            let lesson = lesson.clone();
            move || {
                let i = lessons.step.get();
                let step = lesson.steps.get(i)?.clone();
                let task = step.task.map(|t| match t {
                    Task::Predict(p) => view! { <PredictTask lesson=lesson.clone() task=p /> }.into_any(),
                    Task::Challenge(c) => view! { <ChallengeTask task=c /> }.into_any(),
                });
                Some(view! {
                    <p class="lesson-step" data-testid="lesson-step">{format!("Step {} of {count}", i + 1)}</p>
                    <p class="lesson-text" data-testid="lesson-text">{step.text}</p>
                    {task}
                })
            }
        };
        Some(view! {
            <section class="panel lesson" data-testid="lesson-panel" aria-labelledby="lesson-title">
                <div class="lesson-head">
                    <h2 id="lesson-title" data-testid="lesson-title">{title}</h2>
                    <button type="button" class="icon" data-testid="lesson-close" title="Close the lesson (its network stays in your library)"
                        aria-label="Close the lesson" on:click=move |_| lessons.close()>"\u{2715}"</button>
                </div>
                <p class="hint small" data-testid="lesson-progress">{progress}</p>
                <Show when=move || elsewhere.get()>
                    <p class="hint lesson-elsewhere" data-testid="lesson-elsewhere">
                        "Another scenario is open: challenges are graded on the open network. "
                        <button type="button" class="link" data-testid="lesson-back-to-network" on:click=move |_| {
                            if let Err(message) = library.open(&store, &lessons.entry.get_untracked()) {
                                ui.dialog.set(Some(Dialog::Problem { title: "The lesson's network was not opened".into(), message }));
                            }
                        }>"Open the lesson's network"</button>
                    </p>
                </Show>
                {step_view}
                <div class="lesson-nav">
                    <button type="button" data-testid="lesson-back" disabled=move || lessons.step.get() == 0
                        on:click=move |_| { lessons.step_by(-1); }>"\u{2190} Back"</button>
                    <button type="button" data-testid="lesson-next" disabled=move || { lessons.step.get() + 1 >= count }
                        on:click=move |_| { lessons.step_by(1); }>"Next \u{2192}"</button>
                </div>
            </section>
        })
    };
    view! { {body} }
}

/// A prediction: answer first, then "Check" reveals.
#[component]
fn PredictTask(lesson: Shared<Lesson>, task: Predict) -> impl IntoView {
    let store = use_store();
    let lessons = use_lessons();
    let checked = check(&lesson.network);
    let asked = task.question.query(&checked.model);
    // The choices: what the question's own path cites, and what the lesson's hints name.
    let (question, mut rules, mut kinds) = match &asked {
        Ok(q) => {
            let trace = evaluate(&checked.model, q);
            let rules: BTreeSet<RuleId> = trace.hops.iter().flat_map(|h| h.steps.iter().map(|s| s.rule)).collect();
            let kinds: BTreeSet<String> = trace.hops.iter().map(|h| component_name(h.component.kind)).collect();
            (render::question(&checked.model, q), rules, kinds)
        }
        Err(d) => (render::diagnostic(d), BTreeSet::new(), BTreeSet::new()),
    };
    rules.extend(lesson.hinted_rules());
    rules.extend(task.answer.rule);
    kinds.extend(task.answer.component.clone());
    let verdict = RwSignal::new(None::<Verdict>);
    let rule = RwSignal::new(String::new());
    let component = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Shared<PredictionResult>, String>>);
    let checked = StoredValue::new(checked);
    let task = StoredValue::new(task);
    let ready = move || match verdict.get() {
        None => false,
        Some(Verdict::Connected) => true,
        Some(Verdict::Blocked) => !rule.with(String::is_empty) && !component.with(String::is_empty),
    };
    let grade = move |_| {
        let Some(v) = verdict.get_untracked() else { return };
        let blocked = v == Verdict::Blocked;
        let answer = Answer {
            verdict: v,
            rule: blocked.then(|| rule.get_untracked().parse().ok()).flatten(),
            component: blocked.then(|| component.get_untracked()).filter(|c| !c.is_empty()),
        };
        let graded = task.with_value(|t| checked.with_value(|c| grade_prediction(c, t, &answer)));
        match graded {
            Ok(r) => {
                task.with_value(|t| {
                    lessons.mark_done(&t.id);
                    // Reveal on the canvas: the question becomes the question panel's.
                    let q = &t.question;
                    store.draft.set(Draft {
                        from: Some(q.from.clone()),
                        to: Some(q.to.clone()),
                        protocol: q.protocol,
                        port: q.port.unwrap_or(0),
                    });
                });
                result.set(Some(Ok(Shared(Arc::new(r)))));
            }
            Err(d) => result.set(Some(Err(render::diagnostic(&d)))),
        }
    };
    let answered = move || result.with(Option::is_some);
    // Built each time the choices are shown (a rendered view is not `Clone` once view types are
    // erased, see `.cargo/config.toml`).
    let (rules, kinds) = (StoredValue::new(rules), StoredValue::new(kinds));
    let rule_options = move || {
        rules.with_value(|rs| {
            rs.iter()
                .map(|r| view! { <option value=r.as_str() title=r.info().summary>{r.as_str()}</option> })
                .collect_view()
        })
    };
    let kind_options = move || {
        kinds.with_value(|ks| {
            ks.iter().map(|k| view! { <option value=k.clone()>{render::lesson_component(k)}</option> }).collect_view()
        })
    };
    let hints = task.with_value(|t| t.hints.clone());
    view! {
        <div class="lesson-task predict" data-testid="predict-task">
            <p class="lesson-question" data-testid="lesson-question"><strong>"Predict: "</strong>{question}</p>
            <fieldset class="predict-form" disabled=answered>
                <legend class="sr-only">"Your prediction"</legend>
                <div class="predict-verdicts" role="radiogroup" aria-label="Verdict">
                    <label><input type="radio" name="predict-verdict" data-testid="predict-connected"
                        prop:checked=move || verdict.get() == Some(Verdict::Connected)
                        on:change=move |_| verdict.set(Some(Verdict::Connected)) />" Connected"</label>
                    <label><input type="radio" name="predict-verdict" data-testid="predict-blocked"
                        prop:checked=move || verdict.get() == Some(Verdict::Blocked)
                        on:change=move |_| verdict.set(Some(Verdict::Blocked)) />" Blocked"</label>
                </div>
                <Show when=move || verdict.get() == Some(Verdict::Blocked)>
                    <div class="field">
                        <label for="predict-rule">"Deciding rule"</label>
                        <select id="predict-rule" data-testid="predict-rule" prop:value=move || rule.get()
                            on:change=move |ev| rule.set(event_target_value(&ev))>
                            <option value="">"Choose\u{2026}"</option>
                            {rule_options()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="predict-component">"At which component"</label>
                        <select id="predict-component" data-testid="predict-component" prop:value=move || component.get()
                            on:change=move |ev| component.set(event_target_value(&ev))>
                            <option value="">"Choose\u{2026}"</option>
                            {kind_options()}
                        </select>
                    </div>
                </Show>
                <button type="button" class="apply" data-testid="predict-check" disabled=move || !ready() on:click=grade>"Check"</button>
            </fieldset>
            {move || result.get().map(|r| match r {
                Ok(r) => {
                    let right = r.right();
                    view! {
                        <div class="predict-reveal" data-testid="predict-reveal">
                            <p class=if right { "predict-result right" } else { "predict-result wrong" }
                                data-testid="predict-result" data-right=right.to_string()>
                                {render::lesson_prediction(&r)}
                            </p>
                            <div class="predict-trace" data-testid="predict-trace">
                                <crate::question::TraceView trace=Arc::new(r.trace.clone()) />
                            </div>
                            <button type="button" class="link" data-testid="predict-again" on:click=move |_| result.set(None)>"Try again"</button>
                        </div>
                    }
                    .into_any()
                }
                Err(message) => view! { <p class="hint" data-testid="predict-result">{message}</p> }.into_any(),
            })}
            <Hints hints=hints />
        </div>
    }
}

/// A challenge: every required outcome graded live on the open network.
#[component]
fn ChallengeTask(task: Challenge) -> impl IntoView {
    let store = use_store();
    let lessons = use_lessons();
    let hints = task.hints.clone();
    let id = task.id.clone();
    let task = StoredValue::new(task);
    let graded = Memo::new(move |_| {
        let checked = store.checked.get();
        Shared(Arc::new(task.with_value(|t| grade_challenge(&checked, t))))
    });
    Effect::new(move |_| {
        if graded.with(|g| g.passed()) {
            lessons.mark_done(&id);
        }
    });
    let outcomes = move || {
        let g = graded.get();
        g.outcomes
            .iter()
            .map(|o| {
                let q = o.required.question.clone();
                let held = o.held;
                view! {
                    <li class="challenge-outcome" class:held=held data-testid="challenge-outcome" data-held=held.to_string()>
                        <span>{render::lesson_outcome(o)}</span>
                        " "
                        <button type="button" class="link" data-testid="challenge-ask" title="Ask this question in the question panel"
                            on:click=move |_| store.draft.set(Draft {
                                from: Some(q.from.clone()),
                                to: Some(q.to.clone()),
                                protocol: q.protocol,
                                port: q.port.unwrap_or(0),
                            })>"Ask"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="lesson-task challenge" data-testid="challenge-task">
            <p class="challenge-summary" class:passed=move || graded.with(|g| g.passed())
                data-testid="challenge-summary" data-passed=move || graded.with(|g| g.passed()).to_string()>
                {move || graded.with(|g| render::lesson_challenge_summary(g))}
            </p>
            <ul class="challenge-outcomes" data-testid="challenge-outcomes">{outcomes}</ul>
            <Hints hints=hints />
        </div>
    }
}

/// Hints, revealed one by one: the rule and a short text.
#[component]
fn Hints(hints: Vec<Hint>) -> impl IntoView {
    let shown = RwSignal::new(0usize);
    let total = hints.len();
    let hints = StoredValue::new(hints);
    let list = move || {
        let n = shown.get();
        hints.with_value(|h| {
            h.iter()
                .take(n)
                .map(|h| {
                    let text = if h.text.is_empty() { h.rule.info().summary.to_owned() } else { h.text.clone() };
                    view! {
                        <li class="lesson-hint" data-testid="lesson-hint">
                            <span class="chip-static" title=h.rule.info().summary>{h.rule.as_str()}</span>" "{text}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    (total > 0).then(|| {
        view! {
            <div class="lesson-hints">
                <ul>{list}</ul>
                <Show when=move || { shown.get() < total }>
                    <button type="button" class="link" data-testid="lesson-hint-more" on:click=move |_| shown.update(|n| *n += 1)>
                        {move || format!("Show a hint ({} left)", total - shown.get())}
                    </button>
                </Show>
            </div>
        }
    })
}
