//! Import in the app: the JSON printed by the Heroku CLI and the AWS CLI, dropped on the page,
//! chosen with the file picker or pasted, read by `spacetrace_import` into one new scenario in
//! the library. The open scenario is never changed.
//!
//! Every file that arrives is first recognised ([`arrive`]): a Spacetrace scenario goes the way
//! it always went (opened, offered with its diagnostics, or refused, `files.rs`); CLI output is
//! offered for import in the import dialog; anything else is refused with the reason. Several
//! files arriving together, or files added while the dialog is open, are imported together. The
//! dialog shows what each file was recognised as, what the import holds, and every import
//! warning (file, path inside it, what) before anything is opened. The English is the
//! importer's (`spacetrace_import::render`) and the engine's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spacetrace_engine::doc::Document;
use spacetrace_import::warnings::Secret;
use spacetrace_import::{ImportWarning, Input, Kind, MAX_FILE_BYTES, Problem, What, render};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::files::{self, Incoming};
use crate::menu::{Dialog, Ui, receive};
use crate::persist::Library;
use crate::store::{Notice, Store};

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
fn too_large(bytes: usize) -> Arrival {
    let scenario = files::too_large(bytes).unwrap_or_default();
    let reason =
        format!("{scenario} Heroku CLI and AWS CLI output is imported from files of up to {}.", mib(MAX_FILE_BYTES));
    Arrival::Refused { alone: reason.clone(), among: reason }
}

