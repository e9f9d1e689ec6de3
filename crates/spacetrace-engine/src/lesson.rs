//! Lessons: a starting network, short steps of text, and tasks graded by the engine on outcomes
//! (see `docs/lesson-format.md`).
//!
//! A *predict* task asks the learner whether a question connects and, when it is blocked, which
//! rule and which kind of component decide; [`grade_prediction`] compares the answer with the
//! engine's and returns the trace to reveal. A *challenge* asks the learner to change the network
//! until a set of outcomes holds; [`grade_challenge`] asks each question of the current network,
//! so every configuration with the right outcomes passes: there is no answer to match. Hints name
//! rules. [`lesson_from`] turns a scenario and its saved questions into a lesson. The built-in
//! course is [`COURSE`]. Results are data; the words are [`crate::render`]'s.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::parse_document;
use crate::check::{Checked, check, query_error};
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document, Protocol, Verdict};
use crate::eval::evaluate;
use crate::model::Model;
use crate::query::Query;
use crate::rules::RuleId;
use crate::trace::Trace;

/// The lesson format version this engine writes and reads.
pub const LESSON_VERSION: u32 = 1;

/// The built-in course, in teaching order: each lesson's ID and its JSON text (the files in
/// `lessons/`). The app embeds them through this list; reference solutions are in
/// `lessons/solutions/<id>.json` and are not compiled in.
pub const COURSE: [(&str, &str); 10] = [
    ("common-runtime", include_str!("../../../lessons/common-runtime.json")),
    ("private-network", include_str!("../../../lessons/private-network.json")),
    ("trusted-ips", include_str!("../../../lessons/trusted-ips.json")),
    ("internal-routing", include_str!("../../../lessons/internal-routing.json")),
    ("peering", include_str!("../../../lessons/peering.json")),
    ("not-transitive", include_str!("../../../lessons/not-transitive.json")),
    ("vpn", include_str!("../../../lessons/vpn.json")),
    ("cedar-fir", include_str!("../../../lessons/cedar-fir.json")),
    ("outbound-ips", include_str!("../../../lessons/outbound-ips.json")),
    ("capstone", include_str!("../../../lessons/capstone.json")),
];

/// The built-in course, read, in teaching order (each lesson reads with no diagnostic:
/// `tests/lessons.rs`).
pub fn course() -> Vec<Lesson> {
    COURSE.iter().filter_map(|(_, text)| parse_lesson(text).ok().map(|(l, _)| l)).collect()
}

/// A lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    /// The format version (`"lesson": 1`).
    #[serde(rename = "lesson")]
    pub version: u32,
    /// A stable ID: progress is kept under it.
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The starting network: a scenario document.
    pub network: Document,
    pub steps: Vec<LessonStep>,
}

/// One step: a short text, and perhaps a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonStep {
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    Predict(Predict),
    Challenge(Challenge),
}

impl Task {
    pub fn id(&self) -> &str {
        match self {
            Task::Predict(p) => &p.id,
            Task::Challenge(c) => &c.id,
        }
    }

    pub fn hints(&self) -> &[Hint] {
        match self {
            Task::Predict(p) => &p.hints,
            Task::Challenge(c) => &c.hints,
        }
    }
}

/// A question by its ends, as the scenario format's saved questions give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    pub from: doc::From,
    pub to: doc::To,
    #[serde(default)]
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

impl Ask {
    /// The question resolved against a model, or why it cannot be asked.
    pub fn query(&self, model: &Model) -> Result<Query, Diagnostic> {
        Query::from_doc(model, &self.from, &self.to, self.protocol, self.port.unwrap_or(0))
            .map_err(|e| query_error(model, e))
    }
}

/// A prediction task: the learner answers before the trace is revealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predict {
    /// Unique within the lesson; progress is kept under it.
    #[serde(default)]
    pub id: String,
    #[serde(flatten)]
    pub question: Ask,
    /// What the engine answers on the starting network (checked by the tests and by
    /// `spacetrace lesson check`).
    pub answer: Answer,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
}

