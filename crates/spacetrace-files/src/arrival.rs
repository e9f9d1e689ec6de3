//! Files that arrive to be imported: each is first recognised ([`arrive`]) as a Spacetrace
//! scenario (classified as scenario files always are, [`crate::classify_bytes`]), output of the
//! Heroku CLI or the AWS CLI, or neither (refused with the reason); the output files and pasted
//! text are then imported together ([`outcome`]) by `spacetrace_import`. The English is the
//! importer's (`spacetrace_import::render`) and the engine's.

use spacetrace_engine::doc::Document;
use spacetrace_import::warnings::Secret;
use spacetrace_import::{ImportWarning, Input, Kind, MAX_FILE_BYTES, Problem, What, render};

use crate::Incoming;

/// The name the pasted text goes by in the import's messages.
pub const PASTED: &str = "pasted text";

/// A file the importer recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    pub text: String,
    pub kind: Kind,
}

/// A file left out of an import, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub name: String,
    pub reason: String,
}

/// What one file that arrived is.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// A Spacetrace scenario, to open, offer or refuse as files always were.
    Scenario(Box<Incoming>),
    /// Output of the Heroku CLI or the AWS CLI.
    Output(Output),
    /// Neither: why, alone (in the words files always used, so a scenario with a typo is told
    /// where it breaks) and among files to import.
    Refused { alone: String, among: String },
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A file over the importer's limit (and so over the scenario limit too).
pub fn too_large(bytes: usize) -> Arrival {
    let scenario = crate::too_large(bytes).unwrap_or_default();
    let reason =
        format!("{scenario} Heroku CLI and AWS CLI output is imported from files of up to {}.", mib(MAX_FILE_BYTES));
    Arrival::Refused { alone: reason.clone(), among: reason }
}

/// What the scenario reader says when it refuses these bytes.
fn scenario_refusal(bytes: &[u8]) -> Option<String> {
    match crate::classify_bytes(bytes) {
        Incoming::Refuse(reason) => Some(reason),
        _ => None,
    }
}

/// Recognise a file from its bytes. A scenario is classified by `files` exactly as before (its
/// size limit, its parser's messages); output is kept for the importer, up to the importer's
/// size limit; anything else is refused, saying what it looks like and what can be imported.
pub fn arrive(name: &str, bytes: &[u8]) -> Arrival {
    if bytes.len() > MAX_FILE_BYTES {
        return too_large(bytes.len());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Arrival::Refused {
            alone: scenario_refusal(bytes).unwrap_or_default(),
            among: "It is not text: Heroku CLI and AWS CLI output is JSON text (UTF-8).".into(),
        };
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match spacetrace_import::detect(text) {
        Ok(Kind::Scenario) => Arrival::Scenario(Box::new(crate::classify_bytes(bytes))),
        Ok(kind) => Arrival::Output(Output { name: name.to_owned(), text: text.to_owned(), kind }),
        // Too large for a scenario and no output: the size is what stops it.
        Err(Problem::NotRecognised { .. }) if crate::too_large(bytes.len()).is_some() => {
            let reason = crate::too_large(bytes.len()).unwrap_or_default();
            Arrival::Refused { alone: reason.clone(), among: reason }
        }
        Err(Problem::NotRecognised { shape }) => {
            let shape = render::shape(&shape);
            let reason = match scenario_refusal(bytes) {
                Some(scenario) => {
                    format!("{scenario} Nor is it an output Spacetrace imports: it is {shape}. {}", render::READABLE)
                }
                // The scenario reader is tolerant: what it would open is an empty network.
                None => format!(
                    "This is neither a Spacetrace scenario nor an output Spacetrace imports: it is {shape}. {}",
                    render::READABLE
                ),
            };
            Arrival::Refused { alone: reason.clone(), among: reason }
        }
        // Not JSON (or nested too deep): alone, the scenario reader says where, as it always did.
        Err(problem) => match crate::classify_bytes(bytes) {
            Incoming::Refuse(alone) => Arrival::Refused { alone, among: render::problem(&problem) },
            other => Arrival::Scenario(Box::new(other)),
        },
    }
}

/// Why a file that arrived with others is not imported.
fn reason(arrival: &Arrival) -> Option<String> {
    match arrival {
        Arrival::Output(_) => None,
        Arrival::Refused { among, .. } => Some(among.clone()),
        Arrival::Scenario(_) => {
            Some(format!("{} Drop it or choose it on its own to open it.", render::problem(&Problem::Scenario)))
        }
    }
}

/// Add what arrived to the files being imported (output; a file of the same name is replaced)
/// and the files left out (the rest, with why).
pub fn add(files: &mut Vec<Output>, refused: &mut Vec<Refused>, arrivals: Vec<(String, Arrival)>) {
    for (name, arrival) in arrivals {
        files.retain(|f| f.name != name);
        refused.retain(|r| r.name != name);
        match reason(&arrival) {
            Some(reason) => refused.push(Refused { name, reason }),
            None => {
                if let Arrival::Output(output) = arrival {
                    files.push(output);
                }
            }
        }
    }
}

/// What importing the files and the pasted text gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing to import yet.
    Nothing,
    /// The importer refused: each problem as a sentence naming the file.
    Problems(Vec<String>),
    Ready(Box<Ready>),
}

