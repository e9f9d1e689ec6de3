//! Import in the app: the JSON printed by the Heroku CLI and the AWS CLI, dropped on the page,
//! chosen with the file picker or pasted, read by `spacetrace_import` into one new scenario in
//! the library. The open scenario is never changed.
//!
//! Every file that arrives is first recognised ([`arrive`], `spacetrace-files`, where native
//! tests reach it): a Spacetrace scenario goes the way it always went (opened, offered with its
//! diagnostics, or refused); CLI output is offered for import in the import dialog; anything else
//! is refused with the reason. Several
//! files arriving together, or files added while the dialog is open, are imported together. The
//! dialog shows what each file was recognised as, what the import holds, and every import
//! warning (file, path inside it, what) before anything is opened. The English is the
//! importer's (`spacetrace_import::render`) and the engine's.

use leptos::prelude::*;
use leptos::task::spawn_local;
pub use spacetrace_files::arrival::{
    Arrival, Outcome, Output, PASTED, Ready, Refused, arrive, outcome, secrets_note, too_large,
};
use spacetrace_import::{Kind, MAX_FILE_BYTES, What, render};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::files::Incoming;
use crate::menu::{Dialog, Ui, receive};
use crate::persist::Library;
use crate::store::{Notice, Store};

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
    /// the files left out ([`spacetrace_files::arrival::add`]).
    pub fn add(&self, arrivals: Vec<(String, Arrival)>) {
        let mut files = self.files.get_untracked();
        let mut refused = self.refused.get_untracked();
        spacetrace_files::arrival::add(&mut files, &mut refused, arrivals);
        self.files.set(files);
        self.refused.set(refused);
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