/// An answer to a prediction: the verdict and, when blocked, the deciding rule and the kind of
/// component whose step blocks (a `ComponentKind` in snake case, like `security_group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

impl Answer {
    /// What the engine says, from a trace: the verdict, and when blocked the blocking step's rule
    /// and its hop's component kind.
    pub fn of(trace: &Trace) -> Self {
        let blocked = trace.blocked_at.and_then(|at| {
            let hop = trace.hops.get(at.hop)?;
            Some((hop.steps.get(at.step)?.rule, component_name(hop.component.kind)))
        });
        match (trace.verdict, blocked) {
            (Verdict::Blocked, Some((rule, component))) => {
                Self { verdict: Verdict::Blocked, rule: Some(rule), component: Some(component) }
            }
            (verdict, _) => Self { verdict, rule: None, component: None },
        }
    }
}

/// A component kind as the lesson format writes it (its serde name, `security_group`).
pub fn component_name(kind: crate::trace::ComponentKind) -> String {
    match serde_json::to_value(kind) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A challenge: change the network so that every outcome holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    #[serde(default)]
    pub id: String,
    pub outcomes: Vec<Required>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
}

/// One required outcome: this question connects, or stays blocked (optionally by this rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Required {
    #[serde(flatten)]
    pub question: Ask,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<RuleId>,
}

/// A hint: the rule to read, and a short text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    pub rule: RuleId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// Something wrong with a lesson, where it is (`steps[2].task`, `network`…).
#[derive(Debug, Clone, PartialEq)]
pub struct LessonDiagnostic {
    pub at: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not a JSON object.
    NotJson {
        message: String,
    },
    /// No `lesson` version number: perhaps a scenario.
    NotALesson,
    UnsupportedVersion {
        found: u64,
    },
    /// A part that could not be read; it is left out and the rest loads.
    Unreadable {
        message: String,
    },
    /// Two tasks share an ID.
    DuplicateTask {
        id: String,
    },
    /// The starting network has a configuration error.
    Network(Diagnostic),
    /// A task's question cannot be asked of the starting network.
    Unaskable(Diagnostic),
    /// A prediction's stored answer is not what the engine answers on the starting network.
    AnswerDiffers {
        stored: Answer,
        engine: Answer,
    },
    /// Every outcome of a challenge already holds on the starting network.
    AlreadySolved,
    /// A challenge with no outcome.
    NoOutcome,
}

impl LessonDiagnostic {
    fn new(at: impl Into<String>, problem: Problem) -> Self {
        Self { at: at.into(), problem }
    }
}

