//! Reading a document's text tolerantly: one malformed object, question, rule or entry is left out
//! with an error diagnostic naming it and the field, and everything else is read.
//!
//! A document that reads as a whole (the usual case) is read once, directly. Otherwise the text is
//! read as a JSON tree, and each list of the format is read element by element, innermost lists
//! first: an element that does not have the shape the format gives it is taken out of the tree
//! (with a diagnostic), then the cleaned tree is read. Each element is read once per list that
//! holds it (at most four deep), so the work stays proportional to the text. Text that is not
//! JSON, not a JSON object, or whose `version` is not a number still fails as a whole.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, DiagnosticKind as K, LeftOut, ObjectKind};
use crate::doc::*;

/// Read a document from JSON text; `Err` is the one diagnostic that says why the text is not a
/// document at all.
pub(crate) fn read(text: &str) -> Result<Document, Diagnostic> {
    let whole = match serde_json::from_str::<Document>(text) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    if whole.classify() != serde_json::error::Category::Data {
        return Err(not_json(&whole));
    }
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(text) else {
        return Err(not_json(&whole));
    };
    if let Some(version) = map.get("version")
        && serde_json::from_value::<Option<u32>>(version.clone()).is_err()
    {
        return Err(not_json(&whole));
    }
    let mut out = Vec::new();
    let top = Place { kind: ObjectKind::Document, object: String::new(), prefix: String::new() };
    list::<InternetClient>(&mut map, "internet_clients", &top, &mut out);
    list::<ExternalService>(&mut map, "external_services", &top, &mut out);
    list::<App>(&mut map, "common_runtime_apps", &top, &mut out);
    list::<Space>(&mut map, "spaces", &top, &mut out);
    list::<Vpc>(&mut map, "vpcs", &top, &mut out);
    list::<PrefixList>(&mut map, "prefix_lists", &top, &mut out);
    list::<Peering>(&mut map, "peerings", &top, &mut out);
    list::<VpcPeering>(&mut map, "vpc_peerings", &top, &mut out);
    list::<RemoteNetwork>(&mut map, "remote_networks", &top, &mut out);
    list::<Vpn>(&mut map, "vpns", &top, &mut out);
    list::<Question>(&mut map, "questions", &top, &mut out);
    list::<DiagnosticExpectation>(&mut map, "expect_diagnostics", &top, &mut out);
    // What is left is a top-level field of the wrong type (a name that is a number, a list that
    // is not a list): the field takes its default. Each pass removes one field.
    let mut value = Value::Object(map);
    for _ in 0..64 {
        let e = match serde_path_to_error::deserialize::<_, Document>(&value) {
            Ok(mut doc) => {
                doc.left_out = out;
                return Ok(doc);
            }
            Err(e) => e,
        };
        let key = match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) if key != "version" => key.clone(),
            _ => break,
        };
        let Value::Object(map) = &mut value else { break };
        if map.remove(&key).is_none() {
            break;
        }
        out.push(unreadable(LeftOut::Field, e.inner()).at(ObjectKind::Document, "", &e.path().to_string()));
    }
    Err(not_json(&whole))
}

fn not_json(e: &serde_json::Error) -> Diagnostic {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    Diagnostic::error(K::NotJson { message, line: e.line(), column: e.column() })
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
