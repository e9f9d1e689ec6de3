//! `spacetrace lesson check LESSON [SOLUTION] [--json]`: a lesson checked against its own starting
//! network, or every challenge of a lesson graded on a learner's network (the engine's `lesson`),
//! in the engine's words (`render`).

use std::fmt::Write as _;

use serde_json::{Value, json};
use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::lesson::{self, ChallengeResult, Lesson, LessonDiagnostic, Task};
use spacetrace_engine::refs::{doc_dst_ref, doc_src_ref, protocol_ref};
use spacetrace_engine::{Checked, check, render};

use crate::args::Spec;
use crate::help;
use crate::scenario::{Unreadable, read_text};
use crate::text::quoted;
use crate::{BAD_USAGE, FAILED, OK, Output};

const SPEC: Spec = Spec { command: "spacetrace lesson check", values: &[], flags: &["--json"] };

pub fn run(args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("check") => check_command(&args[1..]),
        Some("--help" | "-h") | None => {
            if args.is_empty() {
                Output::usage("spacetrace lesson: name a subcommand: check", help::LESSON)
            } else {
                Output::ok(help::LESSON)
            }
        }
        Some(other) => Output::usage(
            format!("spacetrace lesson: unknown subcommand {}; valid: check", quoted(other)),
            help::LESSON,
        ),
    }
}

fn read(path: &str) -> Result<String, String> {
    read_text(path, MAX_DOCUMENT_BYTES).map_err(|e| {
        let why = match e {
            Unreadable::TooLarge(bytes) => format!("it is {bytes} bytes, over the limit of {MAX_DOCUMENT_BYTES}"),
            Unreadable::Other(why) => why,
        };
        format!("{}: cannot read {}: {why}", SPEC.command, quoted(path))
    })
}