/// Read a lesson tolerantly: a step, task or hint that cannot be read is left out with a
/// diagnostic naming it, and the rest loads. `Err` only when the text is not a lesson at all.
pub fn parse_lesson(text: &str) -> Result<(Lesson, Vec<LessonDiagnostic>), LessonDiagnostic> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| LessonDiagnostic::new("", Problem::NotJson { message: e.to_string() }))?;
    let Value::Object(mut obj) = value else {
        return Err(LessonDiagnostic::new("", Problem::NotJson { message: "not a JSON object".into() }));
    };
    let version = match obj.get("lesson") {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        _ => return Err(LessonDiagnostic::new("lesson", Problem::NotALesson)),
    };
    if version != u64::from(LESSON_VERSION) {
        return Err(LessonDiagnostic::new("lesson", Problem::UnsupportedVersion { found: version }));
    }
    let mut diags = Vec::new();
    let text_of = |obj: &serde_json::Map<String, Value>, key: &str| {
        obj.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    let network = match obj.remove("network") {
        Some(v @ Value::Object(_)) => match parse_document(&v.to_string()) {
            Ok(doc) => doc,
            Err(d) => {
                diags.push(LessonDiagnostic::new("network", Problem::Network(d)));
                Document::default()
            }
        },
        _ => {
            diags.push(LessonDiagnostic::new(
                "network",
                Problem::Unreadable { message: "missing: a scenario document is required".into() },
            ));
            Document::default()
        }
    };
    let mut steps = Vec::new();
    let raw_steps = match obj.remove("steps") {
        Some(Value::Array(a)) => a,
        Some(_) => {
            diags.push(LessonDiagnostic::new("steps", Problem::Unreadable { message: "not a list".into() }));
            Vec::new()
        }
        None => Vec::new(),
    };
    for (i, raw) in raw_steps.into_iter().enumerate() {
        let at = format!("steps[{i}]");
        let Value::Object(mut step) = raw else {
            diags.push(LessonDiagnostic::new(at, Problem::Unreadable { message: "not an object".into() }));
            continue;
        };
        let text = text_of(&step, "text");
        let task = match step.remove("task") {
            None | Some(Value::Null) => None,
            Some(mut t) => {
                // Hints one by one: an unknown rule leaves out that hint alone.
                if let Some(Value::Array(hints)) = t.get_mut("hints") {
                    let mut kept = Vec::new();
                    for (h, hint) in std::mem::take(hints).into_iter().enumerate() {
                        match serde_json::from_value::<Hint>(hint.clone()) {
                            Ok(_) => kept.push(hint),
                            Err(e) => diags.push(LessonDiagnostic::new(
                                format!("{at}.task.hints[{h}]"),
                                Problem::Unreadable { message: e.to_string() },
                            )),
                        }
                    }
                    *hints = kept;
                }
                match serde_json::from_value::<Task>(t) {
                    Ok(task) => Some(task),
                    Err(e) => {
                        diags.push(LessonDiagnostic::new(
                            format!("{at}.task"),
                            Problem::Unreadable { message: e.to_string() },
                        ));
                        None
                    }
                }
            }
        };
        steps.push(LessonStep { text, task });
    }
    let mut lesson = Lesson {
        version: LESSON_VERSION,
        id: text_of(&obj, "id"),
        title: text_of(&obj, "title"),
        summary: text_of(&obj, "summary"),
        network,
        steps,
    };
    // Tasks without an ID are numbered by their step; two tasks may not share one.
    let mut seen = BTreeSet::new();
    for (i, step) in lesson.steps.iter_mut().enumerate() {
        if let Some(task) = &mut step.task {
            let id = match task {
                Task::Predict(p) => &mut p.id,
                Task::Challenge(c) => &mut c.id,
            };
            if id.is_empty() {
                *id = format!("step-{}", i + 1);
            }
            if !seen.insert(id.clone()) {
                diags
                    .push(LessonDiagnostic::new(format!("steps[{i}].task"), Problem::DuplicateTask { id: id.clone() }));
            }
        }
    }
    Ok((lesson, diags))
}

impl Lesson {
    /// The tasks, with their step's index.
    pub fn tasks(&self) -> impl Iterator<Item = (usize, &Task)> {
        self.steps.iter().enumerate().filter_map(|(i, s)| s.task.as_ref().map(|t| (i, t)))
    }

    pub fn challenges(&self) -> impl Iterator<Item = (usize, &Challenge)> {
        self.tasks().filter_map(|(i, t)| match t {
            Task::Challenge(c) => Some((i, c)),
            Task::Predict(_) => None,
        })
    }

    /// Every rule the lesson's hints name.
    pub fn hinted_rules(&self) -> BTreeSet<RuleId> {
        self.tasks().flat_map(|(_, t)| t.hints().iter().map(|h| h.rule)).collect()
    }

    /// The lesson as JSON text (what authoring shares as a file or a link).
    pub fn to_json(&self) -> String {
        doc::to_pretty_json(self)
    }
}

