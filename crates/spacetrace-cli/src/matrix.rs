//! `spacetrace matrix FILE [--json | --list | --csv]`: every source against every destination service.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::model::Model;
use spacetrace_engine::refs;
use spacetrace_engine::{Checked, RuleId, Verdict, render};

use crate::args::Spec;
use crate::text::{pad, pad_left, width, wrap_list};
use crate::{BAD_USAGE, OK, Output, ask, help, scenario};

const SPEC: Spec = Spec { command: "spacetrace matrix", values: &[], flags: &["--json", "--list", "--csv"] };

/// The widest table printed; wider matrices are printed as one block per source.
pub const MAX_TABLE_WIDTH: usize = 120;

const CONNECTED: &str = "\u{2714}";
const BLOCKED: &str = "\u{2716}";
const NOT_MODELLED: &str = "\u{00b7}";

pub fn run(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::MATRIX),
    };
    if parsed.help {
        return Output::ok(help::MATRIX);
    }
    let [path] = parsed.positionals.as_slice() else {
        return Output::usage(format!("{}: give exactly one scenario FILE", SPEC.command), help::MATRIX);
    };
    let layouts = ["--json", "--list", "--csv"].into_iter().filter(|f| parsed.flag(f)).count();
    if layouts > 1 {
        return Output::usage(format!("{}: choose one of --json, --list and --csv", SPEC.command), help::MATRIX);
    }
    let checked = match scenario::load(SPEC.command, path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let layout = if parsed.flag("--csv") {
        Layout::Csv
    } else if parsed.flag("--json") {
        Layout::Json
    } else if parsed.flag("--list") {
        Layout::List
    } else {
        Layout::Table
    };
    let matrix = Matrix::new(&checked.model);
    report(&checked, &matrix, layout)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Table,
    List,
    Json,
    Csv,
}

/// The matrix of a scenario in a layout. A cut matrix (see `Matrix::is_complete`) is said so: a
/// line under the title of the table and the list, a note on standard error beside the CSV, and
/// `"complete": false` in the JSON.
fn report(checked: &Checked, matrix: &Matrix, layout: Layout) -> Output {
    let model = &checked.model;
    let labels = Labels::new(model, matrix);
    let cut = cut_note(model, matrix);
    let mut err = String::new();
    let out = match layout {
        Layout::Csv => {
            if let Some(note) = &cut {
                err = format!("note: {note}");
            }
            spacetrace_engine::matrix::to_csv(model, matrix)
        }
        Layout::Json => match serde_json::to_string_pretty(&to_json(model, matrix, &labels)) {
            Ok(s) => s,
            Err(e) => return Output::err(BAD_USAGE, format!("{}: {e}", SPEC.command)),
        },
        Layout::Table | Layout::List => human(model, matrix, &labels, layout == Layout::List, cut.as_deref()),
    };
    ask::with_scenario_errors(checked, Output { code: OK, out, err })
}

/// The sentence saying a matrix is cut, when it is.
fn cut_note(model: &Model, m: &Matrix) -> Option<String> {
    (!m.is_complete(model)).then(|| render::matrix_cut(m.sources.len(), Matrix::source_count(model)))
}

/// References and engine labels for every row and column.
struct Labels {
    src_refs: Vec<String>,
    src_labels: Vec<String>,
    svc_refs: Vec<String>,
    svc_ports: Vec<String>,
    svc_labels: Vec<String>,
}

impl Labels {
    fn new(model: &Model, m: &Matrix) -> Self {
        Self {
            src_refs: m.sources.iter().map(|s| refs::src_ref(model, *s)).collect(),
            src_labels: m.sources.iter().map(|s| render::src_label(model, *s)).collect(),
            svc_refs: m.services.iter().map(|s| refs::dst_ref(model, s.dst)).collect(),
            svc_ports: m.services.iter().map(|s| render::port(s.protocol, s.port)).collect(),
            svc_labels: m.services.iter().map(|s| render::dst_label(model, s.dst)).collect(),
        }
    }
}

fn mark(m: &Matrix, row: usize, column: usize) -> &'static str {
    match m.cell(row, column).map(|o| o.verdict) {
        Some(Verdict::Connected) => CONNECTED,
        Some(Verdict::Blocked) => BLOCKED,
        None => NOT_MODELLED,
    }
}

