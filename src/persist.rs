//! The library of scenarios kept in this browser, and autosave.
//!
//! Storage (`localStorage`, see `docs/persistence.md`):
//! - `spacetrace:scenario:<id>`: one scenario's document, compact JSON, rewritten after every edit;
//! - `spacetrace:library`: the index, `{"current": id, "entries": [{"id", "name"}]}`;
//! - `spacetrace:draft:<id>`: the question last asked of that scenario (session state, not part of
//!   the document), restored on a reload or a switch when what it names is still there;
//! - `spacetrace:settings`: this browser's display settings (large text).
//!
//! The index is reconciled with the scenario keys on startup, so a lost or stale index (another
//! tab, a crash between two writes) never hides a stored scenario. Autosave is an `Effect` that
//! pushes the open document outward after each change and reports the outcome in the top bar's
//! status element; it writes no signal. Library operations (new, switch, rename, duplicate,
//! delete) run in event handlers. Each scenario has its own undo history, kept for the session.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use spacetrace_engine::doc::Document;
use spacetrace_engine::{parse_document, render};

use crate::examples::default_document;
use crate::store::{Draft, History, Store};
use spacetrace_edit::question::draft_fits;

/// The key of the index.
pub const INDEX_KEY: &str = "spacetrace:library";
/// The prefix of each scenario's key.
pub const SCENARIO_PREFIX: &str = "spacetrace:scenario:";
/// The prefix of the key of the question last asked of each scenario.
pub const DRAFT_PREFIX: &str = "spacetrace:draft:";
/// The key of this browser's display settings.
pub const SETTINGS_KEY: &str = "spacetrace:settings";
/// The ID of the element autosave reports to.
pub const STATUS_ID: &str = "save-status";

/// One scenario in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub name: String,
}

/// The stored index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Index {
    pub current: Option<String>,
    pub entries: Vec<Entry>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Write a key; false when the browser refuses (storage full, blocked or absent).
fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

pub fn scenario_key(id: &str) -> String {
    format!("{SCENARIO_PREFIX}{id}")
}

pub fn draft_key(id: &str) -> String {
    format!("{DRAFT_PREFIX}{id}")
}

/// A new entry ID: the time and a random part, so two tabs do not pick the same one.
fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 1e9) as u64;
    format!("{now:x}-{random:x}")
}

/// Read a stored scenario. The error is a sentence for the person.
pub fn load(id: &str) -> Result<Document, String> {
    let text = get(&scenario_key(id)).ok_or_else(|| "This scenario is no longer stored in this browser.".to_owned())?;
    parse_document(&text).map_err(|d| render::diagnostic(&d))
}

/// Store a scenario now; false when the browser refused.
fn store_doc(id: &str, doc: &Document) -> bool {
    set(&scenario_key(id), &serde_json::to_string(doc).unwrap_or_default())
}

/// The index as stored, reconciled with the scenario keys actually present: entries whose
/// scenario is gone are dropped, stored scenarios missing from the index are added.
pub fn read_index() -> Index {
    let Some(s) = storage() else { return Index::default() };
    let mut index: Index = get(INDEX_KEY).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let mut present = Vec::new();
    for i in 0..s.length().unwrap_or(0) {
        if let Ok(Some(key)) = s.key(i)
            && let Some(id) = key.strip_prefix(SCENARIO_PREFIX)
        {
            present.push(id.to_owned());
        }
    }
    let mut seen = Vec::new();
    index.entries.retain(|e| {
        let keep = present.contains(&e.id) && !seen.contains(&e.id);
        seen.push(e.id.clone());
        keep
    });
    present.sort();
    for id in present {
        if !index.entries.iter().any(|e| e.id == id) {
            let name = load(&id).map(|d| d.name).unwrap_or_else(|_| "Unreadable scenario".into());
            index.entries.push(Entry { id, name });
        }
    }
    if !index.current.as_ref().is_some_and(|c| index.entries.iter().any(|e| e.id == *c)) {
        index.current = None;
    }
    index
}

