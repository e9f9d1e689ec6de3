//! Reading a document's text tolerantly: one malformed object, question, rule or entry is left out
//! with an error diagnostic naming it and the field, and everything else is read.
//!
//! The text is parsed into a JSON tree, and a document that reads as a whole (the usual case) is
//! read from it once. Otherwise each list of the format is read element by element, innermost
//! lists first: an element that does not have the shape the format gives it is taken out of the tree
//! (with a diagnostic), then the cleaned tree is read. Each element is read once per list that
//! holds it (at most four deep), so the work stays proportional to the text. Text that is not
//! JSON, not a JSON object, or whose `version` is not a number still fails as a whole.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, DiagnosticKind as K, LeftOut, ObjectKind};
use crate::doc::*;

/// Read a document from JSON text; `Err` is the one diagnostic that says why the text is not a
/// document at all.
///
/// The text is parsed into a JSON tree first, and the document is read from the tree, also when it
/// reads as a whole: one reading path (the tree, through `serde_path_to_error`) means the format's
/// readers are compiled once, not once for text and once for the tree, which keeps the app's
/// WebAssembly smaller (ARCHITECTURE.md, "Bundle size").
pub(crate) fn read(text: &str) -> Result<Document, Diagnostic> {
    let mut value = serde_json::from_str::<Value>(text).map_err(|e| not_json(&e))?;
    let Value::Object(map) = &mut value else {
        return Err(not_a_document(text, None, whole(&value)));
    };
    if let Some(version) = map.get("version")
        && let Err(e) = serde_json::from_value::<Option<u32>>(version.clone())
    {
        return Err(not_a_document(text, Some("version"), e.to_string()));
    }
    if let Ok(doc) = serde_path_to_error::deserialize::<_, Document>(&value) {
        return Ok(doc);
    }
    let Value::Object(map) = &mut value else { unreachable!("checked above") };
    let mut out = Vec::new();
    let top = Place { kind: ObjectKind::Document, object: String::new(), prefix: String::new() };
    list::<InternetClient>(map, "internet_clients", &top, &mut out);
    list::<ExternalService>(map, "external_services", &top, &mut out);
    list::<App>(map, "common_runtime_apps", &top, &mut out);
    list::<Space>(map, "spaces", &top, &mut out);
    list::<Vpc>(map, "vpcs", &top, &mut out);
    list::<PrefixList>(map, "prefix_lists", &top, &mut out);
    list::<Peering>(map, "peerings", &top, &mut out);
    list::<VpcPeering>(map, "vpc_peerings", &top, &mut out);
    list::<RemoteNetwork>(map, "remote_networks", &top, &mut out);
    list::<Vpn>(map, "vpns", &top, &mut out);
    list::<Question>(map, "questions", &top, &mut out);
    list::<DiagnosticExpectation>(map, "expect_diagnostics", &top, &mut out);
    // What is left is a top-level field of the wrong type (a name that is a number, a list that
    // is not a list): the field takes its default. Each pass removes one field.
    loop {
        let e = match serde_path_to_error::deserialize::<_, Document>(&value) {
            Ok(mut doc) => {
                doc.left_out = out;
                return Ok(doc);
            }
            Err(e) => e,
        };
        let Value::Object(map) = &mut value else { unreachable!("checked above") };
        // The first segment of the path is the top-level field (not the version, checked above);
        // removing it always shrinks the object, so the loop ends.
        match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) if map.remove(key).is_some() => {
                out.push(unreadable(LeftOut::Field, e.inner()).at(ObjectKind::Document, "", e.path().to_string()));
            }
            _ => return Err(not_a_document(text, None, e.inner().to_string())),
        }
    }
}

/// Text that is not JSON: serde_json's message, without its own position (the diagnostic has it).
fn not_json(e: &serde_json::Error) -> Diagnostic {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    Diagnostic::error(K::NotJson { message, line: e.line(), column: e.column() })
}

/// JSON that is not a document as a whole (not an object, or a version that is not a number),
/// placed at the value that says so: the top-level value, or the top-level field `key`.
fn not_a_document(text: &str, key: Option<&str>, message: String) -> Diagnostic {
    let at = position(text, key);
    let (line, column) = line_column(text, at);
    Diagnostic::error(K::NotJson { message, line, column })
}