fn human(model: &Model, m: &Matrix, l: &Labels, list: bool, cut: Option<&str>) -> String {
    let mut out = String::new();
    let title = if model.name.is_empty() { String::new() } else { format!(" \u{2014} {}", model.name) };
    let _ = writeln!(out, "Matrix{title}: {} sources \u{00d7} {} services", m.sources.len(), m.services.len());
    if let Some(note) = cut {
        let _ = writeln!(out, "{note}");
    }
    if m.sources.is_empty() || m.services.is_empty() {
        return out;
    }

    let ref_w = l.src_refs.iter().map(|s| width(s)).max().unwrap_or(0);
    let label_w = l.src_labels.iter().map(|s| width(s)).max().unwrap_or(0);
    let cell_w = m.services.len().to_string().len().max(2);
    let row_head = 2 + ref_w + 2 + label_w + 2;
    let table_w = row_head + m.services.len() * (cell_w + 1);
    if list || table_w > MAX_TABLE_WIDTH {
        by_source(&mut out, m, l);
    } else {
        table(&mut out, m, l, ref_w, label_w, cell_w);
    }

    let (connected, blocked, none) = m.counts();
    let _ = writeln!(
        out,
        "\n{CONNECTED} {}  {BLOCKED} {}  {NOT_MODELLED} not modelled",
        render::verdict(Verdict::Connected),
        render::verdict(Verdict::Blocked)
    );
    let _ = writeln!(
        out,
        "Counts: {connected} {}, {blocked} {}, {none} not modelled",
        render::verdict(Verdict::Connected),
        render::verdict(Verdict::Blocked)
    );
    let mut by_rule: BTreeMap<RuleId, usize> = BTreeMap::new();
    for o in m.cells.iter().flatten() {
        if let Some(r) = o.blocked_by {
            *by_rule.entry(r).or_default() += 1;
        }
    }
    if !by_rule.is_empty() {
        let mut rules: Vec<(RuleId, usize)> = by_rule.into_iter().collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let items: Vec<String> = rules.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(out, "{}", wrap_list("Blocking rules: ", &items, "  ", MAX_TABLE_WIDTH));
    }
    out
}