fn check_command(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::LESSON),
    };
    if parsed.help {
        return Output::ok(help::LESSON);
    }
    let (lesson_path, solution_path) = match parsed.positionals.as_slice() {
        [l] => (l, None),
        [l, s] => (l, Some(s)),
        _ => {
            return Output::usage(
                format!("{}: give a LESSON file and at most one SOLUTION", SPEC.command),
                help::LESSON,
            );
        }
    };
    let text = match read(lesson_path) {
        Ok(t) => t,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let (lesson, mut diagnostics) = match lesson::parse_lesson(&text) {
        Ok(l) => l,
        Err(d) => {
            return Output::err(
                BAD_USAGE,
                format!("{}: {}: {}", SPEC.command, quoted(lesson_path), render::lesson_diagnostic(&d)),
            );
        }
    };
    let json = parsed.flag("--json");
    match solution_path {
        None => {
            diagnostics.extend(lesson::check_lesson(&lesson));
            let checked = check(&lesson.network);
            let out = if json {
                pretty(&json_report(&lesson, &diagnostics, &checked, None))
            } else {
                text_report(lesson_path, &lesson, &diagnostics, &checked, None)
            };
            Output { code: if diagnostics.is_empty() { OK } else { FAILED }, out, err: String::new() }
        }
        Some(solution) => {
            let network = match read(solution).and_then(|t| {
                lesson::submitted_network(&t)
                    .map_err(|d| format!("{}: {}: {}", SPEC.command, quoted(solution), render::diagnostic(&d)))
            }) {
                Ok(n) => n,
                Err(e) => return Output::err(BAD_USAGE, e),
            };
            let checked = check(&network);
            let out = if json {
                pretty(&json_report(&lesson, &diagnostics, &checked, Some(solution)))
            } else {
                text_report(lesson_path, &lesson, &diagnostics, &checked, Some(solution))
            };
            let passed = lesson.challenges().all(|(_, c)| lesson::grade_challenge(&checked, c).passed());
            Output { code: if passed { OK } else { FAILED }, out, err: String::new() }
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn text_report(
    path: &str,
    lesson: &Lesson,
    diagnostics: &[LessonDiagnostic],
    checked: &Checked,
    solution: Option<&String>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Lesson {} \u{2014} {} ({})", quoted(path), lesson.title, lesson.id);
    if let Some(s) = solution {
        let _ = writeln!(out, "Graded on {}", quoted(s));
    }
    let _ = writeln!(out, "\nDiagnostics: {}", diagnostics.len());
    for d in diagnostics {
        let _ = writeln!(out, "  {}", render::lesson_diagnostic(d));
    }
    let _ = writeln!(out, "\nTasks:");
    for (i, task) in lesson.tasks() {
        match task {
            Task::Predict(p) => {
                let q = &p.question;
                let port = q.port.map(|n| format!(" {}/{n}", protocol_ref(q.protocol))).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  step {}  predict {}: {} \u{2192} {}{port}: {}",
                    i + 1,
                    p.id,
                    doc_src_ref(&q.from),
                    doc_dst_ref(&q.to),
                    render::lesson_answer(&p.answer)
                );
            }
            Task::Challenge(c) => {
                let r = lesson::grade_challenge(checked, c);
                let at = if solution.is_some() { "" } else { " at the start" };
                let _ =
                    writeln!(out, "  step {}  challenge {}{at}: {}", i + 1, c.id, render::lesson_challenge_summary(&r));
                for o in &r.outcomes {
                    let _ = writeln!(out, "      {}", render::lesson_outcome(o));
                }
                for e in &r.errors {
                    let _ = writeln!(out, "      error {}", render::diagnostic_with_location(e));
                }
            }
        }
    }
    out
}

fn challenge_json(r: &ChallengeResult) -> Value {
    let outcomes: Vec<Value> = r
        .outcomes
        .iter()
        .map(|o| {
            let q = &o.required.question;
            let (verdict, error) = match &o.trace {
                Ok(t) => (json!(t.verdict), Value::Null),
                Err(d) => (Value::Null, json!(render::diagnostic(d))),
            };
            json!({
                "from": doc_src_ref(&q.from),
                "to": doc_dst_ref(&q.to),
                "protocol": protocol_ref(q.protocol),
                "port": q.port,
                "required": { "verdict": o.required.verdict, "blocked_by": o.required.blocked_by },
                "verdict": verdict,
                "blocked_by": o.blocked_by(),
                "error": error,
                "held": o.held,
                "text": render::lesson_outcome(o),
            })
        })
        .collect();
    json!({
        "passed": r.passed(),
        "held": r.held(),
        "outcomes": outcomes,
        "errors": r.errors.iter().map(render::diagnostic_with_location).collect::<Vec<_>>(),
        "summary": render::lesson_challenge_summary(r),
    })
}

fn json_report(
    lesson: &Lesson,
    diagnostics: &[LessonDiagnostic],
    checked: &Checked,
    solution: Option<&String>,
) -> Value {
    // Predictions are about the starting network, whatever network is graded.
    let start = check(&lesson.network);
    let mut passed = true;
    let tasks: Vec<Value> = lesson
        .tasks()
        .map(|(i, task)| match task {
            Task::Predict(p) => {
                let engine = lesson::grade_prediction(&start, p, &p.answer).ok().map(|r| r.expected);
                json!({ "step": i + 1, "kind": "predict", "id": p.id, "stored": p.answer, "engine": engine })
            }
            Task::Challenge(c) => {
                let r = lesson::grade_challenge(checked, c);
                passed &= r.passed();
                let mut v = challenge_json(&r);
                v["step"] = json!(i + 1);
                v["kind"] = json!("challenge");
                v["id"] = json!(c.id);
                v
            }
        })
        .collect();
    json!({
        "lesson": lesson.id,
        "title": lesson.title,
        "graded": if solution.is_some() { "solution" } else { "start" },
        "diagnostics": diagnostics.iter().map(|d| json!({ "at": d.at, "message": render::lesson_diagnostic(d) })).collect::<Vec<_>>(),
        "tasks": tasks,
        "passed": if solution.is_some() { json!(passed) } else { Value::Null },
        "ok": if solution.is_some() { passed } else { diagnostics.is_empty() },
    })
}