/// Why a whole value is not a document: the tree's own message for a value of the wrong type.
fn whole(value: &Value) -> String {
    match serde_path_to_error::deserialize::<_, Document>(value) {
        Ok(_) => String::new(),
        Err(e) => e.into_inner().to_string(),
    }
}

/// The byte offset of the top-level value of `text` (well-formed JSON), or with `key` of the
/// value of its last top-level field of that name (the one the tree keeps).
fn position(text: &str, key: Option<&str>) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    let Some(key) = key else { return i };
    let mut found = i;
    let mut depth = 0usize;
    // Scan the object once: at depth 1, a string followed by a colon is a field's name.
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                let from = i;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let name = text.get(from..i.min(text.len()));
                i += 1;
                if depth == 1 {
                    let mut j = i;
                    skip_space(&mut j);
                    // A name spelled with escapes is not recognised; the top-level value is then
                    // the place given.
                    if bytes.get(j) == Some(&b':') && name == Some(key) {
                        j += 1;
                        skip_space(&mut j);
                        found = j;
                    }
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    found
}

/// The 1-based line and column of a byte offset, as serde_json counts them.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
    (line, column)
}

fn unreadable(left_out: LeftOut, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(K::Unreadable { left_out, message: e.to_string() })
}

/// Where the diagnostics about an element go: the object (by kind and ID or position) and the
/// prefix of the fields inside it (`routes[2].` for a route of a route table).
struct Place {
    kind: ObjectKind,
    object: String,
    prefix: String,
}

/// An element of a list of the format.
trait Element: DeserializeOwned {
    /// The kind of object, for elements that are objects with an ID of their own (diagnostics
    /// name them); `None` for entries of their holder (a route, a rule, a port, a CIDR block).
    const KIND: Option<ObjectKind> = None;

    /// Take the unreadable elements out of the lists inside one element.
    fn clean(_map: &mut Map<String, Value>, _at: &Place, _out: &mut Vec<Diagnostic>) {}
}

/// Take the elements of `map[key]` that do not read as `T` out of it, each with a diagnostic.
fn list<T: Element>(map: &mut Map<String, Value>, key: &str, at: &Place, out: &mut Vec<Diagnostic>) {
    let Some(Value::Array(items)) = map.get_mut(key) else { return };
    let items = std::mem::take(items);
    let mut keep = Vec::with_capacity(items.len());
    for (i, mut item) in items.into_iter().enumerate() {
        let place = match T::KIND {
            Some(kind) => {
                let id = item.get("id").and_then(Value::as_str).filter(|id| !id.trim().is_empty());
                Place { kind, object: id.map_or_else(|| format!("#{}", i + 1), str::to_owned), prefix: String::new() }
            }
            None => Place { kind: at.kind, object: at.object.clone(), prefix: format!("{}{key}[{i}].", at.prefix) },
        };
        if let Value::Object(inner) = &mut item {
            T::clean(inner, &place, out);
        }
        match serde_path_to_error::deserialize::<_, T>(&item) {
            Ok(_) => keep.push(item),
            Err(e) => {
                let inside = e.path().to_string();
                let field = match (place.prefix.strip_suffix('.'), inside.as_str()) {
                    (Some(prefix), ".") => prefix.to_owned(),
                    (None, ".") => String::new(),
                    (_, inside) => format!("{}{inside}", place.prefix),
                };
                let left_out = if T::KIND.is_some() { LeftOut::Object } else { LeftOut::Entry };
                out.push(unreadable(left_out, e.inner()).at(place.kind, &place.object, &field));
            }
        }
    }
    if let Some(Value::Array(items)) = map.get_mut(key) {
        *items = keep;
    }
}

/// Clean the lists of the object `map[key]` (a remote network's firewall, a question's
/// expectation), whose own fields its holder reads.
fn object<T: Element>(map: &mut Map<String, Value>, key: &str, at: &Place, out: &mut Vec<Diagnostic>) {
    if let Some(Value::Object(inner)) = map.get_mut(key) {
        let place = Place { kind: at.kind, object: at.object.clone(), prefix: format!("{}{key}.", at.prefix) };
        T::clean(inner, &place, out);
    }
}

