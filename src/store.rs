//! The app's state, in three layers:
//!
//! - the **document** (what is saved, shared and undone): one `RwSignal<Document>`, changed only
//!   by [`Store::apply`] with an [`Edit`] value, which also records undo history;
//! - the **session** (selection, viewport, the question being asked, theme, large text): not
//!   undoable, never part of the document (the question and the large-text setting are remembered
//!   in this browser, see `persist.rs`);
//! - **interaction** state (an ongoing drag or pan) lives in the canvas component.
//!
//! Engine results are derived with `Memo`s from the document and the session, never stored.

use std::sync::Arc;

use leptos::prelude::*;
use spacetrace_engine::check::{Checked, check};
use spacetrace_engine::doc::Document;
use spacetrace_engine::evaluate;
use spacetrace_engine::lab::{Graded, grade};
use spacetrace_engine::policy::Refusal;
use spacetrace_engine::query::{Query, QueryError};
use spacetrace_engine::trace::Trace;
use spacetrace_engine::walk::Packet;

use crate::edit::{Edit, apply_edit};

/// How many document versions undo keeps.
const HISTORY: usize = 200;

/// A shared, immutable engine result. Equal when it is the same computation (pointer equality),
/// so a `Memo` holding it notifies only when it was recomputed.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One scenario's undo and redo stacks. Each scenario in the library has its own; switching to
/// another scenario parks this one's (see [`Store::switch`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    past: Vec<Document>,
    future: Vec<Document>,
}

/// The question being asked (its ends by IDs); its logic lives in `spacetrace-edit`.
pub use spacetrace_edit::question::Draft;

/// Which end of the question the next canvas click picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    From,
    To,
}

/// The canvas view box (x, y, width, height in canvas units); `None` fits everything.
pub type ViewBox = Option<(f64, f64, f64, f64)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// A short message for the person: a refusal with its rules, or a problem.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Refused(Refusal),
    Info(String),
}

/// Everything the components share, passed by context.
#[derive(Clone, Copy)]
pub struct Store {
    /// The open document. Read anywhere; written only here, by `apply` (every edit), `undo` and
    /// `redo` (states `apply` made) and `switch` (another scenario of the library).
    pub doc: ReadSignal<Document>,
    set_doc: WriteSignal<Document>,
    history: RwSignal<History>,
    pub selection: RwSignal<Vec<String>>,
    pub viewport: RwSignal<ViewBox>,
    pub draft: RwSignal<Draft>,
    pub picking: RwSignal<Option<Pick>>,
    pub theme: RwSignal<Theme>,
    /// Whether the palette is shown (hide it to give a projector the whole width).
    pub palette_open: RwSignal<bool>,
    /// Larger text in the side panel and the top bar, for a projector.
    pub large_text: RwSignal<bool>,
    /// Whether the connectivity view (every source against every service) is open.
    pub matrix_open: RwSignal<bool>,
    /// The network pinned by "Set baseline", to compare the current one against.
    pub baseline: RwSignal<Option<Shared<Checked>>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The checked document: model, questions and diagnostics.
    pub checked: Memo<Shared<Checked>>,
    /// Saved questions, answered and graded.
    pub graded: Memo<Shared<Vec<Graded>>>,
    /// The draft question resolved against the model, when it can be asked.
    pub query: Memo<Option<Query>>,
    /// Why the draft question cannot be asked, when both its ends are chosen (a port missing or
    /// 0, `localhost` from a host, an end deleted since it was chosen, a pair not modelled).
    pub unasked: Memo<Option<QueryError>>,
    /// The answer to the draft question.
    pub trace: Memo<Option<Shared<Trace>>>,
    /// The packet's walk over the answer (the engine's `walk::walk`): the request hop by hop,
    /// then the reply where a stateless network ACL decides.
    pub walk: Memo<Option<Shared<Vec<Packet>>>>,
    /// Where the walk is: the answer it was started on and the packet's index. A walk belongs to
    /// one answer; a new answer (another question, an edit) leaves it (see [`Store::walk_index`]).
    pub walk_at: RwSignal<Option<(Shared<Trace>, usize)>>,
    /// Whether the walk plays by itself (a timer in `walk.rs`).
    pub walk_playing: RwSignal<bool>,
    /// Presentation mode: the canvas fills the window with large type and a caption.
    pub presenting: RwSignal<bool>,
    /// The hook a lesson player registers to take the keyboard's steps in presentation mode
    /// (`walk::step` offers each step to it first: forward +1, back -1; it returns whether it
    /// took the step). None: the keyboard steps through the packet's walk.
    pub stepper: StoredValue<Option<Callback<i32, bool>>>,
}