/// Numbered services, then one row per source with a mark per service.
fn table(out: &mut String, m: &Matrix, l: &Labels, ref_w: usize, label_w: usize, cell_w: usize) {
    let num_w = m.services.len().to_string().len();
    let svc_ref_w = l.svc_refs.iter().map(|s| width(s)).max().unwrap_or(0);
    let port_w = l.svc_ports.iter().map(|s| width(s)).max().unwrap_or(0);
    let _ = writeln!(out, "\nServices (columns)");
    for c in 0..m.services.len() {
        let line = format!(
            "  {}  {}  {}  {}",
            pad_left(&(c + 1).to_string(), num_w),
            pad(&l.svc_refs[c], svc_ref_w),
            pad(&l.svc_ports[c], port_w),
            l.svc_labels[c]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(out);
    let head: String = (1..=m.services.len()).map(|c| format!(" {}", pad_left(&c.to_string(), cell_w))).collect();
    let _ = writeln!(out, "{}{head}", pad("Sources (rows)", 2 + ref_w + 2 + label_w + 1));
    for r in 0..m.sources.len() {
        let cells: String = (0..m.services.len()).map(|c| format!(" {}", pad_left(mark(m, r, c), cell_w))).collect();
        let _ = writeln!(out, "  {}  {} {cells}", pad(&l.src_refs[r], ref_w), pad(&l.src_labels[r], label_w));
    }
}

/// One block per source: the services it connects to, then those it is blocked from and why.
fn by_source(out: &mut String, m: &Matrix, l: &Labels) {
    for r in 0..m.sources.len() {
        let _ = writeln!(out, "\n{}  {}", l.src_refs[r], l.src_labels[r]);
        let mut connected = Vec::new();
        let mut blocked = Vec::new();
        let mut none = 0;
        for c in 0..m.services.len() {
            let name = format!("{} ({})", l.svc_refs[c], l.svc_ports[c]);
            match m.cell(r, c) {
                Some(o) if o.verdict == Verdict::Connected => connected.push(name),
                Some(o) => match o.blocked_by {
                    Some(rule) => blocked.push(format!("{name} {rule}")),
                    None => blocked.push(name),
                },
                None => none += 1,
            }
        }
        for (sign, items) in [(CONNECTED, &connected), (BLOCKED, &blocked)] {
            if !items.is_empty() {
                let first = format!("  {sign} {}: ", items.len());
                let _ = writeln!(out, "{}", wrap_list(&first, items, "      ", MAX_TABLE_WIDTH));
            }
        }
        if none > 0 {
            let _ = writeln!(out, "  {NOT_MODELLED} {none}");
        }
    }
}

fn to_json(model: &Model, m: &Matrix, l: &Labels) -> Value {
    let sources: Vec<Value> =
        (0..m.sources.len()).map(|r| json!({ "ref": l.src_refs[r], "label": l.src_labels[r] })).collect();
    let services: Vec<Value> = m
        .services
        .iter()
        .enumerate()
        .map(|(c, s)| {
            json!({
                "ref": l.svc_refs[c],
                "label": l.svc_labels[c],
                "protocol": s.protocol,
                "port": s.port,
            })
        })
        .collect();
    let cells: Vec<Value> = (0..m.sources.len())
        .map(|r| {
            Value::Array(
                (0..m.services.len())
                    .map(|c| {
                        m.cell(r, c)
                            .map_or(Value::Null, |o| json!({ "verdict": o.verdict, "blocked_by": o.blocked_by }))
                    })
                    .collect(),
            )
        })
        .collect();
    let (connected, blocked, not_modelled) = m.counts();
    json!({
        "scenario": model.name,
        "complete": m.is_complete(model),
        "sources_total": Matrix::source_count(model),
        "sources": sources,
        "services": services,
        "cells": cells,
        "counts": { "connected": connected, "blocked": blocked, "not_modelled": not_modelled },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{DEFAULT, default_model, run_words};
    use crate::{BLOCKED as EXIT_BLOCKED, OK};

    #[test]
    fn the_table_has_a_legend_counts_and_fits() {
        let o = run_words(&["matrix", DEFAULT]);
        assert_eq!(o.code, OK, "{}", o.err);
        let out = &o.out;
        assert!(
            out.starts_with(
                "Matrix \u{2014} Acme: a Cedar space, a peered VPC and an office VPN: 8 sources \u{00d7} 11 services"
            ),
            "{out}"
        );
        assert!(out.contains("Services (columns)\n   1  hostname:api "), "{out}");
        assert!(out.contains("host:warehouse"), "{out}");
        assert!(out.contains("\u{2714} connected  \u{2716} blocked  \u{00b7} not modelled"), "{out}");
        assert!(out.contains("\nCounts: "), "{out}");
        assert!(out.contains("Blocking rules: "), "{out}");
        assert!(out.lines().all(|line| width(line) <= MAX_TABLE_WIDTH), "{out}");
        let model = default_model();
        let m = Matrix::new(&model);
        let (connected, blocked, none) = m.counts();
        assert!(out.contains(&format!("Counts: {connected} connected, {blocked} blocked, {none} not modelled")));
        // Every source row has one mark per service.
        let row = out.lines().find(|l| l.starts_with("  api/worker ")).unwrap();
        let marks = row.chars().filter(|c| ['\u{2714}', '\u{2716}', '\u{00b7}'].contains(c)).count();
        assert_eq!(marks, m.services.len());
    }

    #[test]
    fn the_list_layout_names_services_and_blocking_rules() {
        let o = run_words(&["matrix", DEFAULT, "--list"]);
        assert_eq!(o.code, OK);
        assert!(o.out.contains("\napi/worker  worker.1 of acme-api\n"), "{}", o.out);
        assert!(o.out.contains("host:warehouse (TCP 5432) PEER-ROUTE"), "{}", o.out);
        assert!(o.out.lines().all(|line| width(line) <= MAX_TABLE_WIDTH), "{}", o.out);
    }

    #[test]
    fn a_wide_matrix_switches_to_one_block_per_source() {
        let path = crate::tests::edited_default("wide.json", |v| {
            let services = v["external_services"].as_array_mut().unwrap();
            for i in 0..40 {
                services.push(serde_json::json!({
                    "id": format!("svc-{i}"),
                    "name": format!("Service {i}"),
                    "hostname": format!("svc-{i}.example.com"),
                    "ports": [{ "protocol": "tcp", "port": 443 }],
                }));
            }
        });
        let o = run_words(&["matrix", &path]);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(!o.out.contains("Services (columns)"), "{}", o.out);
        assert!(o.out.contains("\napi/worker  worker.1 of acme-api\n"), "{}", o.out);
        assert!(o.out.contains("external:svc-39 (TCP 443)"), "{}", o.out);
        assert!(o.out.lines().all(|line| width(line) <= MAX_TABLE_WIDTH), "{}", o.out);
    }

    #[test]
    fn json_labels_sources_and_services_and_parses_back() {
        let o = run_words(&["matrix", DEFAULT, "--json"]);
        assert_eq!(o.code, OK);
        let v: Value = serde_json::from_str(&o.out).unwrap();
        let model = default_model();
        let m = Matrix::new(&model);
        let sources = v["sources"].as_array().unwrap();
        let services = v["services"].as_array().unwrap();
        assert_eq!(sources.len(), m.sources.len());
        assert_eq!(services.len(), m.services.len());
        let row = sources.iter().position(|s| s["ref"] == "api/worker").unwrap();
        assert_eq!(sources[row]["label"], "worker.1 of acme-api");
        let col = services.iter().position(|s| s["ref"] == "host:warehouse").unwrap();
        assert_eq!(services[col]["port"], 5432);
        assert_eq!(services[col]["protocol"], "tcp");
        let cell = &v["cells"][row][col];
        assert_eq!(cell["verdict"], "blocked");
        assert_eq!(cell["blocked_by"], "PEER-ROUTE");
        let (connected, blocked, none) = m.counts();
        assert_eq!(v["counts"]["connected"], connected);
        assert_eq!(v["counts"]["blocked"], blocked);
        assert_eq!(v["counts"]["not_modelled"], none);
        let nulls = v["cells"].as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap()).filter(|c| c.is_null());
        assert_eq!(nulls.count(), none);
    }

    #[test]
    fn every_cell_agrees_with_ask() {
        let o = run_words(&["matrix", DEFAULT, "--json"]);
        let v: Value = serde_json::from_str(&o.out).unwrap();
        for (r, source) in v["sources"].as_array().unwrap().iter().enumerate() {
            for (c, service) in v["services"].as_array().unwrap().iter().enumerate() {
                let port = service["port"].to_string();
                let a = run_words(&[
                    "ask",
                    DEFAULT,
                    "--from",
                    source["ref"].as_str().unwrap(),
                    "--to",
                    service["ref"].as_str().unwrap(),
                    "--protocol",
                    service["protocol"].as_str().unwrap(),
                    "--port",
                    &port,
                ]);
                let expected = match v["cells"][r][c]["verdict"].as_str() {
                    Some("connected") => OK,
                    Some(_) => EXIT_BLOCKED,
                    None => BAD_USAGE,
                };
                assert_eq!(a.code, expected, "{source} -> {service}: {}", a.err);
            }
        }
    }

    #[test]
    fn usage_mistakes_exit_two() {
        assert_eq!(run_words(&["matrix"]).code, BAD_USAGE);
        let o = run_words(&["matrix", DEFAULT, "--json", "--list"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("choose one of --json, --list and --csv"), "{}", o.err);
        for other in ["--json", "--list"] {
            let o = run_words(&["matrix", DEFAULT, "--csv", other]);
            assert_eq!(o.code, BAD_USAGE);
            assert!(o.err.contains("choose one of --json, --list and --csv"), "{}", o.err);
            assert!(o.out.is_empty());
        }
        let o = run_words(&["matrix", DEFAULT, "--wide"]);
        assert!(o.err.contains("valid options: --json, --list, --csv, --help"), "{}", o.err);
        assert!(run_words(&["matrix", "/nonexistent.json"]).err.contains("no such file"));
    }

    /// Split CSV text into records of fields (RFC 4180), for the tests.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match (quoted, ch) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CR without LF"),
                (false, '\n') => panic!("a record ends with a bare LF"),
                (false, c) => field.push(c),
            }
            if !quoted && ch == '\r' {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
        }
        assert!(field.is_empty() && record.is_empty(), "the last record ends with CRLF");
        records
    }

    #[test]
    fn csv_has_a_header_of_services_and_a_record_per_source() {
        let o = run_words(&["matrix", DEFAULT, "--csv"]);
        assert_eq!(o.code, OK, "{}", o.err);
        let model = default_model();
        let m = Matrix::new(&model);
        let records = parse_csv(&o.out);
        assert_eq!(records.len(), m.sources.len() + 1);
        let header = &records[0];
        assert_eq!(header[0], "source");
        assert_eq!(header.len(), m.services.len() + 1);
        assert!(header.contains(&"host:warehouse tcp/5432".to_owned()), "{header:?}");
        assert!(header.contains(&"hostname:api tcp/443".to_owned()), "{header:?}");
        for (r, record) in records[1..].iter().enumerate() {
            assert_eq!(record.len(), header.len());
            assert_eq!(record[0], refs::src_ref(&model, m.sources[r]));
            for c in 0..m.services.len() {
                let expected = match m.cell(r, c) {
                    None => String::new(),
                    Some(o) if o.verdict == Verdict::Connected => "connected".to_owned(),
                    Some(o) => format!("blocked:{}", o.blocked_by.unwrap()),
                };
                assert_eq!(record[c + 1], expected, "{} {}", record[0], header[c + 1]);
            }
        }
        let worker = records.iter().position(|r| r[0] == "api/worker").unwrap();
        let warehouse = header.iter().position(|h| h == "host:warehouse tcp/5432").unwrap();
        assert_eq!(records[worker][warehouse], "blocked:PEER-ROUTE");
        assert!(o.out.ends_with("\r\n"));
    }

    #[test]
    fn csv_quotes_fields_that_need_it() {
        let path = crate::tests::edited_default("csv-quotes.json", |v| {
            v["internet_clients"][0]["id"] = serde_json::json!("home, \"sweet\" home");
        });
        let o = run_words(&["matrix", &path, "--csv"]);
        let _ = std::fs::remove_file(&path);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(o.out.contains("\r\n\"client:home, \"\"sweet\"\" home\","), "{}", o.out);
        let records = parse_csv(&o.out);
        assert!(records.iter().any(|r| r[0] == "client:home, \"sweet\" home"));
        assert!(records.iter().all(|r| r.len() == records[0].len()));
    }

    /// The default scenario's matrix with only its first `keep` sources, as `Matrix::new` leaves
    /// a matrix that `MAX_CELLS` cut (building one that large here would be slow).
    fn cut_default(keep: usize) -> (Checked, Matrix) {
        let checked = spacetrace_engine::check_text(&crate::tests::default_text());
        let mut m = Matrix::new(&checked.model);
        m.sources.truncate(keep);
        m.cells.truncate(keep * m.services.len());
        assert!(!m.is_complete(&checked.model));
        (checked, m)
    }

    const CUT_NOTE: &str =
        "The matrix is cut: it shows the first 3 of 8 sources, as a matrix holds at most 8,388,608 pairs.";

    #[test]
    fn a_cut_matrix_says_so_under_the_title_of_the_table_and_the_list() {
        let (checked, m) = cut_default(3);
        for layout in [Layout::Table, Layout::List] {
            let o = report(&checked, &m, layout);
            assert_eq!(o.code, OK);
            let mut lines = o.out.lines();
            assert!(lines.next().unwrap().ends_with(": 3 sources \u{00d7} 11 services"), "{}", o.out);
            assert_eq!(lines.next(), Some(CUT_NOTE), "{layout:?}: {}", o.out);
            assert!(o.out.lines().all(|line| width(line) <= MAX_TABLE_WIDTH), "{}", o.out);
            assert!(o.err.is_empty());
        }
        // A whole matrix says nothing of the kind.
        let whole = run_words(&["matrix", DEFAULT]);
        assert!(!whole.out.contains("is cut"), "{}", whole.out);
        assert!(!run_words(&["matrix", DEFAULT, "--list"]).out.contains("is cut"));
    }

    #[test]
    fn a_cut_matrix_as_csv_is_noted_on_standard_error() {
        let (checked, m) = cut_default(3);
        let o = report(&checked, &m, Layout::Csv);
        assert_eq!(o.code, OK);
        assert_eq!(o.err, format!("note: {CUT_NOTE}"));
        assert_eq!(o.out, spacetrace_engine::matrix::to_csv(&checked.model, &m));
        assert_eq!(parse_csv(&o.out).len(), 4);
        let whole = run_words(&["matrix", DEFAULT, "--csv"]);
        assert!(whole.err.is_empty(), "{}", whole.err);
    }

    #[test]
    fn a_cut_matrix_in_json_is_not_complete_and_counts_every_source() {
        let (checked, m) = cut_default(3);
        let o = report(&checked, &m, Layout::Json);
        assert_eq!(o.code, OK);
        assert!(o.err.is_empty());
        let v: Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["complete"], false);
        assert_eq!(v["sources_total"], 8);
        assert_eq!(v["sources"].as_array().unwrap().len(), 3);
        assert_eq!(v["cells"].as_array().unwrap().len(), 3);
        let whole: Value = serde_json::from_str(&run_words(&["matrix", DEFAULT, "--json"]).out).unwrap();
        assert_eq!(whole["complete"], true);
        assert_eq!(whole["sources_total"], whole["sources"].as_array().unwrap().len());
    }
}
