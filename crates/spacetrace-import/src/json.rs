//! Walking a JSON tree without panicking, knowing where we are.
//!
//! An [`At`] is a value and the way to it from the file's root. The path (`SecurityGroups[0]
//! .IpPermissions[1]`) is only written out when a warning needs it, so walking costs no
//! allocation. [`Ctx`] reads typed fields: a field of the wrong type becomes a warning, never a
//! panic, and lists longer than their cap are cut with a warning.

use serde_json::{Map, Value};

use crate::warnings::{Effect, Expected, ImportWarning, Warnings, What};

/// A value inside a file, and how to get there from the root.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub v: &'a Value,
    up: Option<Up<'a>>,
}

#[derive(Clone, Copy)]
struct Up<'a> {
    parent: &'a At<'a>,
    key: Option<&'a str>,
    index: Option<usize>,
}

impl<'a> At<'a> {
    pub fn root(v: &'a Value) -> Self {
        Self { v, up: None }
    }

    fn child(&'a self, key: Option<&'a str>, index: Option<usize>, v: &'a Value) -> At<'a> {
        At { v, up: Some(Up { parent: self, key, index }) }
    }

    /// The field `key`, when present and not `null`.
    pub fn get(&'a self, key: &'a str) -> Option<At<'a>> {
        let v = self.v.get(key).filter(|v| !v.is_null())?;
        Some(self.child(Some(key), None, v))
    }

    /// The `i`-th item of this array (for arrays at the root or reached through [`Ctx::list`]).
    pub fn item(&'a self, i: usize, v: &'a Value) -> At<'a> {
        self.child(None, Some(i), v)
    }

    /// The `i`-th item of the array in field `key` of this object.
    pub fn field_item(&'a self, key: &'a str, i: usize, v: &'a Value) -> At<'a> {
        self.child(Some(key), Some(i), v)
    }

    pub fn obj(&self) -> Option<&'a Map<String, Value>> {
        self.v.as_object()
    }

    /// The path from the root, as `Key[0].Other`; empty at the root.
    pub fn path(&self) -> String {
        let mut segments: Vec<(Option<&str>, Option<usize>)> = Vec::new();
        let mut at = self;
        while let Some(up) = &at.up {
            segments.push((up.key, up.index));
            at = up.parent;
        }
        let mut out = String::new();
        for (key, index) in segments.into_iter().rev() {
            if let Some(k) = key {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            if let Some(i) = index {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
        out
    }

    /// The path of field `key` of this object (present or not).
    pub fn path_to(&self, key: &str) -> String {
        let base = self.path();
        if base.is_empty() { key.to_owned() } else { format!("{base}.{key}") }
    }
}

/// The kind of a JSON value, for messages.
pub(crate) fn kind_of(v: &Value) -> Expected {
    match v {
        Value::Null => Expected::Null,
        Value::Bool(_) => Expected::Boolean,
        Value::Number(_) => Expected::Number,
        Value::String(_) => Expected::Text,
        Value::Array(_) => Expected::List,
        Value::Object(_) => Expected::Object,
    }
}

/// Reading one file: its name and the warnings so far.
pub(crate) struct Ctx<'w> {
    pub file: &'w str,
    pub warnings: &'w mut Warnings,
}

impl Ctx<'_> {
    pub fn warn(&mut self, path: String, what: What) {
        self.warnings.push(ImportWarning { file: self.file.to_owned(), path, what });
    }

    pub fn warn_at(&mut self, at: &At<'_>, what: What) {
        let path = at.path();
        self.warn(path, what);
    }

    fn wrong_type(&mut self, at: &At<'_>, key: &str, expected: Expected, effect: Effect) {
        let found = at.v.get(key).map_or(Expected::Null, kind_of);
        self.warn(at.path_to(key), What::WrongType { expected, found, effect });
    }

    /// Text field `key`: `None` when absent or null; a warning when of another type. Numbers are
    /// read as their text (some outputs write IDs or ASNs as numbers).
    pub fn str<'v>(&mut self, at: &At<'v>, key: &str) -> Option<&'v str> {
        match at.v.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.as_str()),
            _ => {
                self.wrong_type(at, key, Expected::Text, Effect::FieldIgnored);
                None
            }
        }
    }

    /// Text field `key`, owned, trimmed; `None` when absent, blank or of another type.
    pub fn string(&mut self, at: &At<'_>, key: &str) -> Option<String> {
        self.str(at, key).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
    }

    /// Text field `key` that the object cannot do without: a warning that the object is left
    /// out when it is missing, blank or of another type.
    pub fn required(&mut self, at: &At<'_>, key: &str) -> Option<String> {
        match at.v.get(key) {
            None | Some(Value::Null) => {
                self.warn(at.path_to(key), What::MissingField { field: key.to_owned() });
                None
            }
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Value::String(_)) => {
                self.warn(at.path_to(key), What::MissingField { field: key.to_owned() });
                None
            }
            Some(_) => {
                self.wrong_type(at, key, Expected::Text, Effect::ObjectLeftOut);
                None
            }
        }
    }

    pub fn bool(&mut self, at: &At<'_>, key: &str) -> Option<bool> {
        match at.v.get(key)? {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(at, key, Expected::Boolean, Effect::FieldIgnored);
                None
            }
        }
    }

    /// An integer field (a number, or text holding one); `None` when absent.
    pub fn int(&mut self, at: &At<'_>, key: &str) -> Option<i64> {
        match at.v.get(key)? {
            Value::Null => None,
            Value::Number(n) => match n.as_i64() {
                Some(i) => Some(i),
                None => {
                    self.wrong_type(at, key, Expected::Integer, Effect::FieldIgnored);
                    None
                }
            },
            Value::String(s) => match s.trim().parse::<i64>() {
                Ok(i) => Some(i),
                Err(_) => {
                    self.wrong_type(at, key, Expected::Integer, Effect::FieldIgnored);
                    None
                }
            },
            _ => {
                self.wrong_type(at, key, Expected::Integer, Effect::FieldIgnored);
                None
            }
        }
    }

    /// The object in field `key`; `None` (with a warning when of another type) otherwise.
    pub fn object<'v>(&mut self, at: &'v At<'v>, key: &'v str) -> Option<At<'v>> {
        let child = at.get(key)?;
        if child.v.is_object() {
            Some(child)
        } else {
            self.wrong_type(at, key, Expected::Object, Effect::FieldIgnored);
            None
        }
    }

    /// The items of the list in field `key`, at most `cap` of them (a warning says how many were
    /// cut). Absent or null: no items; another type: a warning and no items.
    pub fn list<'v>(&mut self, at: &'v At<'v>, key: &'v str, cap: usize) -> Vec<At<'v>> {
        match at.v.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > cap {
                    self.warn(at.path_to(key), What::Capped { kept: cap, total: items.len() });
                }
                items.iter().take(cap).enumerate().map(|(i, v)| at.field_item(key, i, v)).collect()
            }
            Some(_) => {
                self.wrong_type(at, key, Expected::List, Effect::FieldIgnored);
                Vec::new()
            }
        }
    }

    /// The items of a root array, at most `cap`.
    pub fn items<'v>(&mut self, at: &'v At<'v>, cap: usize) -> Vec<At<'v>> {
        let Some(items) = at.v.as_array() else { return Vec::new() };
        if items.len() > cap {
            self.warn(at.path(), What::Capped { kept: cap, total: items.len() });
        }
        items.iter().take(cap).enumerate().map(|(i, v)| at.item(i, v)).collect()
    }

    /// The text items of the list in field `key` (trimmed, blanks skipped); other items are
    /// warned about and skipped.
    pub fn strings(&mut self, at: &At<'_>, key: &str, cap: usize) -> Vec<String> {
        let items = match at.v.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.wrong_type(at, key, Expected::List, Effect::FieldIgnored);
                return Vec::new();
            }
        };
        if items.len() > cap {
            self.warn(at.path_to(key), What::Capped { kept: cap, total: items.len() });
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().take(cap).enumerate() {
            match item.as_str() {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                Some(_) => {}
                None => {
                    let path = format!("{}[{i}]", at.path_to(key));
                    self.warn(
                        path,
                        What::WrongType {
                            expected: Expected::Text,
                            found: kind_of(item),
                            effect: Effect::FieldIgnored,
                        },
                    );
                }
            }
        }
        out
    }

    /// Whether this item is an object; a warning (the item is left out) when it is not.
    pub fn is_object(&mut self, at: &At<'_>) -> bool {
        if at.v.is_object() {
            true
        } else {
            self.warn_at(
                at,
                What::WrongType { expected: Expected::Object, found: kind_of(at.v), effect: Effect::ObjectLeftOut },
            );
            false
        }
    }

    /// Warn about every field of this object that is not in `known`.
    pub fn unknown_fields(&mut self, at: &At<'_>, known: &[&str]) {
        let Some(map) = at.obj() else { return };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                self.warn(at.path_to(key), What::UnknownField { name: key.clone() });
            }
        }
    }
}