/// The library: which scenarios are stored, and which one is open.
#[derive(Clone, Copy)]
pub struct Library {
    /// Stored scenarios in library order. The open one's name is the document's (see [`Library::name`]).
    pub entries: RwSignal<Vec<Entry>>,
    /// The ID of the open scenario.
    pub current: RwSignal<String>,
    /// The undo histories of the scenarios not open, for this session.
    parked: StoredValue<BTreeMap<String, History>>,
    /// Set when another tab saved the open scenario: this tab stops saving it until the person
    /// reloads the other tab's version or keeps this one as a copy (`src/tabs.rs`), so neither
    /// tab's work is lost to the other's next save.
    pub saved_elsewhere: RwSignal<Option<Elsewhere>>,
}

/// What another tab did to the scenario open here.
#[derive(Debug, Clone, PartialEq)]
pub enum Elsewhere {
    /// It saved this version.
    Saved(Box<Document>),
    /// It deleted the scenario.
    Deleted,
}

/// Where startup found the document to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The document given (a share link).
    Given,
    /// The scenario open last time.
    LastOpen,
    /// The default example, on a first visit (or when the last one could not be read).
    Default,
}

impl Library {
    /// Start up: open `given` as a new entry when there is one (a share link), else the scenario
    /// open last time, else the default example as a new entry.
    pub fn start(given: Option<Document>) -> (Self, Document, Origin) {
        let index = read_index();
        let mut entries = index.entries.clone();
        // The scenario open last time; if the index lost track of it, the last one stored.
        let last = index
            .current
            .as_ref()
            .or(index.entries.last().map(|e| &e.id))
            .and_then(|id| load(id).ok().map(|d| (id.clone(), d)));
        let (id, doc, origin) = match (given, last) {
            (Some(doc), _) => (new_id(), doc, Origin::Given),
            (None, Some((id, doc))) => (id, doc, Origin::LastOpen),
            (None, None) => (new_id(), default_document(), Origin::Default),
        };
        if !entries.iter().any(|e| e.id == id) {
            store_doc(&id, &doc);
            entries.push(Entry { id: id.clone(), name: doc.name.clone() });
        }
        let library = Self {
            entries: RwSignal::new(entries),
            current: RwSignal::new(id),
            parked: StoredValue::new(BTreeMap::new()),
            saved_elsewhere: RwSignal::new(None),
        };
        (library, doc, origin)
    }

    /// An entry's name as shown: the open document's own for the open one.
    pub fn name(&self, store: &Store, entry: &Entry) -> String {
        if entry.id == self.current.get() { store.doc.with(|d| d.name.clone()) } else { entry.name.clone() }
    }

    /// Keep the open scenario's name in its entry and store it now (before switching away).
    fn settle_current(&self, store: &Store) {
        let id = self.current.get_untracked();
        let doc = store.doc.get_untracked();
        store_doc(&id, &doc);
        self.entries.update(|list| {
            if let Some(e) = list.iter_mut().find(|e| e.id == id) {
                e.name = doc.name.clone();
            }
        });
    }

    fn switch_to(&self, store: &Store, id: String, doc: Document) {
        let history = self.parked.try_update_value(|p| p.remove(&id)).flatten().unwrap_or_default();
        let draft = restore_draft(&id, &doc);
        let old = self.current.get_untracked();
        self.current.set(id);
        let parked = store.switch(doc, history, draft);
        self.parked.update_value(|p| {
            p.insert(old, parked);
        });
    }

    /// Add a document as a new scenario right after `after` (or at the end) and open it.
    /// Nothing stored is overwritten.
    pub fn add_and_open(&self, store: &Store, doc: Document) {
        self.insert_after(store, doc, None);
    }

    fn insert_after(&self, store: &Store, doc: Document, after: Option<&str>) {
        self.settle_current(store);
        let id = new_id();
        store_doc(&id, &doc);
        let entry = Entry { id: id.clone(), name: doc.name.clone() };
        self.entries.update(|list| match after.and_then(|a| list.iter().position(|e| e.id == a)) {
            Some(i) => list.insert(i + 1, entry),
            None => list.push(entry),
        });
        self.switch_to(store, id, doc);
    }

    /// Open a stored scenario. The error is a sentence for the person; nothing changes then.
    pub fn open(&self, store: &Store, id: &str) -> Result<(), String> {
        if id == self.current.get_untracked() {
            return Ok(());
        }
        let doc = load(id)?;
        self.settle_current(store);
        self.switch_to(store, id.to_owned(), doc);
        Ok(())
    }

