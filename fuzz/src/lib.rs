//! What the fuzz targets share: the whole pipeline over one document (check, grading, every saved
//! question and a bounded sample of the matrix, render, commands, every suggested fix applied
//! and checked, plans, the matrix diff, the share-link round trip), and the structure-aware
//! edits that turn the example scenarios into new documents.
//!
//! A panic anywhere is a finding; so is an oracle below that does not hold (the matrix by
//! classes against every pair alone, a cell's outcome against its full trace, the share codec
//! giving back the document it was given). See `docs/fuzzing.md`.

use arbitrary::Arbitrary;
use serde_json::{Map, Value};
use spacetrace_engine::check::Checked;
use spacetrace_engine::doc::Document;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::trace::{Trace, Verdict};
use spacetrace_engine::{apply, check, commands, diff, lab, parse_document, plan, render};

/// The example scenarios, the seeds of every target.
pub const EXAMPLES: [&str; 10] = [
    include_str!("../../scenarios/default.json"),
    include_str!("../../scenarios/aws.json"),
    include_str!("../../scenarios/common-runtime.json"),
    include_str!("../../scenarios/fir.json"),
    include_str!("../../scenarios/internal-routing.json"),
    include_str!("../../scenarios/limits.json"),
    include_str!("../../scenarios/peering.json"),
    include_str!("../../scenarios/private-space.json"),
    include_str!("../../scenarios/trusted-ips.json"),
    include_str!("../../scenarios/vpn.json"),
];

/// At most this many matrix cells are traced and rendered per input (the matrix itself is
/// always computed whole).
const TRACED_CELLS: usize = 128;
/// At most this many blocked answers have each of their fixes applied and checked (the first
/// fix also diffed).
const FIXED_ANSWERS: usize = 4;
/// At most this many blocked answers are planned (a plan is up to 16 checks).
const PLANS: usize = 2;
/// Up to this many cells, the matrix by classes is compared with every pair evaluated alone.
const COMPARED_CELLS: usize = 4_096;
/// Structure-aware edits stop growing a document past this many bytes of JSON.
const MAX_EDITED_BYTES: usize = 512 * 1024;

/// JSON text through the whole pipeline.
pub fn text(text: &str) {
    match parse_document(text) {
        Ok(doc) => document(&doc),
        Err(d) => {
            let _ = render::diagnostic_with_location(&d);
        }
    }
}

/// A document through the whole pipeline.
pub fn document(doc: &Document) {
    let checked = check(doc);
    for d in &checked.diagnostics {
        let _ = render::diagnostic_with_location(d);
    }
    let report = lab::report(&checked);
    let _ = render::grade_summary(&report);
    for c in &report.configuration {
        let _ = render::graded_configuration(c);
    }
    let mut blocked: Vec<Trace> = Vec::new();
    for g in &report.questions {
        let _ = render::graded_question(&checked.model, g);
        if let Some(t) = &g.trace {
            answer(&checked, t, &mut blocked);
        }
    }

    let model = &checked.model;
    let m = Matrix::new(model);
    let _ = m.counts();
    let _ = m.is_complete(model);
    let _ = spacetrace_engine::matrix::to_csv(model, &m);
    if m.cells.len() <= COMPARED_CELLS {
        let plain = Matrix::plain(model);
        assert_eq!(m.sources, plain.sources, "matrix sources differ from Matrix::plain");
        assert_eq!(m.services, plain.services, "matrix services differ from Matrix::plain");
        for (i, (a, b)) in m.cells.iter().zip(&plain.cells).enumerate() {
            assert_eq!(a, b, "cell {i}: the matrix by classes differs from every pair alone");
        }
    }
    let columns = m.services.len().max(1);
    let stride = (m.cells.len() / TRACED_CELLS).max(1);
    for i in (0..m.cells.len()).step_by(stride) {
        let (row, column) = (i / columns, i % columns);
        let (Some(cell), Some(t)) = (m.cell(row, column), m.trace(model, row, column)) else { continue };
        assert_eq!(cell.verdict, t.verdict, "cell ({row}, {column}): outcome and full trace disagree");
        answer(&checked, &t, &mut blocked);
    }

    for (n, t) in blocked.iter().take(FIXED_ANSWERS).enumerate() {
        for (k, s) in t.suggestions.iter().enumerate() {
            let Ok(changed) = apply::apply(doc, &s.fix) else { continue };
            let after = check(&changed);
            if n == 0 && k == 0 {
                let _ = diff::diff(model, &after.model).summary();
            }
        }
    }
    for t in blocked.iter().take(PLANS) {
        let p = plan::plan(doc, &t.query);
        let _ = (p.connects(), p.further(), p.stuck_at());
        let _ = plan::apply_all(doc, &p.fix_list());
    }

    share_round_trip(doc);
}