impl Element for String {}
impl Element for Listen {}
impl Element for Route {}
impl Element for SgRule {}
impl Element for AclRule {}
impl Element for FirewallRule {}

impl Element for InternetClient {
    const KIND: Option<ObjectKind> = Some(ObjectKind::InternetClient);
}

impl Element for ExternalService {
    const KIND: Option<ObjectKind> = Some(ObjectKind::ExternalService);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<Listen>(map, "ports", at, out);
        list::<String>(map, "allowlist", at, out);
    }
}

impl Element for App {
    const KIND: Option<ObjectKind> = Some(ObjectKind::App);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<ProcessType>(map, "process_types", at, out);
    }
}

impl Element for ProcessType {
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<Listen>(map, "ports", at, out);
    }
}

impl Element for Space {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Space);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        for key in ["dyno_subnets", "unavailable_cidrs", "trusted_ip_ranges", "outbound_ips"] {
            list::<String>(map, key, at, out);
        }
        list::<App>(map, "apps", at, out);
        list::<Addon>(map, "addons", at, out);
    }
}

impl Element for Addon {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Addon);
}

impl Element for Vpc {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Vpc);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "secondary_cidrs", at, out);
        list::<RouteTable>(map, "route_tables", at, out);
        list::<SecurityGroup>(map, "security_groups", at, out);
        list::<NetworkAcl>(map, "network_acls", at, out);
        list::<Subnet>(map, "subnets", at, out);
        list::<Host>(map, "hosts", at, out);
    }
}

impl Element for RouteTable {
    const KIND: Option<ObjectKind> = Some(ObjectKind::RouteTable);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<Route>(map, "routes", at, out);
    }
}

impl Element for SecurityGroup {
    const KIND: Option<ObjectKind> = Some(ObjectKind::SecurityGroup);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<SgRule>(map, "inbound", at, out);
        list::<SgRule>(map, "outbound", at, out);
    }
}

impl Element for NetworkAcl {
    const KIND: Option<ObjectKind> = Some(ObjectKind::NetworkAcl);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<AclRule>(map, "inbound", at, out);
        list::<AclRule>(map, "outbound", at, out);
    }
}

impl Element for Subnet {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Subnet);
}

impl Element for Host {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Host);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "security_groups", at, out);
        list::<Listen>(map, "ports", at, out);
    }
}

impl Element for PrefixList {
    const KIND: Option<ObjectKind> = Some(ObjectKind::PrefixList);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "entries", at, out);
    }
}

impl Element for Peering {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Peering);
}

impl Element for VpcPeering {
    const KIND: Option<ObjectKind> = Some(ObjectKind::VpcPeering);
}

impl Element for RemoteNetwork {
    const KIND: Option<ObjectKind> = Some(ObjectKind::RemoteNetwork);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "cidrs", at, out);
        list::<RemoteHost>(map, "hosts", at, out);
        object::<Firewall>(map, "firewall", at, out);
    }
}

impl Element for Firewall {
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<FirewallRule>(map, "inbound", at, out);
    }
}

impl Element for RemoteHost {
    const KIND: Option<ObjectKind> = Some(ObjectKind::RemoteHost);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<Listen>(map, "ports", at, out);
    }
}

impl Element for Vpn {
    const KIND: Option<ObjectKind> = Some(ObjectKind::VpnConnection);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "routable_cidrs", at, out);
    }
}

impl Element for Question {
    const KIND: Option<ObjectKind> = Some(ObjectKind::Question);
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        object::<Expectation>(map, "expect", at, out);
    }
}

impl Element for Expectation {
    fn clean(map: &mut Map<String, Value>, at: &Place, out: &mut Vec<Diagnostic>) {
        list::<String>(map, "rules", at, out);
    }
}

impl Element for DiagnosticExpectation {
    const KIND: Option<ObjectKind> = Some(ObjectKind::ConfigurationExpectation);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::check::{check, parse_document};
    use crate::diagnostics::{DiagnosticKind, LeftOut, ObjectKind};
    use crate::render;