    /// Rename a scenario: the open one by an undoable edit, another one in storage.
    pub fn rename(&self, store: &Store, id: &str, name: &str) -> Result<(), String> {
        if id == self.current.get_untracked() {
            store.apply(crate::edit::Edit::Rename(name.to_owned()));
            return Ok(());
        }
        let mut doc = load(id)?;
        doc.name = name.to_owned();
        if !store_doc(id, &doc) {
            return Err(NOT_SAVED.to_owned());
        }
        self.entries.update(|list| {
            if let Some(e) = list.iter_mut().find(|e| e.id == id) {
                e.name = name.to_owned();
            }
        });
        Ok(())
    }

    /// Copy a scenario (named “… (copy)”), place it after the original, and open the copy.
    pub fn duplicate(&self, store: &Store, id: &str) -> Result<(), String> {
        let mut doc = if id == self.current.get_untracked() { store.doc.get_untracked() } else { load(id)? };
        doc.name = format!("{} (copy)", doc.name);
        self.insert_after(store, doc, Some(id));
        Ok(())
    }

    /// Another tab changed stored data (a `storage` event, which the tab that wrote never gets).
    /// The open scenario saved there with other content stops this tab's saves until the person
    /// chooses; another scenario's new name is shown; the other tab's new or deleted scenarios
    /// join or leave this tab's list.
    pub fn stored_elsewhere(&self, store: &Store, key: &str, value: Option<&str>) {
        let current = self.current.get_untracked();
        if key.strip_prefix(SCENARIO_PREFIX) == Some(current.as_str()) {
            // Only the open scenario is read: other scenarios' names come with the index.
            let elsewhere = match value.map(parse_document) {
                None => Some(Elsewhere::Deleted),
                Some(Ok(doc)) if store.doc.with_untracked(|d| *d != doc) => Some(Elsewhere::Saved(Box::new(doc))),
                // The same content (this tab's own save coming back), or unreadable: nothing to offer.
                Some(_) => None,
            };
            if elsewhere.is_some() {
                self.saved_elsewhere.set(elsewhere);
            }
        } else if key == INDEX_KEY {
            let stored = read_index().entries;
            self.entries.update(|list| {
                list.retain(|e| e.id == current || stored.iter().any(|s| s.id == e.id));
                for e in stored {
                    match list.iter_mut().find(|l| l.id == e.id) {
                        Some(l) if l.id != current => l.name = e.name,
                        Some(_) => {}
                        None => list.push(e),
                    }
                }
            });
        }
    }

    /// Take the version another tab saved as the open document: one undoable edit, so Undo brings
    /// this tab's version back.
    pub fn reload_elsewhere(&self, store: &Store) {
        match self.saved_elsewhere.get_untracked() {
            Some(Elsewhere::Saved(doc)) => {
                store.apply(crate::edit::Edit::Replace(doc));
            }
            // Deleted there: this tab's version is stored again, under the same entry.
            Some(Elsewhere::Deleted) | None => {}
        }
        self.saved_elsewhere.set(None);
    }

    /// Keep this tab's version as a new scenario (named “… (copy)”) right after the one the other
    /// tab saved, which stays as that tab left it; this tab goes on with its copy and its undo.
    pub fn keep_as_copy(&self, store: &Store) {
        let old = self.current.get_untracked();
        let theirs = self.saved_elsewhere.get_untracked();
        let id = new_id();
        let entry = Entry { id: id.clone(), name: store.doc.with_untracked(|d| d.name.clone()) };
        store.apply(crate::edit::Edit::Rename(format!("{} (copy)", entry.name)));
        self.entries.update(|list| {
            let at = list.iter().position(|e| e.id == old);
            if let (Some(i), Some(Elsewhere::Saved(doc))) = (at, &theirs) {
                list[i].name = doc.name.clone();
            }
            if matches!(theirs, Some(Elsewhere::Deleted)) {
                list.retain(|e| e.id != old);
            }
            match list.iter().position(|e| e.id == old) {
                Some(i) => list.insert(i + 1, entry),
                None => list.push(entry),
            }
        });
        // The same document goes on under its new ID; autosave stores it there.
        self.current.set(id);
        self.saved_elsewhere.set(None);
    }