impl Store {
    pub fn new(document: Document) -> Self {
        let draft = RwSignal::new(Draft::first_of(&document));
        let (doc, set_doc) = signal(document);
        let checked = Memo::new(move |_| Shared(Arc::new(doc.with(check))));
        let graded = Memo::new(move |_| Shared(Arc::new(checked.with(|c| grade(c)))));
        let asked = Memo::new(move |_| {
            let d = draft.get();
            let (Some(from), Some(to)) = (d.from, d.to) else { return None };
            Some(checked.with(|c| Query::from_doc(&c.model, &from, &to, d.protocol, d.port)))
        });
        let query = Memo::new(move |_| asked.get().and_then(Result::ok));
        let unasked = Memo::new(move |_| asked.get().and_then(Result::err));
        let trace = Memo::new(move |_| {
            let q = query.get()?;
            Some(Shared(Arc::new(checked.with(|c| evaluate(&c.model, &q)))))
        });
        let walk = Memo::new(move |_| {
            let t = trace.get()?;
            Some(Shared(Arc::new(checked.with(|c| spacetrace_engine::walk::walk(&c.model, &t)))))
        });
        Self {
            doc,
            set_doc,
            history: RwSignal::new(History::default()),
            selection: RwSignal::new(Vec::new()),
            viewport: RwSignal::new(None),
            draft,
            picking: RwSignal::new(None),
            theme: RwSignal::new(Theme::System),
            palette_open: RwSignal::new(true),
            large_text: RwSignal::new(false),
            matrix_open: RwSignal::new(false),
            baseline: RwSignal::new(None),
            notice: RwSignal::new(None),
            checked,
            graded,
            query,
            unasked,
            trace,
            walk,
            walk_at: RwSignal::new(None),
            walk_playing: RwSignal::new(false),
            presenting: RwSignal::new(false),
            stepper: StoredValue::new(None),
        }
    }

    /// Apply an edit to the document as one undoable step. A refused edit changes nothing and
    /// shows the refusal.
    pub fn apply(&self, edit: Edit) -> bool {
        let current = self.doc.get_untracked();
        match apply_edit(&current, &edit) {
            Ok(next) if next == current => true,
            Ok(next) => {
                self.history.update(|h| {
                    h.past.push(current);
                    if h.past.len() > HISTORY {
                        h.past.remove(0);
                    }
                    h.future.clear();
                });
                self.set_doc.set(next);
                self.prune_selection();
                self.notice.set(None);
                true
            }
            Err(refusal) => {
                self.notice.set(Some(Notice::Refused(refusal)));
                false
            }
        }
    }

    /// Open another scenario of the library in place of this one. This is not an edit of either
    /// document: the document signal takes `doc`, undo continues with `history` (the other
    /// scenario's own, or a fresh one), the question becomes `draft` (the one last asked of that
    /// scenario, or its first saved question), and the rest of the session (selection, view)
    /// starts over. Returns this scenario's history, to be given back when switching to it again.
    pub fn switch(&self, doc: Document, history: History, draft: Draft) -> History {
        let parked = self.history.get_untracked();
        self.draft.set(draft);
        self.history.set(history);
        self.set_doc.set(doc);
        self.selection.set(Vec::new());
        self.viewport.set(None);
        self.picking.set(None);
        self.notice.set(None);
        parked
    }

    pub fn undo(&self) {
        let mut h = self.history.get_untracked();
        if let Some(prev) = h.past.pop() {
            h.future.push(self.doc.get_untracked());
            self.history.set(h);
            self.set_doc.set(prev);
            self.prune_selection();
        }
    }

    pub fn redo(&self) {
        let mut h = self.history.get_untracked();
        if let Some(next) = h.future.pop() {
            h.past.push(self.doc.get_untracked());
            self.history.set(h);
            self.set_doc.set(next);
            self.prune_selection();
        }
    }

    /// The packet's index in the walk of the answer shown, if the walk has started on it.
    pub fn walk_index(&self) -> Option<usize> {
        let now = self.trace.get()?;
        self.walk_at.with(|w| w.as_ref().filter(|(t, _)| *t == now).map(|(_, i)| *i))
    }

    /// [`Store::walk_index`] without tracking (for event handlers and timers).
    pub fn walk_index_untracked(&self) -> Option<usize> {
        untrack(|| self.walk_index())
    }

    /// Read the packet the walk is at without tracking.
    pub fn with_walk_packet_untracked<R>(&self, f: impl FnOnce(&Packet) -> R) -> Option<R> {
        let i = self.walk_index_untracked()?;
        self.walk.with_untracked(|w| w.as_ref().and_then(|w| w.get(i)).map(f))
    }

    /// The packet the walk is at, if any.
    pub fn walk_packet(&self) -> Option<Packet> {
        let i = self.walk_index()?;
        self.walk.with(|w| w.as_ref().and_then(|w| w.get(i).cloned()))
    }

    pub fn can_undo(&self) -> bool {
        self.history.with(|h| !h.past.is_empty())
    }

    pub fn can_redo(&self) -> bool {
        self.history.with(|h| !h.future.is_empty())
    }

    /// Drop selected IDs that no longer exist.
    fn prune_selection(&self) {
        let ids = self.doc.with_untracked(crate::edit::all_ids);
        let sel = self.selection.get_untracked();
        if sel.iter().any(|s| !ids.contains(s)) {
            self.selection.set(sel.into_iter().filter(|s| ids.contains(s)).collect());
        }
    }

    pub fn select_only(&self, id: &str) {
        self.selection.set(vec![id.to_owned()]);
    }

    pub fn toggle_selected(&self, id: &str) {
        self.selection.update(|s| {
            if let Some(i) = s.iter().position(|x| x == id) {
                s.remove(i);
            } else {
                s.push(id.to_owned());
            }
        });
    }
}

/// The store from context.
pub fn use_store() -> Store {
    expect_context::<Store>()
}