/// The value of the `Name` tag in an AWS `Tags` (or `TagSet`) list, if any.
pub(crate) fn name_tag(at: &At<'_>) -> Option<String> {
    let tags = at.v.get("Tags").or_else(|| at.v.get("TagSet"))?.as_array()?;
    tags.iter()
        .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
        .and_then(|t| t.get("Value"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_out_only_when_asked() {
        let v: Value = serde_json::json!({ "SecurityGroups": [{ "IpPermissions": [{}, { "FromPort": "x" }] }] });
        let root = At::root(&v);
        let mut warnings = Warnings::default();
        let mut ctx = Ctx { file: "sg.json", warnings: &mut warnings };
        let groups = ctx.list(&root, "SecurityGroups", 10);
        let perms = ctx.list(&groups[0], "IpPermissions", 10);
        assert_eq!(perms[1].path(), "SecurityGroups[0].IpPermissions[1]");
        assert_eq!(ctx.int(&perms[1], "FromPort"), None);
        let w = warnings.into_vec();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "SecurityGroups[0].IpPermissions[1].FromPort");
    }

    #[test]
    fn root_arrays_and_caps() {
        let v: Value = serde_json::json!([1, 2, 3]);
        let root = At::root(&v);
        let mut warnings = Warnings::default();
        let mut ctx = Ctx { file: "a.json", warnings: &mut warnings };
        let items = ctx.items(&root, 2);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].path(), "[1]");
        assert!(matches!(warnings.into_vec()[0].what, What::Capped { kept: 2, total: 3 }));
    }
}