    /// Delete a scenario from this browser. Deleting the open one opens its neighbour, or a new
    /// empty network when it was the last.
    pub fn delete(&self, store: &Store, id: &str) {
        let list = self.entries.get_untracked();
        let Some(i) = list.iter().position(|e| e.id == id) else { return };
        let open = id == self.current.get_untracked();
        if open {
            let next = list.iter().enumerate().filter(|(j, _)| *j != i).min_by_key(|(j, _)| j.abs_diff(i));
            let switched = next.is_some_and(|(_, e)| self.open(store, &e.id.clone()).is_ok());
            if !switched {
                self.add_and_open(store, crate::examples::empty_document());
            }
        }
        remove(&scenario_key(id));
        remove(&draft_key(id));
        self.entries.update(|l| l.retain(|e| e.id != id));
        self.parked.update_value(|p| {
            p.remove(id);
        });
    }
}

/// Said when the browser refuses to store.
pub const NOT_SAVED: &str =
    "Not saved: this browser refused to store the scenario (storage full or blocked). Export it as a file to keep it.";

/// Said while another tab's save waits for the person's choice.
pub const HELD: &str = "Not saved: another tab saved this scenario. Reload its version or keep yours as a copy (see the message at the bottom).";

/// Autosave: after every change to the open document (or to the library), store the document
/// and the index, and show the outcome in the status element. Pushes outward only.
pub fn autosave(store: Store, library: Library) {
    Effect::new(move |_| {
        let id = library.current.get();
        let (text, name) = store.doc.with(|d| (serde_json::to_string(d).unwrap_or_default(), d.name.clone()));
        let mut entries = library.entries.get();
        if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
            e.name = name;
        }
        let index = Index { current: Some(id.clone()), entries };
        // While another tab's save of this scenario waits for the person's choice, nothing here
        // overwrites it.
        if library.saved_elsewhere.with(Option::is_some) {
            show_status(Saved::Held);
            return;
        }
        let saved =
            set(&scenario_key(&id), &text) && set(INDEX_KEY, &serde_json::to_string(&index).unwrap_or_default());
        show_status(if saved { Saved::Yes } else { Saved::No });
    });
}

/// The question to ask of a scenario as it opens: the one last asked of it in this browser, when
/// the objects it names are still in `doc`; else its first saved question.
pub fn restore_draft(id: &str, doc: &Document) -> Draft {
    get(&draft_key(id))
        .and_then(|text| serde_json::from_str::<Draft>(&text).ok())
        .filter(|draft| draft_fits(doc, draft))
        .unwrap_or_else(|| Draft::first_of(doc))
}

/// Remember the question being asked of the open scenario, after every change to it (or to which
/// scenario is open). Pushes outward only; a refused write loses nothing but the question.
pub fn remember_draft(store: Store, library: Library) {
    Effect::new(move |_| {
        let id = library.current.get();
        let text = store.draft.with(|d| serde_json::to_string(d).unwrap_or_default());
        set(&draft_key(&id), &text);
    });
}

/// This browser's display settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub large_text: bool,
}

/// The stored settings; the defaults when there are none or they cannot be read.
pub fn settings() -> Settings {
    get(SETTINGS_KEY).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

/// Remember the display settings after every change. Pushes outward only.
pub fn remember_settings(store: Store) {
    Effect::new(move |_| {
        let settings = Settings { large_text: store.large_text.get() };
        set(SETTINGS_KEY, &serde_json::to_string(&settings).unwrap_or_default());
    });
}

/// What autosave did with the last change.
enum Saved {
    Yes,
    No,
    /// Held back: another tab saved this scenario and the person has not chosen yet.
    Held,
}

fn show_status(saved: Saved) {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(STATUS_ID)) else {
        return;
    };
    let (state, text, title) = match saved {
        Saved::Yes => ("saved", "\u{2713} Saved", "Every change is saved in this browser."),
        Saved::No => ("failed", "\u{26A0} Not saved", NOT_SAVED),
        Saved::Held => ("held", "\u{26A0} Not saved", HELD),
    };
    let _ = el.set_attribute("data-state", state);
    let _ = el.set_attribute("title", title);
    el.set_text_content(Some(text));
}