/// A successful import, ready to open.
#[derive(Debug, Clone, PartialEq)]
pub struct Ready {
    pub document: Document,
    pub warnings: Vec<ImportWarning>,
    /// What the document holds, in one line.
    pub summary: String,
    /// How many files (and pasted text) it was read from.
    pub sources: usize,
}

impl Ready {
    /// Whether the scenario would be an empty network: nothing in the files could be placed
    /// (security groups of a VPC no file describes, say). It is not offered to open.
    pub fn is_empty(&self) -> bool {
        let d = &self.document;
        d.spaces.is_empty() && d.vpcs.is_empty() && d.common_runtime_apps.is_empty() && d.remote_networks.is_empty()
    }
}

/// Import the files and the pasted text (when there is any) together.
pub fn outcome(files: &[Output], pasted: &str) -> Outcome {
    let mut inputs: Vec<Input<'_>> = files.iter().map(|f| Input { name: &f.name, text: &f.text }).collect();
    let pasted = pasted.trim();
    if !pasted.is_empty() {
        inputs.push(Input { name: PASTED, text: pasted.strip_prefix('\u{feff}').unwrap_or(pasted) });
    }
    if inputs.is_empty() {
        return Outcome::Nothing;
    }
    match spacetrace_import::import(&inputs) {
        Ok(imported) => Outcome::Ready(Box::new(Ready {
            summary: render::summary(&imported.document),
            sources: inputs.len(),
            document: imported.document,
            warnings: imported.warnings,
        })),
        Err(e) => Outcome::Problems(e.problems.iter().map(render::file_problem).collect()),
    }
}