/// Check a lesson against its own starting network: configuration errors, questions that cannot
/// be asked, stored prediction answers that are not the engine's, challenges already solved.
pub fn check_lesson(lesson: &Lesson) -> Vec<LessonDiagnostic> {
    let checked = check(&lesson.network);
    let mut out: Vec<LessonDiagnostic> =
        checked.errors().map(|d| LessonDiagnostic::new("network", Problem::Network(d.clone()))).collect();
    for (i, task) in lesson.tasks() {
        let at = format!("steps[{i}].task");
        match task {
            Task::Predict(p) => match p.question.query(&checked.model) {
                Err(d) => out.push(LessonDiagnostic::new(at, Problem::Unaskable(d))),
                Ok(q) => {
                    let engine = Answer::of(&evaluate(&checked.model, &q));
                    if engine != p.answer {
                        out.push(LessonDiagnostic::new(
                            at,
                            Problem::AnswerDiffers { stored: p.answer.clone(), engine },
                        ));
                    }
                }
            },
            Task::Challenge(c) => {
                if c.outcomes.is_empty() {
                    out.push(LessonDiagnostic::new(at.clone(), Problem::NoOutcome));
                }
                for (o, r) in c.outcomes.iter().enumerate() {
                    if let Err(d) = r.question.query(&checked.model) {
                        out.push(LessonDiagnostic::new(format!("{at}.outcomes[{o}]"), Problem::Unaskable(d)));
                    }
                }
                if !c.outcomes.is_empty() && grade_challenge(&checked, c).passed() {
                    out.push(LessonDiagnostic::new(at, Problem::AlreadySolved));
                }
            }
        }
    }
    out
}

/// A graded prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictionResult {
    /// The engine's answer on the network graded.
    pub expected: Answer,
    pub verdict_right: bool,
    /// Whether the deciding rule is right; `None` when the question connects (nothing blocks).
    pub rule_right: Option<bool>,
    /// Whether the deciding component's kind is right; `None` when the question connects.
    pub component_right: Option<bool>,
    /// The trace to reveal.
    pub trace: Trace,
}

impl PredictionResult {
    pub fn right(&self) -> bool {
        self.verdict_right && self.rule_right != Some(false) && self.component_right != Some(false)
    }
}

/// Grade a learner's answer to a prediction on `checked` (normally the lesson's starting network,
/// checked). `Err`: the question cannot be asked of this network.
pub fn grade_prediction(checked: &Checked, task: &Predict, answer: &Answer) -> Result<PredictionResult, Diagnostic> {
    let query = task.question.query(&checked.model)?;
    let trace = evaluate(&checked.model, &query);
    let expected = Answer::of(&trace);
    let blocked = expected.verdict == Verdict::Blocked;
    Ok(PredictionResult {
        verdict_right: answer.verdict == expected.verdict,
        rule_right: blocked.then(|| answer.rule.is_some() && answer.rule == expected.rule),
        component_right: blocked.then(|| answer.component.is_some() && answer.component == expected.component),
        expected,
        trace,
    })
}

/// One required outcome, graded.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeResult {
    pub required: Required,
    /// The answer, or why the question cannot be asked (then it does not hold).
    pub trace: Result<Trace, Diagnostic>,
    pub held: bool,
}

impl OutcomeResult {
    /// The rule of the blocking step, when blocked.
    pub fn blocked_by(&self) -> Option<RuleId> {
        self.trace.as_ref().ok().and_then(|t| t.blocking_step()).map(|s| s.rule)
    }
}

/// A graded challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengeResult {
    pub outcomes: Vec<OutcomeResult>,
    /// Configuration errors of the network graded: a configuration the platform refuses does
    /// not pass.
    pub errors: Vec<Diagnostic>,
}

impl ChallengeResult {
    pub fn held(&self) -> usize {
        self.outcomes.iter().filter(|o| o.held).count()
    }

    /// Every outcome holds and the network has no configuration error.
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.outcomes.iter().all(|o| o.held)
    }
}

