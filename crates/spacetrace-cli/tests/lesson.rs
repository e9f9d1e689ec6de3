//! `spacetrace lesson check`, run as a teacher or a grader would run it.

use std::process::{Command, Output};

const LESSONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons");

fn spacetrace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spacetrace")).args(args).output().expect("the spacetrace binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn lesson(id: &str) -> String {
    format!("{LESSONS}/{id}.json")
}

fn solution(id: &str) -> String {
    format!("{LESSONS}/solutions/{id}.json")
}

fn temp(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("spacetrace-lesson-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn checking_a_lesson_lists_its_tasks_and_that_the_start_fails_each_challenge() {
    let o = spacetrace(&["lesson", "check", &lesson("peering")]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.contains("Diagnostics: 0"), "{out}");
    assert!(
        out.contains(
            "predict web-orders: tracker/web \u{2192} host:orders-db tcp/5432: blocked by PEER-ROUTE at the route table"
        ),
        "{out}"
    );
    assert!(out.contains("challenge reach-orders at the start: \u{2716} NOT YET: 1 of 3 outcomes hold"), "{out}");
    assert!(
        out.contains("\u{2716} tracker/web \u{2192} host:orders-db tcp/5432 must connect: blocked by PEER-ROUTE"),
        "{out}"
    );
}

#[test]
fn every_built_in_lesson_checks_clean_and_its_solution_passes() {
    for entry in std::fs::read_dir(LESSONS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let o = spacetrace(&["lesson", "check", &lesson(&id)]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", text(&o.stdout));
        let o = spacetrace(&["lesson", "check", &lesson(&id), &solution(&id)]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", text(&o.stdout));
        assert!(!text(&o.stdout).contains('\u{2716}'), "{id}: {}", text(&o.stdout));
    }
}

#[test]
fn grading_the_starting_network_fails_with_exit_one() {
    // The lesson file itself as the learner's network: nothing changed yet.
    let o = spacetrace(&["lesson", "check", &lesson("vpn"), &lesson("vpn")]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("challenge reach-plant: \u{2716} NOT YET: 1 of 4 outcomes hold"), "{out}");
    assert!(out.contains("must connect: blocked by VPN-TUNNEL-UP"), "{out}");
}

#[test]
fn json_output_for_graders() {
    let o = spacetrace(&["lesson", "check", &lesson("trusted-ips"), &solution("trusted-ips"), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert_eq!(v["lesson"], "trusted-ips");
    assert_eq!(v["graded"], "solution");
    assert_eq!(v["passed"], true);
    let challenge = v["tasks"].as_array().unwrap().iter().find(|t| t["kind"] == "challenge").unwrap();
    assert_eq!(challenge["id"], "trust");
    assert_eq!(challenge["outcomes"][3]["required"]["blocked_by"], "TIP-FILTER");
    assert_eq!(challenge["outcomes"][3]["blocked_by"], "TIP-FILTER");
    assert_eq!(challenge["outcomes"][3]["held"], true);
    let predict = &v["tasks"][0];
    assert_eq!(predict["kind"], "predict");
    assert_eq!(predict["stored"], predict["engine"]);

    // A learner who trusted everyone: the stranger gets in.
    let mut network: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(solution("trusted-ips")).unwrap()).unwrap();
    network["spaces"][0]["trusted_ip_ranges"] = serde_json::json!(["0.0.0.0/0"]);
    let path = temp("everyone.json", &network.to_string());
    let o = spacetrace(&["lesson", "check", &lesson("trusted-ips"), &path, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["passed"], false);
    let challenge = v["tasks"].as_array().unwrap().iter().find(|t| t["kind"] == "challenge").unwrap();
    assert_eq!(challenge["outcomes"][3]["held"], false);
    assert_eq!(challenge["outcomes"][3]["verdict"], "connected");
}

#[test]
fn a_lesson_with_a_problem_exits_one_naming_it() {
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(lesson("vpn")).unwrap()).unwrap();
    v["steps"][1]["task"]["answer"] = serde_json::json!({"verdict": "connected"});
    v["steps"][2]["task"]["kind"] = serde_json::json!("guess");
    let path = temp("broken.json", &v.to_string());
    let o = spacetrace(&["lesson", "check", &path]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("Diagnostics: 2"), "{out}");
    assert!(out.contains("steps[1].task: the stored answer is \u{201c}connected\u{201d}"), "{out}");
    assert!(out.contains("steps[2].task: left out, it cannot be read"), "{out}");
}

#[test]
fn bad_usage_and_unreadable_files_exit_two() {
    for args in [
        &["lesson"][..],
        &["lesson", "grade"],
        &["lesson", "check"],
        &["lesson", "check", "a", "b", "c"],
        &["lesson", "check", "--frobnicate", "a"],
    ] {
        let o = spacetrace(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o.stderr).contains("Usage: spacetrace lesson check"), "{args:?}: {}", text(&o.stderr));
    }
    let o = spacetrace(&["lesson", "check", "/nonexistent/lesson.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read \u{201c}/nonexistent/lesson.json\u{201d}: no such file"));
    // A scenario is not a lesson.
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/default.json");
    let o = spacetrace(&["lesson", "check", scenario]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("this is not a lesson"), "{}", text(&o.stderr));
    // A learner's file that is not a scenario.
    let junk = temp("junk.json", "[1, 2]");
    let o = spacetrace(&["lesson", "check", &lesson("vpn"), &junk]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    // Help.
    let o = spacetrace(&["lesson", "check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with("Usage: spacetrace lesson check"));
}