/// The sentence telling what secrets were left out, when any were.
pub fn secrets_note(warnings: &[ImportWarning]) -> Option<String> {
    let (mut keys, mut config) = (false, false);
    for w in warnings {
        match w.what {
            What::SecretLeftOut { secret: Secret::PreSharedKey | Secret::TunnelPreSharedKey } => keys = true,
            What::SecretLeftOut { secret: Secret::CustomerGatewayConfiguration } => config = true,
            _ => {}
        }
    }
    let never = "never stored in this browser, exported or put in a share link";
    match (keys, config) {
        (false, false) => None,
        (true, false) => {
            Some(format!("VPN pre-shared keys were left out: Spacetrace did not read them, so they are {never}."))
        }
        (false, true) => Some(format!(
            "The customer gateway configuration (it holds the VPN tunnels\u{2019} pre-shared keys) was left out: Spacetrace did not read it, so it is {never}."
        )),
        (true, true) => Some(format!(
            "VPN pre-shared keys and the customer gateway configuration were left out: Spacetrace did not read them, so they are {never}."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUPS: &str = include_str!("../../spacetrace-import/tests/fixtures/aws/security-groups.json");
    const VPCS: &str = include_str!("../../spacetrace-import/tests/fixtures/aws/vpcs.json");
    const VPN: &str = include_str!("../../spacetrace-import/tests/fixtures/heroku/spaces-vpn-info.json");
    const GATEWAYS: &str = include_str!("../../spacetrace-import/tests/fixtures/aws/vpn-connections.json");
    const DEFAULT: &str = include_str!("../../../scenarios/default.json");

    fn output(name: &str, text: &str) -> Output {
        match arrive(name, text.as_bytes()) {
            Arrival::Output(o) => o,
            other => panic!("{name}: {other:?}"),
        }
    }

    fn refused(text: &str) -> (String, String) {
        match arrive("x.json", text.as_bytes()) {
            Arrival::Refused { alone, among } => (alone, among),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn output_is_recognised_and_a_scenario_opens_as_before() {
        assert_eq!(output("sg.json", GROUPS).kind, Kind::Aws(vec![spacetrace_import::AwsOutput::SecurityGroups]));
        assert_eq!(output("vpn.json", VPN).kind, Kind::Heroku(spacetrace_import::HerokuOutput::VpnInfo));
        // A byte-order mark is no part of the JSON.
        assert_eq!(output("sg.json", &format!("\u{feff}{GROUPS}")).text, GROUPS);
        assert_eq!(arrive("d.json", DEFAULT.as_bytes()), Arrival::Scenario(Box::new(crate::classify_text(DEFAULT))));
        assert!(
            matches!(arrive("d.json", DEFAULT.as_bytes()), Arrival::Scenario(s) if matches!(*s, Incoming::Open(_)))
        );
    }

    #[test]
    fn what_is_neither_is_refused_with_what_it_looks_like() {
        let (alone, among) = refused(r#"{"owner": "ops"}"#);
        assert!(alone.starts_with("This is neither a Spacetrace scenario nor an output Spacetrace imports: it is a JSON object with the key \u{201c}owner\u{201d}."), "{alone}");
        assert_eq!(alone, among);
        // What the scenario reader refuses keeps its words first.
        let (alone, _) = refused("[1, 2, 3]");
        assert!(alone.starts_with("This is not a Spacetrace scenario: invalid type: sequence"), "{alone}");
        assert!(alone.contains("Nor is it an output Spacetrace imports: it is a list of 3 items"), "{alone}");
        // Not JSON: alone as files always said; among files to import, the importer's words.
        let (alone, among) = refused(r#"{"Vpcs": ["#);
        assert!(alone.starts_with("This is not a Spacetrace scenario: EOF while parsing a list"), "{alone}");
        assert_eq!(among, "It is not JSON: EOF while parsing a list (line 1, column 10).");
        let (alone, among) = match arrive("p.png", &[0x89, b'P', b'N', b'G', 0xff, 0xfe]) {
            Arrival::Refused { alone, among } => (alone, among),
            other => panic!("{other:?}"),
        };
        assert!(alone.starts_with("This file is not text"), "{alone}");
        assert!(among.starts_with("It is not text"), "{among}");
    }

    #[test]
    fn what_is_too_large_for_a_scenario_and_no_output_is_refused_by_its_size() {
        let mut big = b"{\"name\": \"big\"".to_vec();
        big.resize(big.len() + 4 * 1024 * 1024 + 10, b' ');
        big.push(b'}');
        let (alone, among) = match arrive("big.json", &big) {
            Arrival::Refused { alone, among } => (alone, among),
            other => panic!("{other:?}"),
        };
        assert!(alone.starts_with("The file is 4.0 MiB long; Spacetrace opens scenarios of up to 4.0 MiB."), "{alone}");
        assert_eq!(alone, among);
    }

    #[test]
    fn files_over_the_importers_limit_are_refused_by_size() {
        let (alone, _) = match too_large(MAX_FILE_BYTES + 1) {
            Arrival::Refused { alone, among } => (alone, among),
            other => panic!("{other:?}"),
        };
        assert!(alone.ends_with("Heroku CLI and AWS CLI output is imported from files of up to 32.0 MiB."), "{alone}");
    }

    #[test]
    fn files_and_pasted_text_import_together() {
        assert_eq!(outcome(&[], "  "), Outcome::Nothing);
        let Outcome::Ready(ready) = outcome(&[output("vpcs.json", VPCS)], GROUPS) else { panic!("not ready") };
        assert_eq!(ready.sources, 2);
        assert!(ready.summary.starts_with("0 spaces, 0 apps, 2 VPCs"), "{}", ready.summary);
        assert_eq!(ready.document.vpcs.len(), 2);
        assert!(!ready.is_empty());
        // Security groups alone have no VPC to be in: the scenario would be empty.
        let Outcome::Ready(ready) = outcome(&[output("sg.json", GROUPS)], "") else { panic!("not ready") };
        assert!(ready.is_empty());
        assert!(!ready.warnings.is_empty());
        // Pasted text that is not JSON is named.
        let Outcome::Problems(problems) = outcome(&[output("vpcs.json", VPCS)], "{") else { panic!("no problem") };
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("\u{201c}pasted text\u{201d}: It is not JSON"), "{}", problems[0]);
    }

    #[test]
    fn the_secrets_left_out_are_named() {
        let Outcome::Ready(ready) = outcome(&[output("vpn.json", VPN)], "") else { panic!("not ready") };
        let note = secrets_note(&ready.warnings).expect("a note");
        assert!(note.starts_with("VPN pre-shared keys were left out"), "{note}");
        let Outcome::Ready(ready) = outcome(&[output("vpn.json", VPN), output("vpn-connections.json", GATEWAYS)], "")
        else {
            panic!("not ready")
        };
        let note = secrets_note(&ready.warnings).expect("a note");
        assert!(note.starts_with("VPN pre-shared keys and the customer gateway configuration were left out"), "{note}");
        let Outcome::Ready(ready) = outcome(&[output("vpcs.json", VPCS)], "") else { panic!("not ready") };
        assert_eq!(secrets_note(&ready.warnings), None);
    }

    #[test]
    fn a_file_added_again_replaces_the_one_of_the_same_name() {
        let (mut files, mut refused) = (Vec::new(), Vec::new());
        add(&mut files, &mut refused, vec![("a.json".into(), arrive("a.json", GROUPS.as_bytes()))]);
        assert_eq!(files.len(), 1);
        add(&mut files, &mut refused, vec![("a.json".into(), arrive("a.json", b"{\"owner\": 1}"))]);
        assert!(files.is_empty());
        assert_eq!(refused.len(), 1);
        add(
            &mut files,
            &mut refused,
            vec![
                ("a.json".into(), arrive("a.json", VPCS.as_bytes())),
                ("b.json".into(), arrive("b.json", DEFAULT.as_bytes())),
            ],
        );
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "a.json");
        assert_eq!(files[0].kind, Kind::Aws(vec![spacetrace_import::AwsOutput::Vpcs]));
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].name, "b.json");
        assert!(refused[0].reason.starts_with("It is a Spacetrace scenario already"), "{}", refused[0].reason);
    }
}