    const DEFAULT: &str = include_str!("../../../scenarios/default.json");

    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(DEFAULT).unwrap();
        edit(&mut v);
        v.to_string()
    }

    /// A left-out part: where (kind, object, field) and what.
    type Part = (ObjectKind, String, String, LeftOut);

    /// Every left-out part, and the rendered sentences.
    fn left_out(text: &str) -> (Vec<Part>, Vec<String>) {
        let doc = parse_document(text).unwrap();
        let parts = doc
            .left_out
            .iter()
            .map(|d| {
                let l = d.location.clone().unwrap();
                let DiagnosticKind::Unreadable { left_out, .. } = d.kind else { panic!("{d:?}") };
                (l.kind, l.object, l.field, left_out)
            })
            .collect();
        (parts, doc.left_out.iter().map(render::diagnostic_with_location).collect())
    }

    #[test]
    fn a_valid_document_leaves_nothing_out() {
        assert!(parse_document(DEFAULT).unwrap().left_out.is_empty());
    }

    #[test]
    fn one_bad_question_leaves_the_others_and_every_object() {
        let whole = parse_document(DEFAULT).unwrap();
        for bad in [json!("abc"), json!(-1), json!(70000), json!(null)] {
            let text = edited(|v| v["questions"][1]["port"] = bad.clone());
            let doc = parse_document(&text).unwrap();
            let (parts, words) = left_out(&text);
            if bad.is_null() {
                // `null` is an absent port: no port was given, said by the checker.
                assert!(parts.is_empty());
                let checked = check(&doc);
                let d = checked.diagnostics.iter().find(|d| d.kind == DiagnosticKind::NoPort).unwrap();
                assert_eq!(
                    render::diagnostic_with_location(d),
                    "question \u{201c}q-office-api\u{201d}, port: No port was given: give a port from 1 to 65535."
                );
                continue;
            }
            assert_eq!(parts, [(ObjectKind::Question, "q-office-api".into(), "port".into(), LeftOut::Object)]);
            assert!(
                words[0].starts_with("question \u{201c}q-office-api\u{201d}, port: This cannot be read ("),
                "{words:?}"
            );
            assert!(words[0].ends_with("; the question is left out."), "{words:?}");
            assert_eq!(doc.questions.len(), whole.questions.len() - 1);
            assert_eq!(doc.spaces, whole.spaces);
            assert_eq!(doc.vpcs, whole.vpcs);
        }
        // A question that is not an object, or whose protocol is a number, is named by its
        // position or ID.
        let text = edited(|v| {
            v["questions"].as_array_mut().unwrap().push(json!("oops"));
            v["questions"][0]["protocol"] = json!(5);
        });
        let (parts, words) = left_out(&text);
        assert_eq!(parts[0], (ObjectKind::Question, "q-warehouse".into(), "protocol".into(), LeftOut::Object));
        assert_eq!(parts[1], (ObjectKind::Question, "#8".into(), String::new(), LeftOut::Object));
        assert!(words[1].contains("expected a question (an object)"), "{words:?}");
        assert_eq!(parse_document(&text).unwrap().questions.len(), whole.questions.len() - 1);
    }

    #[test]
    fn a_bad_object_or_entry_is_left_out_alone() {
        let whole = parse_document(DEFAULT).unwrap();
        let text = edited(|v| {
            v["spaces"][0]["apps"][1]["process_types"] = json!(7);
            v["vpcs"][0]["route_tables"][0]["routes"].as_array_mut().unwrap().push(json!({"destination": 5}));
            v["vpcs"][0]["hosts"][0]["ports"][0]["protocol"] = json!("icmp");
            v["spaces"][0]["outbound_ips"].as_array_mut().unwrap().push(json!(false));
        });
        let doc = parse_document(&text).unwrap();
        let (parts, words) = left_out(&text);
        assert_eq!(
            parts,
            [
                (ObjectKind::Space, "acme-prod".into(), "outbound_ips[2]".into(), LeftOut::Entry),
                (ObjectKind::App, "billing".into(), "process_types".into(), LeftOut::Object),
                (ObjectKind::RouteTable, "rtb-0a1b".into(), "routes[1].destination".into(), LeftOut::Entry),
                (ObjectKind::Host, "warehouse".into(), "ports[0].protocol".into(), LeftOut::Entry),
            ],
            "{words:#?}"
        );
        assert!(words[3].contains("unknown variant `icmp`, expected `tcp` or `udp`"), "{words:?}");
        assert!(words[3].ends_with("that entry is left out."), "{words:?}");
        // Everything else is read as it was.
        assert_eq!(doc.spaces[0].apps.len(), whole.spaces[0].apps.len() - 1);
        assert_eq!(doc.spaces[0].addons, whole.spaces[0].addons);
        assert_eq!(doc.spaces[0].outbound_ips, whole.spaces[0].outbound_ips);
        assert_eq!(doc.vpcs[0].route_tables, whole.vpcs[0].route_tables);
        assert_eq!(doc.vpcs[0].hosts[0].ports.len(), whole.vpcs[0].hosts[0].ports.len() - 1);
        assert_eq!(doc.questions, whole.questions);
        // The checker reports what was left out, and answers the rest.
        let checked = check(&doc);
        assert_eq!(checked.errors().filter(|d| matches!(d.kind, DiagnosticKind::Unreadable { .. })).count(), 4);
    }

    #[test]
    fn a_top_level_field_of_the_wrong_type_takes_its_default() {
        let text = edited(|v| {
            v["name"] = json!(5);
            v["peerings"] = json!("none");
        });
        let doc = parse_document(&text).unwrap();
        let (parts, _) = left_out(&text);
        assert_eq!(
            parts,
            [
                (ObjectKind::Document, String::new(), "name".into(), LeftOut::Field),
                (ObjectKind::Document, String::new(), "peerings".into(), LeftOut::Field),
            ]
        );
        assert!(doc.name.is_empty() && doc.peerings.is_empty());
        assert_eq!(doc.spaces, parse_document(DEFAULT).unwrap().spaces);
    }

    #[test]
    fn keywords_are_read_in_any_case() {
        let text = edited(|v| {
            v["questions"][0]["protocol"] = json!("TCP");
            v["questions"][1]["protocol"] = json!("Udp");
            v["spaces"][0]["generation"] = json!("CEDAR");
            v["peerings"][0]["status"] = json!("Active");
        });
        let doc = parse_document(&text).unwrap();
        assert!(doc.left_out.is_empty(), "{:?}", doc.left_out);
        assert_eq!(doc.questions[0].protocol, crate::doc::Protocol::Tcp);
        assert_eq!(doc.questions[1].protocol, crate::doc::Protocol::Udp);
        // Written back in lower case.
        assert!(serde_json::to_string(&doc).unwrap().contains("\"protocol\":\"udp\""));
    }

    #[test]
    fn what_is_not_a_document_is_placed_at_the_value_that_says_so() {
        let at = |text: &str| match parse_document(text).unwrap_err().kind {
            DiagnosticKind::NotJson { message, line, column } => (message, line, column),
            other => panic!("{other:?}"),
        };
        assert_eq!(at("  [1, 2]"), ("invalid type: sequence, expected struct Document".into(), 1, 3));
        // The top-level version, not a version inside an object, and on its own line.
        let (message, line, column) = at("{\"a\": {\"version\": 1},\n  \"version\": \"x\"}");
        assert_eq!((message.as_str(), line, column), ("invalid type: string \"x\", expected u32", 2, 14));
        // A brace inside a name does not confuse the scan.
        let (message, line, column) = at("{\"{[\": 1, \"version\": -1}");
        assert_eq!((message.as_str(), line, column), ("invalid value: integer `-1`, expected u32", 1, 22));
    }

    #[test]
    fn what_is_not_a_document_still_fails_whole() {
        for text in ["[1, 2]", "\"scenario\"", "{\"version\": \"2\"}", "{\"version\": -1}", "{ \"version\": 2, "] {
            let e = parse_document(text).unwrap_err();
            assert!(matches!(e.kind, DiagnosticKind::NotJson { .. }), "{text}: {e:?}");
        }
    }
}