/// What the scenario reader says when it refuses these bytes.
fn scenario_refusal(bytes: &[u8]) -> Option<String> {
    match files::classify_bytes(bytes) {
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
        Ok(Kind::Scenario) => Arrival::Scenario(Box::new(files::classify_bytes(bytes))),
        Ok(kind) => Arrival::Output(Output { name: name.to_owned(), text: text.to_owned(), kind }),
        // Too large for a scenario and no output: the size is what stops it.
        Err(Problem::NotRecognised { .. }) if files::too_large(bytes.len()).is_some() => {
            let reason = files::too_large(bytes.len()).unwrap_or_default();
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
        Err(problem) => match files::classify_bytes(bytes) {
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

/// The files being imported, the files left out, and the pasted text: the import dialog's state
/// (interface state, neither document nor session).
#[derive(Clone, Copy)]
pub struct ImportState {
    pub files: RwSignal<Vec<Output>>,
    pub refused: RwSignal<Vec<Refused>>,
    pub pasted: RwSignal<String>,
}

impl Default for ImportState {
    fn default() -> Self {
        Self {
            files: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            pasted: RwSignal::new(String::new()),
        }
    }
}

impl ImportState {
    pub fn clear(&self) {
        self.files.set(Vec::new());
        self.refused.set(Vec::new());
        self.pasted.set(String::new());
    }

    /// Add what arrived: output to the files (a file of the same name is replaced), the rest to
    /// the files left out.
    pub fn add(&self, arrivals: Vec<(String, Arrival)>) {
        for (name, arrival) in arrivals {
            self.files.update(|list| list.retain(|f| f.name != name));
            self.refused.update(|list| list.retain(|r| r.name != name));
            match reason(&arrival) {
                Some(reason) => self.refused.update(|list| list.push(Refused { name, reason })),
                None => {
                    if let Arrival::Output(output) = arrival {
                        self.files.update(|list| list.push(output));
                    }
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

/// `the file “name”`, for messages.
fn source(name: &str) -> String {
    format!("the file \u{201c}{name}\u{201d}")
}

/// Read chosen or dropped files, then [`route`] them.
pub fn receive_files(store: Store, library: Library, ui: Ui, list: Vec<web_sys::File>) {
    if list.is_empty() {
        return;
    }
    spawn_local(async move {
        let mut arrivals = Vec::with_capacity(list.len());
        for file in list {
            let arrival = read(&file).await;
            arrivals.push((file.name(), arrival));
        }
        route(&store, &library, &ui, arrivals);
    });
}

/// The files of a `FileList`, in order.
pub fn file_list(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

async fn read(file: &web_sys::File) -> Arrival {
    let size = file.size() as usize;
    if size > MAX_FILE_BYTES {
        // Refused by its size, unread.
        return too_large(size);
    }
    match JsFuture::from(file.array_buffer()).await {
        Ok(buffer) => arrive(&file.name(), &js_sys::Uint8Array::new(&buffer).to_vec()),
        Err(_) => {
            let reason = "The browser could not read this file.".to_owned();
            Arrival::Refused { alone: reason.clone(), among: reason }
        }
    }
}

/// Route what arrived. A lone scenario is opened, offered or refused as files always were; a
/// lone empty list is refused; a lone output, several files, and files that arrive while the
/// import dialog is open go to the import dialog (the files that cannot be imported listed with
/// their reasons). The open scenario is not touched.
pub fn route(store: &Store, library: &Library, ui: &Ui, arrivals: Vec<(String, Arrival)>) {
    let importing = ui.dialog.with_untracked(|d| matches!(d, Some(Dialog::Import)));
    if !importing && let [(name, arrival)] = arrivals.as_slice() {
        match arrival {
            Arrival::Scenario(incoming) => {
                receive(store, library, ui, incoming.as_ref().clone(), &source(name));
                return;
            }
            Arrival::Refused { alone, .. } => {
                receive(store, library, ui, Incoming::Refuse(alone.clone()), &source(name));
                return;
            }
            Arrival::Output(output) if output.kind == Kind::EmptyList => {
                ui.dialog.set(Some(Dialog::Problem {
                    title: format!("The file \u{201c}{name}\u{201d} was not opened"),
                    message: format!("{} It is not a Spacetrace scenario either.", render::what(&What::EmptyOutput)),
                }));
                return;
            }
            Arrival::Output(_) => {}
        }
    }
    if !importing {
        ui.import.clear();
        ui.menu_open.set(false);
    }
    ui.import.add(arrivals);
    if !importing {
        ui.dialog.set(Some(Dialog::Import));
    }
}

/// Open the import dialog with nothing in it yet (to paste, or to add files).
pub fn open_dialog(ui: &Ui) {
    ui.import.clear();
    ui.dialog.set(Some(Dialog::Import));
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The import dialog: the files and what each was recognised as, the files left out and why, a
/// place to paste, what the import holds and its warnings; open as a new scenario, or cancel.
pub fn dialog_body(ui: Ui) -> AnyView {
    let store = crate::store::use_store();
    let library = crate::menu::use_library();
    let state = ui.import;
    let result = Memo::new(move |_| state.files.with(|f| state.pasted.with(|p| outcome(f, p))));
    let picker = NodeRef::<leptos::html::Input>::new();
    let pasted_count = StoredValue::new(0usize);

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(list) = input.files() {
            receive_files(store, library, ui, file_list(&list));
        }
        input.set_value("");
    };
    // Keep the pasted text as a file of its own, so that another output can be pasted.
    let keep_pasted = move |_| {
        let text = state.pasted.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        pasted_count.update_value(|n| *n += 1);
        let name = format!("{PASTED} {}", pasted_count.get_value());
        state.pasted.set(String::new());
        let arrival = arrive(&name, text.as_bytes());
        state.add(vec![(name, arrival)]);
    };
    let open = move |_| {
        let Outcome::Ready(ready) = result.get_untracked() else { return };
        if ready.is_empty() {
            return;
        }
        let Ready { document, warnings, .. } = *ready;
        let name = document.name.clone();
        let files = state.files.with_untracked(Vec::len);
        let pasted = !state.pasted.with_untracked(|p| p.trim().is_empty());
        let from = match (files, pasted) {
            (0, _) => "pasted text".to_owned(),
            (n, false) => plural(n, "file", "files"),
            (n, true) => format!("{} and pasted text", plural(n, "file", "files")),
        };
        ui.dialog.set(None);
        state.clear();
        library.add_and_open(&store, document);
        let warned = if warnings.is_empty() {
            String::new()
        } else {
            format!(
                " The {} were listed before it opened.",
                plural(warnings.len(), "import warning", "import warnings")
            )
        };
        store.notice.set(Some(Notice::Info(format!(
            "Opened \u{201c}{name}\u{201d}, imported from {from}, as a new scenario in your library (Scenario menu), laid out automatically.{warned}"
        ))));
    };
    let cancel = move |_| {
        ui.dialog.set(None);
        state.clear();
    };
    let ready = move || result.with(|r| matches!(r, Outcome::Ready(ready) if !ready.is_empty()));
    // Focus Open when what arrived can be opened; else the place to paste.
    let focus_open = result.with_untracked(|r| matches!(r, Outcome::Ready(ready) if !ready.is_empty()));
    // Files dropped or chosen come first; pasting is folded away under them.
    let has_files = state.files.with_untracked(|f| !f.is_empty()) || state.refused.with_untracked(|r| !r.is_empty());

    let files_view = move || {
        state
            .files
            .get()
            .into_iter()
            .map(|f| {
                let name = f.name.clone();
                let label = format!("Leave out \u{201c}{}\u{201d}", f.name);
                view! {
                    <li class="import-file" data-testid="import-file">
                        <span class="import-file-text">
                            <span class="import-file-name">{f.name.clone()}</span>
                            <span class="import-kind" data-testid="import-kind">{render::kind(&f.kind)}</span>
                        </span>
                        <button type="button" class="icon" data-testid="import-file-remove" title="Leave out" aria-label=label
                            on:click=move |_| state.files.update(|l| l.retain(|x| x.name != name))>"\u{2715}"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let refused_view = move || {
        let refused = state.refused.get();
        (!refused.is_empty()).then(|| {
            let count = refused.len();
            let items = refused
                .into_iter()
                .map(|r| {
                    view! {
                        <li class="diag error" data-testid="import-refused">
                            <span class="sign" aria-hidden="true">"\u{2716}"</span>
                            <span><strong class="import-file-name">{r.name}</strong>": "{r.reason}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3>{format!("Not imported ({})", plural(count, "file", "files"))}</h3>
                <ul class="dialog-diags" data-testid="import-refused-list">{items}</ul>
            }
        })
    };
    let result_view = move || {
        match result.get() {
        Outcome::Nothing => view! {
            <p class="hint" data-testid="import-nothing">"Nothing to import yet: drop files here, add them, or paste an output."</p>
        }
        .into_any(),
        Outcome::Problems(problems) => view! {
            <ul class="dialog-diags" data-testid="import-problems">
                {problems.into_iter().map(|p| view! {
                    <li class="diag error" data-testid="import-problem">
                        <span class="sign" aria-hidden="true">"\u{2716}"</span><span>{p}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
        Outcome::Ready(ready) => {
            let secrets = secrets_note(&ready.warnings);
            let empty = ready.is_empty().then(|| {
                view! {
                    <p class="warning" data-testid="import-empty" role="note">
                        "Nothing in these files can be placed yet, so this would open an empty network (the warnings say why). Add the output that describes the VPCs or the space: "
                        <code>"aws ec2 describe-vpcs"</code>", "<code>"describe-subnets"</code>" \u{2026} or "<code>"heroku spaces:info --json"</code>"."
                    </p>
                }
            });
            let count = ready.warnings.len();
            let items = ready
                .warnings
                .iter()
                .map(|w| {
                    let place = (!w.path.is_empty()).then(|| view! { <code class="import-path">{w.path.clone()}</code> });
                    view! {
                        <li class="import-warning" data-testid="import-warning">
                            <span class="import-where">
                                <span class="import-file-name">{if w.file.is_empty() { "The import".to_owned() } else { w.file.clone() }}</span>
                                {place}
                            </span>
                            <span class="import-what">{render::what(&w.what)}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="import-summary" data-testid="import-summary"><strong>"It holds: "</strong>{ready.summary.clone()}"."</p>
                {empty}
                {secrets.map(|s| view! { <p class="warning import-secrets" data-testid="import-secrets" role="note">{s}</p> })}
                <h3 id="import-warnings-title" data-testid="import-warning-count">
                    {if count == 0 { "No import warnings".to_owned() } else { format!("{} (what was not carried over, and choices made)", plural(count, "import warning", "import warnings")) }}
                </h3>
                {(count > 0).then(|| view! {
                    <ul class="import-warnings" data-testid="import-warnings" tabindex="0" aria-labelledby="import-warnings-title">{items}</ul>
                })}
            }
            .into_any()
        }
    }
    };

    view! {
        <h2 id="dialog-title" data-testid="dialog-title">"Import Heroku and AWS output"</h2>
        <div class="import-dialog" data-testid="import-dialog">
            <p>"Spacetrace reads the JSON printed by the Heroku CLI (" <code>"--json"</code> ") and the AWS CLI (" <code>"aws ec2 describe-\u{2026}"</code>
                ") into one new scenario in your library. Files of one network are imported together: the space\u{2019}s peerings meet AWS\u{2019}s by their "
                <code>"pcx-"</code> " ID. Your open scenario is not changed."</p>
            <h3>{move || format!("Files ({})", state.files.with(Vec::len))}</h3>
            <ul class="import-files" data-testid="import-file-list">{files_view}</ul>
            {refused_view}
            <div class="import-add">
                <button type="button" data-testid="import-files" autofocus=has_files && !focus_open on:click=move |_| {
                    if let Some(input) = picker.get_untracked() { input.click(); }
                }>"\u{2912} Add files\u{2026}"</button>
                <span class="hint small">"or drop more files on the page."</span>
                <input type="file" multiple accept=".json,application/json,text/plain" class="sr-only" tabindex="-1" aria-hidden="true"
                    data-testid="import-files-input" node_ref=picker on:change=on_files />
            </div>
            <details class="import-paste" open=!has_files>
                <summary data-testid="import-paste-toggle">"Or paste output"</summary>
                <div class="field">
                <label for="import-paste">"One command\u{2019}s output at a time"</label>
                <textarea id="import-paste" rows="4" spellcheck="false" data-testid="import-paste" autofocus=!focus_open && !has_files
                    placeholder="{ \"SecurityGroups\": [ \u{2026} ] }"
                    prop:value=move || state.pasted.get() on:input=move |ev| state.pasted.set(event_target_value(&ev))></textarea>
                <button type="button" class="link" data-testid="import-paste-keep"
                    disabled=move || state.pasted.with(|p| p.trim().is_empty()) on:click=keep_pasted>
                    "Keep it and paste another"
                </button>
                </div>
            </details>
            <div class="import-result" aria-live="polite">{result_view}</div>
        </div>
        <div class="dialog-actions">
            <button type="button" class="apply" data-testid="import-open" autofocus=focus_open disabled=move || !ready() on:click=open>
                "Open as a new scenario"
            </button>
            <button type="button" data-testid="import-cancel" on:click=cancel>"Cancel"</button>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const GROUPS: &str = include_str!("../crates/spacetrace-import/tests/fixtures/aws/security-groups.json");
    const VPCS: &str = include_str!("../crates/spacetrace-import/tests/fixtures/aws/vpcs.json");
    const VPN: &str = include_str!("../crates/spacetrace-import/tests/fixtures/heroku/spaces-vpn-info.json");
    const GATEWAYS: &str = include_str!("../crates/spacetrace-import/tests/fixtures/aws/vpn-connections.json");
    const DEFAULT: &str = include_str!("../scenarios/default.json");

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
        assert_eq!(arrive("d.json", DEFAULT.as_bytes()), Arrival::Scenario(Box::new(files::classify_text(DEFAULT))));
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
    fn the_import_state_replaces_a_file_of_the_same_name() {
        let owner = leptos::prelude::Owner::new();
        owner.with(|| {
            let state = ImportState::default();
            state.add(vec![("a.json".into(), arrive("a.json", GROUPS.as_bytes()))]);
            state.add(vec![("a.json".into(), arrive("a.json", b"{\"owner\": 1}"))]);
            assert!(state.files.get_untracked().is_empty());
            assert_eq!(state.refused.get_untracked().len(), 1);
            state.add(vec![
                ("a.json".into(), arrive("a.json", VPCS.as_bytes())),
                ("b.json".into(), arrive("b.json", DEFAULT.as_bytes())),
            ]);
            assert_eq!(state.files.get_untracked().len(), 1);
            let refused = state.refused.get_untracked();
            assert_eq!(refused.len(), 1);
            assert_eq!(refused[0].name, "b.json");
            assert!(refused[0].reason.starts_with("It is a Spacetrace scenario already"), "{}", refused[0].reason);
        });
    }
}