/// Render one answer and its fixes as text and as commands; keep it when it is blocked.
fn answer(checked: &Checked, t: &Trace, blocked: &mut Vec<Trace>) {
    let model = &checked.model;
    let _ = render::trace(model, t);
    for s in &t.suggestions {
        let _ = render::fix_in(model, &s.fix);
        for c in commands::for_fix(model, &s.fix) {
            let _ = c.line();
            for p in c.placeholders() {
                let _ = render::placeholder(p);
            }
        }
    }
    if t.verdict == Verdict::Blocked && blocked.len() < FIXED_ANSWERS.max(PLANS) {
        blocked.push(t.clone());
    }
}

/// A document's share link reads back as the same document.
fn share_round_trip(doc: &Document) {
    let payload = spacetrace_share::payload(doc);
    if payload.len() > spacetrace_engine::check::MAX_DOCUMENT_BYTES {
        return;
    }
    let fragment = spacetrace_share::fragment(doc);
    match spacetrace_share::read(&fragment) {
        Some(Ok(back)) => {
            assert_eq!(spacetrace_share::payload(&back), payload, "a share link did not read back as its document")
        }
        other => panic!("a share link of a document did not read back: {other:?}"),
    }
}

/// A share fragment (any text) through the decoder, and what it holds through the pipeline.
pub fn share_fragment(fragment: &str) {
    let _ = spacetrace_share::is_share(fragment);
    match spacetrace_share::read(fragment) {
        Some(Ok(doc)) => document(&doc),
        Some(Err(e)) => {
            let _ = e.message();
        }
        None => {}
    }
}

// ----- structure-aware edits ----------------------------------------------------------------

/// A scenario made from an example by structural edits: the fuzzer's bytes choose the example
/// and the edits (`arbitrary`), so mutations stay documents that mostly read, reaching the
/// checker and the evaluator rather than the JSON parser.
#[derive(Debug, Arbitrary)]
pub struct Scenario {
    pub example: u8,
    pub edits: Vec<Edit>,
}

/// One edit at the node a path leads to: each step picks a member of an object or an element of
/// a list (modulo its length); the walk stops early at a scalar.
#[derive(Debug, Arbitrary)]
pub struct Edit {
    pub path: Vec<u16>,
    pub op: Op,
}

#[derive(Debug, Arbitrary)]
pub enum Op {
    /// Replace the node.
    Set(Atom),
    /// Remove a member or an element of the node.
    Remove(u16),
    /// Repeat an element of a list `n` times (documents at scale: many dynos, rules, spaces).
    Repeat(u16, u8),
    /// Swap two elements of a list.
    Swap(u16, u16),
    /// Replace the node with a copy of another node of the document (an app among VPCs…).
    Graft(Vec<u16>),
    /// Add or overwrite a member of an object, named as some object in the examples names one.
    Insert(u16, Atom),
}

/// A value for an edit.
#[derive(Debug, Arbitrary)]
pub enum Atom {
    Null,
    Bool(bool),
    /// One of the numbers the format is touchy about.
    Number(u8),
    Integer(i64),
    Float(f64),
    /// One of the strings of the document itself: an ID (a reference to something that
    /// exists), a name, a CIDR, a port range, a keyword.
    Existing(u16),
    /// One of the strings the format is touchy about.
    Touchy(u8),
    Text(String),
    EmptyList,
    EmptyObject,
}

const NUMBERS: &[f64] = &[
    0.0,
    1.0,
    2.0,
    -1.0,
    5.0,
    6.0,
    64.0,
    100.0,
    128.0,
    255.0,
    256.0,
    1024.0,
    5000.0,
    5432.0,
    32766.0,
    32767.0,
    65535.0,
    65536.0,
    4_294_967_295.0,
    4_294_967_296.0,
    1e20,
    0.5,
];

const TOUCHY: &[&str] = &[
    "",
    " ",
    "all",
    "-1",
    "0-65535",
    "65535-0",
    "80-80",
    "tcp",
    "UDP",
    "icmp",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "10.0.0.0/32",
    "10.0.0.0/33",
    "255.255.255.255/32",
    "10.0.128.0/20",
    "10.0.0.0/0",
    "2001:db8::/32",
    "2001:db8::1",
    "1.2.3.4",
    "local",
    "igw-1",
    "pcx-1",
    "pl-1",
    "sg-1",
    "allow",
    "deny",
    "active",
    "pending-acceptance",
    "deleted",
    "up",
    "down",
    "cedar",
    "fir",
    "shield",
    "web",
    "web.1",
    "web.0",
    "web.99999",
    "worker.2",
    "connected",
    "blocked",
    "\u{0}",
    "Ω",
];