/// Grade a challenge on the current network: each question asked, each outcome held or not.
pub fn grade_challenge(checked: &Checked, task: &Challenge) -> ChallengeResult {
    let outcomes = task
        .outcomes
        .iter()
        .map(|r| {
            let trace = r.question.query(&checked.model).map(|q| evaluate(&checked.model, &q));
            let held = match &trace {
                Err(_) => false,
                Ok(t) => {
                    t.verdict == r.verdict
                        && r.blocked_by.is_none_or(|rule| t.blocking_step().is_some_and(|s| s.rule == rule))
                }
            };
            OutcomeResult { required: r.clone(), trace, held }
        })
        .collect();
    ChallengeResult { outcomes, errors: checked.errors().cloned().collect() }
}

/// How a teacher marks a saved question when turning a scenario into a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    Predict,
    Challenge,
}

/// Turn a scenario and its saved questions into a lesson. Each question marked `Predict` becomes a
/// step with a prediction (its answer computed by the engine on the scenario); every question marked
/// `Challenge` becomes a required outcome of one challenge, its verdict the question's expected
/// verdict (a blocked expectation naming rules keeps the first as `blocked_by`). The lesson's
/// network is the scenario without its saved questions. A question that cannot be asked, or a
/// challenge question with no expectation, is left out with a diagnostic.
pub fn lesson_from(
    document: &Document,
    id: &str,
    title: &str,
    choices: &[(String, Use)],
) -> (Lesson, Vec<LessonDiagnostic>) {
    let checked = check(document);
    let mut diags = Vec::new();
    let mut steps = Vec::new();
    let mut outcomes = Vec::new();
    for (qid, use_) in choices {
        let at = format!("questions.{qid}");
        let Some(q) = document.questions.iter().find(|q| &q.id == qid) else {
            diags.push(LessonDiagnostic::new(
                at,
                Problem::Unreadable { message: "no saved question has this ID".into() },
            ));
            continue;
        };
        let ask = Ask { from: q.from.clone(), to: q.to.clone(), protocol: q.protocol, port: q.port };
        let query = match ask.query(&checked.model) {
            Ok(query) => query,
            Err(d) => {
                diags.push(LessonDiagnostic::new(at, Problem::Unaskable(d)));
                continue;
            }
        };
        match use_ {
            Use::Predict => {
                let answer = Answer::of(&evaluate(&checked.model, &query));
                let hints = answer.rule.map(|rule| Hint { rule, text: String::new() }).into_iter().collect();
                steps.push(LessonStep {
                    text: q.name.clone(),
                    task: Some(Task::Predict(Predict { id: qid.clone(), question: ask, answer, hints })),
                });
            }
            Use::Challenge => {
                let Some(expect) = &q.expect else {
                    diags.push(LessonDiagnostic::new(
                        at,
                        Problem::Unreadable { message: "a challenge question needs an expected verdict".into() },
                    ));
                    continue;
                };
                let blocked_by = match expect.verdict {
                    Verdict::Blocked => expect.rules.first().and_then(|r| r.parse().ok()),
                    Verdict::Connected => None,
                };
                outcomes.push(Required { question: ask, verdict: expect.verdict, blocked_by });
            }
        }
    }
    if !outcomes.is_empty() {
        steps.push(LessonStep {
            text: document.description.clone(),
            task: Some(Task::Challenge(Challenge { id: "challenge".into(), outcomes, hints: Vec::new() })),
        });
    }
    let mut network = document.clone();
    network.questions.clear();
    network.left_out.clear();
    let lesson = Lesson {
        version: LESSON_VERSION,
        id: id.to_owned(),
        title: title.to_owned(),
        summary: document.description.clone(),
        network,
        steps,
    };
    (lesson, diags)
}

/// The network a learner hands in: a scenario document, or a lesson file whose `network` is the
/// learner's.
pub fn submitted_network(text: &str) -> Result<Document, Diagnostic> {
    if let Ok((lesson, _)) = parse_lesson(text) {
        return Ok(lesson.network);
    }
    parse_document(text)
}