impl Scenario {
    /// The edited example as JSON text.
    pub fn text(&self) -> String {
        let mut value: Value =
            serde_json::from_str(EXAMPLES[self.example as usize % EXAMPLES.len()]).unwrap_or(Value::Null);
        let mut strings = Vec::new();
        let mut keys = Vec::new();
        collect(&value, &mut strings, &mut keys);
        for e in &self.edits {
            let original = value.clone();
            let node = walk(&mut value, &e.path);
            match &e.op {
                Op::Set(a) => *node = a.value(&strings),
                Op::Remove(i) => match node {
                    Value::Array(items) if !items.is_empty() => {
                        let i = *i as usize % items.len();
                        items.remove(i);
                    }
                    Value::Object(members) if !members.is_empty() => {
                        let key = members.keys().nth(*i as usize % members.len()).cloned().unwrap_or_default();
                        members.remove(&key);
                    }
                    _ => {}
                },
                Op::Repeat(i, n) => {
                    if let Value::Array(items) = node
                        && !items.is_empty()
                    {
                        let i = *i as usize % items.len();
                        let item = items[i].clone();
                        for _ in 0..*n {
                            items.insert(i, item.clone());
                        }
                    }
                }
                Op::Swap(i, j) => {
                    if let Value::Array(items) = node
                        && !items.is_empty()
                    {
                        let n = items.len();
                        items.swap(*i as usize % n, *j as usize % n);
                    }
                }
                Op::Graft(from) => {
                    let mut source = original;
                    *node = walk(&mut source, from).clone();
                }
                Op::Insert(k, a) => {
                    if let Value::Object(members) = node
                        && !keys.is_empty()
                    {
                        members.insert(keys[*k as usize % keys.len()].clone(), a.value(&strings));
                    }
                }
            }
            if matches!(e.op, Op::Repeat(..) | Op::Graft(_))
                && serde_json::to_string(&value).map_or(0, |t| t.len()) > MAX_EDITED_BYTES
            {
                break;
            }
        }
        serde_json::to_string(&value).unwrap_or_default()
    }
}

impl Atom {
    fn value(&self, strings: &[String]) -> Value {
        match self {
            Atom::Null => Value::Null,
            Atom::Bool(b) => Value::Bool(*b),
            Atom::Number(i) => {
                let n = NUMBERS[*i as usize % NUMBERS.len()];
                if n.fract() == 0.0 && n.abs() < 1e18 { Value::from(n as i64) } else { Value::from(n) }
            }
            Atom::Integer(i) => Value::from(*i),
            Atom::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Atom::Existing(i) if !strings.is_empty() => Value::String(strings[*i as usize % strings.len()].clone()),
            Atom::Existing(_) => Value::Null,
            Atom::Touchy(i) => Value::String(TOUCHY[*i as usize % TOUCHY.len()].to_owned()),
            Atom::Text(s) => Value::String(s.clone()),
            Atom::EmptyList => Value::Array(Vec::new()),
            Atom::EmptyObject => Value::Object(Map::new()),
        }
    }
}

/// Every string value and every member name in a document.
fn collect(value: &Value, strings: &mut Vec<String>, keys: &mut Vec<String>) {
    match value {
        Value::String(s) => strings.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, strings, keys)),
        Value::Object(members) => {
            for (k, v) in members {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
                collect(v, strings, keys);
            }
        }
        _ => {}
    }
}

/// The node a path leads to.
fn walk<'a>(value: &'a mut Value, path: &[u16]) -> &'a mut Value {
    let Some((first, rest)) = path.split_first() else { return value };
    let child = match &*value {
        Value::Array(items) if !items.is_empty() => Some(Key::Index(*first as usize % items.len())),
        Value::Object(members) if !members.is_empty() => {
            members.keys().nth(*first as usize % members.len()).cloned().map(Key::Name)
        }
        _ => None,
    };
    match child {
        Some(Key::Index(i)) => walk(&mut value[i], rest),
        Some(Key::Name(k)) => walk(&mut value[k.as_str()], rest),
        None => value,
    }
}

enum Key {
    Index(usize),
    Name(String),
}

// ----- import -------------------------------------------------------------------------------

/// What separates the files of one import input (the ASCII record separator, never in JSON
/// output of the CLIs).
pub const FILE_SEPARATOR: char = '\u{1e}';

/// Text split into files, recognised and imported together; what is imported goes through the
/// whole pipeline.
pub fn import(text: &str) {
    let names: Vec<String> = (0..text.split(FILE_SEPARATOR).count()).map(|i| format!("file{i}.json")).collect();
    let inputs: Vec<spacetrace_import::Input<'_>> =
        text.split(FILE_SEPARATOR).zip(&names).map(|(text, name)| spacetrace_import::Input { name, text }).collect();
    for i in &inputs {
        match spacetrace_import::detect(i.text) {
            Ok(k) => {
                let _ = spacetrace_import::render::kind(&k);
            }
            Err(p) => {
                let _ = spacetrace_import::render::problem(&p);
            }
        }
    }
    match spacetrace_import::import(&inputs) {
        Ok(imported) => {
            for w in &imported.warnings {
                let _ = spacetrace_import::render::warning(w);
            }
            let _ = spacetrace_import::render::summary(&imported.document);
            document(&imported.document);
        }
        Err(e) => {
            for p in &e.problems {
                let _ = spacetrace_import::render::file_problem(p);
            }
        }
    }
}
