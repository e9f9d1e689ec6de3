//! Checking: document → validated model plus diagnostics. Never panics; whatever cannot be used
//! is left out of the model with a diagnostic that says why, and configuration the platform would
//! refuse is kept but marked, with the rule it breaks.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use crate::capabilities::{self, Feature, PeeringRefusal};
use crate::cidr::{RulePeer, parse_cidr, parse_rule_peer};
use crate::diagnostics::{
    Diagnostic, DiagnosticKind as K, FirFeature, ObjectKind, ReferenceKind, ReferenceProblem, Severity,
};
use crate::doc::{self, BLACKHOLE, CURRENT_VERSION, Document, Extra, FIRST_VERSION, PeeringStatus, TunnelStatus};
use crate::model::*;
use crate::query::{Query, QueryError};
use crate::rules::RuleId as R;

/// The largest document text accepted (bytes).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// The most objects of one kind in a document.
pub const MAX_OBJECTS: usize = 5_000;
/// The longest name.
pub const MAX_NAME: usize = 200;
/// At most this many trusted IP ranges per space (TIP-LIMIT).
pub const MAX_TRUSTED_RANGES: usize = 20;
/// What a space that lists no trusted IP ranges trusts (TIP-DEFAULT).
pub const DEFAULT_TRUSTED_RANGE: &str = "0.0.0.0/0";
/// At most this many VPCs peered to one space (PEER-LIMIT).
pub const MAX_PEERINGS: usize = 5;
/// `$PORT` when the document does not say.
pub const DEFAULT_WEB_PORT: u16 = 5000;
/// The most IDs a diagnostic about a reference to nothing lists as valid (the rest are counted).
pub const MAX_LISTED_REFERENCES: usize = 10;

/// A saved question, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedQuestion {
    pub id: String,
    pub name: String,
    /// The question's ends as the document gives them (by ID), asked or not.
    pub from: doc::From,
    pub to: doc::To,
    /// `None` when the question cannot be asked of this model (see the diagnostics).
    pub query: Option<Query>,
    pub expect: Option<Expectation>,
}

/// A checked expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub verdict: doc::Verdict,
    pub rules: Vec<R>,
}

/// A checked configuration expectation: the document must show a diagnostic citing `rule`, on
/// `object` when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticExpectation {
    /// Its name in diagnostics and grades: `#n`, its position in `expect_diagnostics`.
    pub id: String,
    pub rule: R,
    pub object: Option<String>,
}

/// The result of checking a document.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub model: Model,
    pub questions: Vec<CheckedQuestion>,
    /// The configuration expectations whose rule is known, in document order.
    pub expected_diagnostics: Vec<DiagnosticExpectation>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }
}

/// Parse JSON text into a document. Oversized text, text that is not JSON, not a JSON object, or
/// whose version is not a number gives one diagnostic naming the problem. Otherwise the document is
/// read, less what does not have the shape the format gives it (a question whose port is text, a
/// route whose destination is a number …): that is left out, each with an error diagnostic in
/// [`Document::left_out`] that [`check`] reports.
pub fn parse_document(text: &str) -> Result<Document, Diagnostic> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Diagnostic::error(K::DocumentTooLarge { bytes: text.len(), max: MAX_DOCUMENT_BYTES }));
    }
    crate::read::read(text)
}

/// Parse and check JSON text in one go.
pub fn check_text(text: &str) -> Checked {
    match parse_document(text) {
        Ok(doc) => check(&doc),
        Err(d) => Checked { diagnostics: vec![d], ..Checked::default() },
    }
}

/// Check a document.
pub fn check(doc: &Document) -> Checked {
    let mut c = Checker { version: doc.format_version(), ..Checker::default() };
    match doc.version {
        None => c.push(Diagnostic::warning(K::MissingVersion)),
        Some(v) if (FIRST_VERSION..=CURRENT_VERSION).contains(&v) => {}
        Some(found) => {
            c.push(Diagnostic::error(K::UnsupportedVersion { found, supported: CURRENT_VERSION }));
            return Checked { diagnostics: c.diags, ..Checked::default() };
        }
    }
    c.diags.extend(doc.left_out.iter().cloned());
    // Every list inside an object is capped before any other work (`limits::LIMITS`).
    let capped = crate::limits::cap(doc);
    let doc = match &capped {
        Some((capped, cuts)) => {
            c.diags.extend(cuts.iter().cloned());
            capped
        }
        None => doc,
    };
    c.extras(&doc.extra, ObjectKind::Document, "");
    c.model.name = doc.name.clone();
    let lists = [
        (ObjectKind::InternetClient, doc.internet_clients.len()),
        (ObjectKind::ExternalService, doc.external_services.len()),
        (ObjectKind::App, doc.common_runtime_apps.len()),
        (ObjectKind::Space, doc.spaces.len()),
        (ObjectKind::Vpc, doc.vpcs.len()),
        (ObjectKind::PrefixList, doc.prefix_lists.len()),
        (ObjectKind::Peering, doc.peerings.len()),
        (ObjectKind::VpcPeering, doc.vpc_peerings.len()),
        (ObjectKind::RemoteNetwork, doc.remote_networks.len()),
        (ObjectKind::VpnConnection, doc.vpns.len()),
        (ObjectKind::Question, doc.questions.len()),
        (ObjectKind::ConfigurationExpectation, doc.expect_diagnostics.len()),
    ];
    for (what, count) in lists {
        if count > MAX_OBJECTS {
            c.push(Diagnostic::error(K::TooMany { what, count, max: MAX_OBJECTS }));
        }
    }
    let cap = |n: usize| n.min(MAX_OBJECTS);

    for client in doc.internet_clients.iter().take(cap(doc.internet_clients.len())) {
        c.client(client);
    }
    for service in doc.external_services.iter().take(cap(doc.external_services.len())) {
        c.service(service);
    }
    for space in doc.spaces.iter().take(cap(doc.spaces.len())) {
        c.space(space);
    }
    for app in doc.common_runtime_apps.iter().take(cap(doc.common_runtime_apps.len())) {
        c.app(app, None);
    }
    for list in doc.prefix_lists.iter().take(cap(doc.prefix_lists.len())) {
        c.prefix_list(list);
    }
    for vpc in doc.vpcs.iter().take(cap(doc.vpcs.len())) {
        c.vpc(vpc);
    }
    for p in doc.peerings.iter().take(cap(doc.peerings.len())) {
        c.peering(p);
    }
    for p in doc.vpc_peerings.iter().take(cap(doc.vpc_peerings.len())) {
        c.vpc_peering(p);
    }
    // Security groups of peered VPCs and deleted peerings are known only now.
    c.resolve_group_references();
    c.mark_blackholes();
    for r in doc.remote_networks.iter().take(cap(doc.remote_networks.len())) {
        c.remote(r);
    }
    for v in doc.vpns.iter().take(cap(doc.vpns.len())) {
        c.vpn(v);
    }
    c.assign_addresses();
    let questions =
        doc.questions.iter().take(cap(doc.questions.len())).enumerate().map(|(i, q)| c.question(i, q)).collect();
    let expected_diagnostics = doc
        .expect_diagnostics
        .iter()
        .take(MAX_OBJECTS)
        .enumerate()
        .filter_map(|(i, e)| c.diagnostic_expectation(i, e))
        .collect();
    Checked { model: c.model, questions, expected_diagnostics, diagnostics: c.diags }
}

/// A security group rule naming a security group, resolved once every VPC and VPC peering is known.
struct PendingReference {
    vpc: VpcIx,
    group: usize,
    outbound: bool,
    /// The rule's index in its list.
    rule: usize,
    reference: String,
    /// The ID of the group holding the rule, and the field, for the diagnostic.
    holder: String,
    field: String,
}

#[derive(Default)]
struct Checker {
    /// The format version the document is read as.
    version: u32,
    model: Model,
    diags: Vec<Diagnostic>,
    /// Every ID seen, with the kind of object it names.
    ids: BTreeMap<String, ObjectKind>,
    /// Objects nested in VPCs, by ID: (vpc, index in its list).
    route_tables: BTreeMap<String, (VpcIx, usize)>,
    security_groups: BTreeMap<String, (VpcIx, usize)>,
    network_acls: BTreeMap<String, (VpcIx, usize)>,
    subnets: BTreeMap<String, (VpcIx, usize)>,
    prefix_lists: BTreeMap<String, usize>,
    pending_references: Vec<PendingReference>,
    spaces: BTreeMap<String, SpaceIx>,
    vpcs: BTreeMap<String, VpcIx>,
    remotes: BTreeMap<String, RemoteIx>,
}

impl Checker {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn extras(&mut self, extra: &Extra, kind: ObjectKind, id: &str) {
        for name in extra.keys() {
            self.push(Diagnostic::warning(K::UnknownField { name: name.clone() }).at(kind, id, name));
        }
    }

    /// Register an object's ID; false (with a diagnostic) when it is missing or taken.
    fn claim(&mut self, kind: ObjectKind, id: &str, position: usize) -> bool {
        if id.trim().is_empty() {
            self.push(Diagnostic::error(K::MissingId).at(kind, &format!("#{}", position + 1), "id"));
            return false;
        }
        match self.ids.entry(id.to_owned()) {
            Entry::Occupied(_) => {
                self.push(Diagnostic::error(K::DuplicateId { id: id.to_owned() }).at(kind, id, "id"));
                false
            }
            Entry::Vacant(v) => {
                v.insert(kind);
                true
            }
        }
    }

    fn name(&mut self, kind: ObjectKind, id: &str, name: &str) -> String {
        let length = name.chars().count();
        if length > MAX_NAME {
            self.push(Diagnostic::warning(K::BadName { length, max: MAX_NAME }).at(kind, id, "name"));
            return name.chars().take(MAX_NAME).collect();
        }
        if name.trim().is_empty() { id.to_owned() } else { name.to_owned() }
    }

    fn cidr(&mut self, kind: ObjectKind, id: &str, field: impl fmt::Display + Copy, text: &str) -> Option<IpNet> {
        match parse_cidr(text) {
            Ok((net, warnings)) => {
                for w in warnings {
                    self.push(w.at(kind, id, field));
                }
                Some(net)
            }
            Err(d) => {
                self.push(d.at(kind, id, field));
                None
            }
        }
    }

    fn cidr4(&mut self, kind: ObjectKind, id: &str, field: impl fmt::Display + Copy, text: &str) -> Option<Ipv4Net> {
        match self.cidr(kind, id, field, text)? {
            IpNet::V4(n) => Some(n),
            IpNet::V6(_) => {
                self.push(Diagnostic::error(K::NotIpv4 { input: text.to_owned() }).at(kind, id, field));
                None
            }
        }
    }

    fn cidrs(&mut self, kind: ObjectKind, id: &str, field: impl fmt::Display + Copy, texts: &[String]) -> Vec<IpNet> {
        texts.iter().enumerate().filter_map(|(i, t)| self.cidr(kind, id, format_args!("{field}[{i}]"), t)).collect()
    }

    fn address(&mut self, kind: ObjectKind, id: &str, field: impl fmt::Display + Copy, text: &str) -> Option<IpAddr> {
        match text.trim().parse() {
            Ok(a) => Some(a),
            Err(_) => {
                self.push(Diagnostic::error(K::BadAddress { input: text.to_owned() }).at(kind, id, field));
                None
            }
        }
    }

    fn ports(
        &mut self,
        kind: ObjectKind,
        id: &str,
        field: impl fmt::Display + Copy,
        listens: &[doc::Listen],
    ) -> Vec<Port> {
        let mut out = Vec::new();
        for (i, l) in listens.iter().enumerate() {
            if l.port == 0 {
                self.push(Diagnostic::error(K::PortZero).at(kind, id, format_args!("{field}[{i}]")));
            } else {
                out.push(Port { protocol: l.protocol, port: l.port });
            }
        }
        out
    }

    fn port_range(
        &mut self,
        kind: ObjectKind,
        id: &str,
        field: impl fmt::Display + Copy,
        text: &str,
    ) -> Option<PortRange> {
        let r = PortRange::parse(text);
        if r.is_none() {
            self.push(Diagnostic::error(K::BadPortRange { input: text.to_owned() }).at(kind, id, field));
        }
        r
    }

    /// A reference to nothing: `target` names no `expected` (within `within`, if given); `valid`
    /// is what it could name (see [`listed`]).
    #[allow(clippy::too_many_arguments)]
    fn dangling(
        &mut self,
        kind: ObjectKind,
        id: &str,
        field: impl fmt::Display + Copy,
        target: &str,
        expected: ObjectKind,
        within: Option<&str>,
        (valid, more): (Vec<String>, usize),
    ) {
        let within = within.map(str::to_owned);
        self.push(
            Diagnostic::error(K::DanglingReference { id: target.to_owned(), expected, within, valid, more })
                .at(kind, id, field),
        );
    }

    fn client(&mut self, d: &doc::InternetClient) {
        const KIND: ObjectKind = ObjectKind::InternetClient;
        if !self.claim(KIND, &d.id, self.model.clients.len()) {
            return;
        }
        self.extras(&d.extra, KIND, &d.id);
        let name = self.name(KIND, &d.id, &d.name);
        if let Some(cidr) = self.cidr(KIND, &d.id, "cidr", &d.cidr) {
            self.model.clients.push(Client { id: d.id.clone(), name, cidr });
        }
    }

    fn service(&mut self, d: &doc::ExternalService) {
        const KIND: ObjectKind = ObjectKind::ExternalService;
        if !self.claim(KIND, &d.id, self.model.services.len()) {
            return;
        }
        self.extras(&d.extra, KIND, &d.id);
        let name = self.name(KIND, &d.id, &d.name);
        let ports = self.ports(KIND, &d.id, "ports", &d.ports);
        let allowlist = d.allowlist.as_ref().map(|l| self.cidrs(KIND, &d.id, "allowlist", l));
        let hostname = if d.hostname.trim().is_empty() { format!("{}.example.com", d.id) } else { d.hostname.clone() };
        self.model.services.push(Service { id: d.id.clone(), name, hostname, ports, allowlist });
    }

    fn space(&mut self, d: &doc::Space) {
        const KIND: ObjectKind = ObjectKind::Space;
        if !self.claim(KIND, &d.id, self.model.spaces.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let mut shield = d.shield;
        if d.shield
            && let Some(rules) = capabilities::refusal(d.generation, d.shield, Feature::Shield)
        {
            self.push(
                Diagnostic::error(K::FirUnavailable { feature: FirFeature::Shield })
                    .with_rules(rules)
                    .at(KIND, id, "shield"),
            );
            shield = false;
        }
        let default_cidr = Ipv4Net::new(Ipv4Addr::new(10, 0, 0, 0), 16).unwrap_or_default();
        let cidr = match &d.cidr {
            None => default_cidr,
            Some(text) => match self.cidr4(KIND, id, "cidr", text) {
                Some(c) if c.prefix_len() <= 20 => c,
                Some(c) => {
                    self.push(
                        Diagnostic::error(K::DynoSubnetOutsideSpace { subnet: IpNet::V4(c), space_cidr: IpNet::V4(c) })
                            .with_rules(&[R::PsCidrs])
                            .at(KIND, id, "cidr"),
                    );
                    default_cidr
                }
                None => default_cidr,
            },
        };
        let dyno_subnets = match &d.dyno_subnets {
            None => default_dyno_subnets(cidr),
            Some(list) => {
                let mut out = Vec::new();
                for (i, text) in list.iter().enumerate() {
                    let field = format_args!("dyno_subnets[{i}]");
                    if let Some(net) = self.cidr4(KIND, id, field, text) {
                        if net.prefix_len() == 20 && cidr.contains(&net) {
                            out.push(net);
                        } else {
                            self.push(
                                Diagnostic::error(K::DynoSubnetOutsideSpace {
                                    subnet: IpNet::V4(net),
                                    space_cidr: IpNet::V4(cidr),
                                })
                                .with_rules(&[R::PsCidrs])
                                .at(KIND, id, field),
                            );
                        }
                    }
                }
                if out.is_empty() { default_dyno_subnets(cidr) } else { out }
            }
        };
        let mut reserved = vec![cidr];
        match &d.unavailable_cidrs {
            None => reserved.extend(
                [Ipv4Net::new(Ipv4Addr::new(10, 1, 0, 0), 16), Ipv4Net::new(Ipv4Addr::new(172, 17, 0, 0), 16)]
                    .into_iter()
                    .flatten(),
            ),
            Some(list) => {
                for (i, text) in list.iter().enumerate() {
                    if let Some(n) = self.cidr4(KIND, id, format_args!("unavailable_cidrs[{i}]"), text) {
                        reserved.push(n);
                    }
                }
            }
        }
        let everything: Vec<IpNet> =
            vec![IpNet::V4(Ipv4Net::default()), "::/0".parse().unwrap_or(IpNet::V4(Ipv4Net::default()))];
        // A space without custom trusted IP ranges admits everyone (TIP-FIR).
        let custom_refused = capabilities::refusal(d.generation, shield, Feature::CustomTrustedIps);
        let (trusted, trusted_defaulted) = match (&d.trusted_ip_ranges, custom_refused) {
            (Some(list), Some(rules)) => {
                let custom = list.iter().any(|t| !matches!(t.trim(), "0.0.0.0/0" | "::/0"));
                if custom {
                    self.push(
                        Diagnostic::error(K::FirUnavailable { feature: FirFeature::TrustedIpRanges })
                            .with_rules(rules)
                            .at(KIND, id, "trusted_ip_ranges"),
                    );
                }
                (everything, false)
            }
            (None, Some(_)) => (everything, false),
            (None, None) => (vec![IpNet::V4(Ipv4Net::default())], true),
            (Some(list), None) => {
                let mut ranges = self.cidrs(KIND, id, "trusted_ip_ranges", list);
                if list.len() > MAX_TRUSTED_RANGES {
                    self.push(
                        Diagnostic::error(K::TooManyTrustedRanges { count: list.len(), max: MAX_TRUSTED_RANGES })
                            .with_rules(&[R::TipLimit])
                            .at(KIND, id, "trusted_ip_ranges"),
                    );
                    ranges.truncate(MAX_TRUSTED_RANGES);
                }
                (ranges, false)
            }
        };
        let mut outbound_ips = Vec::new();
        for (i, text) in d.outbound_ips.iter().enumerate() {
            if let Some(a) = self.address(KIND, id, format_args!("outbound_ips[{i}]"), text) {
                outbound_ips.push(a);
            }
        }
        if d.outbound_ips.is_empty() {
            self.push(Diagnostic::warning(K::NoOutboundIps).with_rules(&[R::PsNatOutbound]).at(
                KIND,
                id,
                "outbound_ips",
            ));
        }
        let ix = SpaceIx(self.model.spaces.len() as u32);
        self.spaces.insert(d.id.clone(), ix);
        self.model.spaces.push(Space {
            id: d.id.clone(),
            name,
            generation: d.generation,
            shield,
            region: d.region.clone(),
            cidr,
            dyno_subnets,
            reserved,
            trusted,
            trusted_defaulted,
            trusted_listed: d.trusted_ip_ranges.as_ref().map_or(0, Vec::len),
            outbound_ips,
            apps: Vec::new(),
            addons: Vec::new(),
            peerings: Vec::new(),
            vpns: Vec::new(),
        });
        for app in &d.apps {
            self.app(app, Some(ix));
        }
        for addon in &d.addons {
            self.addon(addon, ix);
        }
    }

    fn app(&mut self, d: &doc::App, space: Option<SpaceIx>) {
        const KIND: ObjectKind = ObjectKind::App;
        if !self.claim(KIND, &d.id, self.model.apps.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let mut internal_routing = d.internal_routing;
        if d.internal_routing {
            let diag = match space {
                Some(s) => self.model.space(s).refusal(Feature::InternalRouting).map(|rules| {
                    Diagnostic::error(K::FirUnavailable { feature: FirFeature::InternalRouting }).with_rules(rules)
                }),
                None => Some(
                    Diagnostic::error(K::InternalRoutingOutsideSpace)
                        .with_rules(capabilities::refusal_outside_spaces(Feature::InternalRouting)),
                ),
            };
            if let Some(diag) = diag {
                self.push(diag.at(KIND, id, "internal_routing"));
                internal_routing = false;
            }
        }
        let mut processes: Vec<Process> = Vec::new();
        // A set, not a scan of the processes so far: an app may list very many process types.
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for (i, p) in d.process_types.iter().enumerate() {
            let field = format_args!("process_types[{i}]");
            if p.name.trim().is_empty() {
                self.push(Diagnostic::error(K::BadName { length: 0, max: MAX_NAME }).at(KIND, id, field));
                continue;
            }
            if !names.insert(p.name.as_str()) {
                self.push(Diagnostic::error(K::DuplicateProcess { name: p.name.clone() }).at(KIND, id, field));
                continue;
            }
            self.extras(&p.extra, KIND, id);
            let ports = self.ports(KIND, id, format_args!("{field}.ports"), &p.ports);
            processes.push(Process {
                name: p.name.clone(),
                dynos: p.dynos.min(10_000),
                ports,
                address: None,
                address_once_scaled: None,
                dyno_addresses: Vec::new(),
            });
        }
        if d.web_port == Some(0) {
            self.push(Diagnostic::error(K::PortZero).at(KIND, id, "web_port"));
        }
        let web_port = d.web_port.filter(|p| *p != 0);
        let ix = AppIx(self.model.apps.len() as u32);
        if let Some(s) = space {
            self.model.spaces[s.ix()].apps.push(ix);
        }
        self.model.apps.push(App {
            id: d.id.clone(),
            name,
            space,
            internal_routing_requested: d.internal_routing,
            internal_routing,
            web_port: web_port.unwrap_or(DEFAULT_WEB_PORT),
            web_port_defaulted: web_port.is_none(),
            processes,
            ir_endpoint: None,
        });
    }

    fn addon(&mut self, d: &doc::Addon, space: SpaceIx) {
        const KIND: ObjectKind = ObjectKind::Addon;
        if !self.claim(KIND, &d.id, self.model.addons.len()) {
            return;
        }
        self.extras(&d.extra, KIND, &d.id);
        let name = self.name(KIND, &d.id, &d.name);
        if d.port == Some(0) {
            self.push(Diagnostic::error(K::PortZero).at(KIND, &d.id, "port"));
        }
        let port = d.port.filter(|p| *p != 0).unwrap_or(d.kind.default_port());
        let ix = AddonIx(self.model.addons.len() as u32);
        self.model.spaces[space.ix()].addons.push(ix);
        self.model.addons.push(Addon { id: d.id.clone(), name, space, kind: d.kind, port });
    }

    fn vpc(&mut self, d: &doc::Vpc) {
        const KIND: ObjectKind = ObjectKind::Vpc;
        if !self.claim(KIND, &d.id, self.model.vpcs.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let Some(primary_cidr) = self.cidr4(KIND, id, "primary_cidr", &d.primary_cidr) else {
            // Without a primary CIDR nothing in the VPC can be placed; its hosts are left out too.
            return;
        };
        let secondary_cidrs: Vec<Ipv4Net> = d
            .secondary_cidrs
            .iter()
            .enumerate()
            .filter_map(|(i, t)| self.cidr4(KIND, id, format_args!("secondary_cidrs[{i}]"), t))
            .collect();
        let public_egress_ip = d.public_egress_ip.as_ref().and_then(|t| self.address(KIND, id, "public_egress_ip", t));
        let vix = VpcIx(self.model.vpcs.len() as u32);

        let mut route_tables = Vec::new();
        for rt in &d.route_tables {
            const RT: ObjectKind = ObjectKind::RouteTable;
            if !self.claim(RT, &rt.id, route_tables.len()) {
                continue;
            }
            self.extras(&rt.extra, RT, &rt.id);
            let rname = self.name(RT, &rt.id, &rt.name);
            let mut routes = Vec::new();
            for (i, r) in rt.routes.iter().enumerate() {
                if let Some(destination) =
                    self.cidr4(RT, &rt.id, format_args!("routes[{i}].destination"), &r.destination)
                {
                    routes.push(Route { destination, target: r.target.trim().to_owned(), blackhole: None });
                }
            }
            self.route_tables.insert(rt.id.clone(), (vix, route_tables.len()));
            route_tables.push(RouteTable { id: rt.id.clone(), name: rname, routes });
        }
        let main_route_table = d.main_route_table.as_ref().and_then(|t| match self.route_tables.get(t) {
            Some((v, i)) if *v == vix => Some(*i),
            _ => {
                let valid = listed(route_tables.iter().map(|r: &RouteTable| r.id.as_str()));
                self.dangling(KIND, id, "main_route_table", t, ObjectKind::RouteTable, Some(id), valid);
                None
            }
        });

        let mut security_groups = Vec::new();
        for sg in &d.security_groups {
            const SG: ObjectKind = ObjectKind::SecurityGroup;
            if !self.claim(SG, &sg.id, security_groups.len()) {
                continue;
            }
            self.extras(&sg.extra, SG, &sg.id);
            let sname = self.name(SG, &sg.id, &sg.name);
            let at = (vix, security_groups.len());
            let inbound = self.sg_rules(at, &sg.id, false, &sg.inbound);
            let (outbound, outbound_default) = match &sg.outbound {
                Some(rules) => (self.sg_rules(at, &sg.id, true, rules), false),
                // AWS gives a group created without outbound rules one that allows everything out.
                None if self.version >= 2 => {
                    let all = SgRule {
                        protocol: doc::RuleProtocol::All,
                        ports: PortRange::ALL,
                        peer: SgPeer::Cidr { cidr: IpNet::V4(Ipv4Net::default()) },
                    };
                    (vec![all], true)
                }
                None => (Vec::new(), false),
            };
            self.security_groups.insert(sg.id.clone(), at);
            security_groups.push(SecurityGroup { id: sg.id.clone(), name: sname, inbound, outbound, outbound_default });
        }

        let mut network_acls = Vec::new();
        for acl in &d.network_acls {
            const ACL: ObjectKind = ObjectKind::NetworkAcl;
            if !self.claim(ACL, &acl.id, network_acls.len()) {
                continue;
            }
            self.extras(&acl.extra, ACL, &acl.id);
            let aname = self.name(ACL, &acl.id, &acl.name);
            let inbound = self.acl_rules(&acl.id, "inbound", &acl.inbound);
            let outbound = self.acl_rules(&acl.id, "outbound", &acl.outbound);
            self.network_acls.insert(acl.id.clone(), (vix, network_acls.len()));
            network_acls.push(NetworkAcl { id: acl.id.clone(), name: aname, inbound, outbound });
        }

        let mut subnets = Vec::new();
        for sn in &d.subnets {
            const SN: ObjectKind = ObjectKind::Subnet;
            if !self.claim(SN, &sn.id, subnets.len()) {
                continue;
            }
            self.extras(&sn.extra, SN, &sn.id);
            let sname = self.name(SN, &sn.id, &sn.name);
            let Some(cidr) = self.cidr4(SN, &sn.id, "cidr", &sn.cidr) else { continue };
            if !primary_cidr.contains(&cidr) && !secondary_cidrs.iter().any(|s| s.contains(&cidr)) {
                self.push(Diagnostic::warning(K::SubnetOutsideVpc { subnet: IpNet::V4(cidr) }).at(SN, &sn.id, "cidr"));
            }
            // A subnet associated with no route table uses the VPC's main one.
            let (route_table, implicit_main) = match self.route_tables.get(&sn.route_table) {
                Some((v, i)) if *v == vix => (Some(*i), false),
                _ if sn.route_table.trim().is_empty() && main_route_table.is_some() => (main_route_table, true),
                _ => {
                    let valid = listed(route_tables.iter().map(|r: &RouteTable| r.id.as_str()));
                    self.dangling(SN, &sn.id, "route_table", &sn.route_table, ObjectKind::RouteTable, Some(id), valid);
                    (main_route_table, main_route_table.is_some())
                }
            };
            let network_acl = match &sn.network_acl {
                None => None,
                Some(a) => match self.network_acls.get(a) {
                    Some((v, i)) if *v == vix => Some(*i),
                    _ => {
                        let valid = listed(network_acls.iter().map(|a: &NetworkAcl| a.id.as_str()));
                        self.dangling(SN, &sn.id, "network_acl", a, ObjectKind::NetworkAcl, Some(id), valid);
                        None
                    }
                },
            };
            self.subnets.insert(sn.id.clone(), (vix, subnets.len()));
            subnets.push(Subnet { id: sn.id.clone(), name: sname, cidr, route_table, implicit_main, network_acl });
        }

        let mut hosts = Vec::new();
        for h in &d.hosts {
            const HOST: ObjectKind = ObjectKind::Host;
            if !self.claim(HOST, &h.id, self.model.hosts.len()) {
                continue;
            }
            self.extras(&h.extra, HOST, &h.id);
            let hname = self.name(HOST, &h.id, &h.name);
            let subnet = match self.subnets.get(&h.subnet) {
                Some((v, i)) if *v == vix => *i,
                _ => {
                    let valid = listed(subnets.iter().map(|s: &Subnet| s.id.as_str()));
                    self.dangling(HOST, &h.id, "subnet", &h.subnet, ObjectKind::Subnet, Some(id), valid);
                    continue;
                }
            };
            let address = match self.address(HOST, &h.id, "address", &h.address) {
                Some(IpAddr::V4(a)) => a,
                Some(IpAddr::V6(_)) => {
                    self.push(Diagnostic::error(K::NotIpv4 { input: h.address.clone() }).at(HOST, &h.id, "address"));
                    continue;
                }
                None => continue,
            };
            let sn = &subnets[subnet];
            if !sn.cidr.contains(&address) {
                let subnet_cidr = IpNet::V4(sn.cidr);
                self.push(
                    Diagnostic::warning(K::HostOutsideSubnet { address: IpAddr::V4(address), subnet: subnet_cidr })
                        .at(HOST, &h.id, "address"),
                );
            }
            let mut groups = Vec::new();
            for (i, g) in h.security_groups.iter().enumerate() {
                match self.security_groups.get(g) {
                    Some((v, gi)) if *v == vix => groups.push(*gi),
                    _ => {
                        let valid = listed(security_groups.iter().map(|s: &SecurityGroup| s.id.as_str()));
                        let field = format_args!("security_groups[{i}]");
                        self.dangling(HOST, &h.id, field, g, ObjectKind::SecurityGroup, Some(id), valid);
                    }
                }
            }
            let ports = self.ports(HOST, &h.id, "ports", &h.ports);
            let hix = HostIx(self.model.hosts.len() as u32);
            hosts.push(hix);
            self.model.hosts.push(Host {
                id: h.id.clone(),
                name: hname,
                vpc: vix,
                subnet,
                address,
                security_groups: groups,
                ports,
            });
        }

        self.vpcs.insert(d.id.clone(), vix);
        self.model.vpcs.push(Vpc {
            id: d.id.clone(),
            name,
            region: d.region.clone(),
            primary_cidr,
            secondary_cidrs,
            public_egress_ip,
            route_tables,
            main_route_table,
            security_groups,
            network_acls,
            subnets,
            hosts,
            peerings: Vec::new(),
            vpc_peerings: Vec::new(),
        });
    }

    /// A security group's rules in one direction. `at` is the group's place (VPC, index). A rule
    /// names a CIDR block, a prefix list (`pl-…`, resolved here) or a security group (`sg-…`,
    /// resolved by [`Self::resolve_group_references`] once every VPC and VPC peering is known).
    fn sg_rules(&mut self, at: (VpcIx, usize), id: &str, outbound: bool, rules: &[doc::SgRule]) -> Vec<SgRule> {
        const SG: ObjectKind = ObjectKind::SecurityGroup;
        let dir = if outbound { "outbound" } else { "inbound" };
        let mut out = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let ports = self.port_range(SG, id, format_args!("{dir}[{i}].ports"), &r.ports);
            let field = format_args!("{dir}[{i}].cidr");
            let peer = match parse_rule_peer(&r.cidr) {
                Ok(RulePeer::SecurityGroup(text)) => {
                    if ports.is_some() {
                        self.pending_references.push(PendingReference {
                            vpc: at.0,
                            group: at.1,
                            outbound,
                            rule: out.len(),
                            reference: text.to_owned(),
                            holder: id.to_owned(),
                            field: field.to_string(),
                        });
                    }
                    // A placeholder until resolved; a reference that cannot be resolved is removed.
                    Some(SgPeer::Group { vpc: at.0, group: usize::MAX })
                }
                Ok(RulePeer::PrefixList(text)) => match self.prefix_lists.get(text) {
                    Some(&list) => Some(SgPeer::PrefixList { list }),
                    None => {
                        let valid: Vec<String> = self
                            .model
                            .prefix_lists
                            .iter()
                            .map(|l| l.id.clone())
                            .filter(|l| l.starts_with("pl-"))
                            .collect();
                        self.bad_reference(
                            id,
                            field,
                            text,
                            ReferenceKind::PrefixList,
                            ReferenceProblem::Unknown,
                            valid,
                        );
                        None
                    }
                },
                Ok(RulePeer::Cidr(cidr, warnings)) => {
                    for w in warnings {
                        self.push(w.at(SG, id, field));
                    }
                    Some(SgPeer::Cidr { cidr })
                }
                Err(d) => {
                    self.push(d.at(SG, id, field));
                    None
                }
            };
            if let (Some(ports), Some(peer)) = (ports, peer) {
                out.push(SgRule { protocol: r.protocol, ports, peer });
            }
        }
        out
    }

    /// A security group rule of group `holder` that names what it cannot: a diagnostic listing
    /// what it could name (the rule is left out by the caller).
    fn bad_reference(
        &mut self,
        holder: &str,
        field: impl fmt::Display + Copy,
        reference: &str,
        kind: ReferenceKind,
        problem: ReferenceProblem,
        mut valid: Vec<String>,
    ) {
        let more = valid.len().saturating_sub(MAX_LISTED_REFERENCES);
        valid.truncate(MAX_LISTED_REFERENCES);
        let reference = reference.to_owned();
        self.push(
            Diagnostic::error(K::BadRuleReference { reference, kind, problem, valid, more })
                .with_rules(&[R::PeerSecurityGroup])
                .at(ObjectKind::SecurityGroup, holder, field),
        );
    }

    /// The VPCs whose security groups a rule in `v` may name: `v` itself, then every VPC joined
    /// to it by an active VPC peering within the same region. AWS does not resolve security group
    /// references across an inter-region peering; a VPC whose region is not given is taken to be
    /// in the same region as any other (the document may leave regions out).
    fn referable_vpcs(&self, v: VpcIx) -> Vec<VpcIx> {
        let m = &self.model;
        let mut out = vec![v];
        for p in &m.vpcs[v.ix()].vpc_peerings {
            let p = &m.vpc_peerings[p.ix()];
            let other = if p.vpc == v { p.peer_vpc } else { p.vpc };
            if p.status == PeeringStatus::Active
                && same_region(&m.vpcs[v.ix()], &m.vpcs[other.ix()])
                && !out.contains(&other)
            {
                out.push(other);
            }
        }
        out
    }

    /// Resolve every security group a security group rule names (see [`Self::sg_rules`]); a rule
    /// whose group cannot be named is left out with a diagnostic listing the groups it could name.
    fn resolve_group_references(&mut self) {
        let pending = std::mem::take(&mut self.pending_references);
        let mut left_out: BTreeSet<(u32, usize, bool, usize)> = BTreeSet::new();
        for p in &pending {
            let referable = self.referable_vpcs(p.vpc);
            let found = self.security_groups.get(&p.reference).copied();
            let problem = match found {
                Some((w, g)) if referable.contains(&w) => {
                    let group = &mut self.model.vpcs[p.vpc.ix()].security_groups[p.group];
                    let rules = if p.outbound { &mut group.outbound } else { &mut group.inbound };
                    if let Some(rule) = rules.get_mut(p.rule) {
                        rule.peer = SgPeer::Group { vpc: w, group: g };
                    }
                    continue;
                }
                None => ReferenceProblem::Unknown,
                Some((w, _)) => {
                    let (here, there) = (&self.model.vpcs[p.vpc.ix()], &self.model.vpcs[w.ix()]);
                    let peered = here.vpc_peerings.iter().any(|vp| {
                        let vp = &self.model.vpc_peerings[vp.ix()];
                        vp.status == PeeringStatus::Active && (vp.vpc == w || vp.peer_vpc == w)
                    });
                    if peered && !same_region(here, there) {
                        ReferenceProblem::OtherRegion { vpc: there.id.clone(), region: there.region.trim().to_owned() }
                    } else {
                        ReferenceProblem::NotPeered { vpc: there.id.clone() }
                    }
                }
            };
            let valid: Vec<String> = referable
                .iter()
                .flat_map(|v| self.model.vpcs[v.ix()].security_groups.iter().map(|g| g.id.clone()))
                .filter(|g| g.starts_with("sg-"))
                .collect();
            let (holder, field) = (p.holder.clone(), p.field.clone());
            self.bad_reference(&holder, &field, &p.reference, ReferenceKind::SecurityGroup, problem, valid);
            left_out.insert((p.vpc.0, p.group, p.outbound, p.rule));
        }
        // Highest index first, so that the indices still to remove stay valid.
        for &(v, g, outbound, r) in left_out.iter().rev() {
            if let Some(group) = self.model.vpcs.get_mut(v as usize).and_then(|v| v.security_groups.get_mut(g)) {
                let rules = if outbound { &mut group.outbound } else { &mut group.inbound };
                if r < rules.len() {
                    rules.remove(r);
                }
            }
        }
    }

    /// Mark the routes that drop traffic: declared `blackhole`, or to a deleted peering.
    fn mark_blackholes(&mut self) {
        let deleted: BTreeSet<String> = self
            .model
            .peerings
            .iter()
            .filter(|p| p.status == PeeringStatus::Deleted)
            .map(|p| p.id.clone())
            .chain(self.model.vpc_peerings.iter().filter(|p| p.status == PeeringStatus::Deleted).map(|p| p.id.clone()))
            .collect();
        for route in
            self.model.vpcs.iter_mut().flat_map(|v| v.route_tables.iter_mut()).flat_map(|t| t.routes.iter_mut())
        {
            route.blackhole = if route.target.eq_ignore_ascii_case(BLACKHOLE) {
                Some(Blackhole::Declared)
            } else if deleted.contains(&route.target) {
                Some(Blackhole::TargetDeleted)
            } else {
                None
            };
        }
    }

    fn prefix_list(&mut self, d: &doc::PrefixList) {
        const KIND: ObjectKind = ObjectKind::PrefixList;
        if !self.claim(KIND, &d.id, self.model.prefix_lists.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let entries = self.cidrs(KIND, id, "entries", &d.entries);
        if !id.starts_with("pl-") {
            self.push(Diagnostic::warning(K::UnreferenceablePrefixList { id: id.to_owned() }).at(KIND, id, "id"));
        }
        self.prefix_lists.insert(id.to_owned(), self.model.prefix_lists.len());
        self.model.prefix_lists.push(PrefixList { id: id.to_owned(), name, entries });
    }

    fn acl_rules(&mut self, id: &str, dir: &str, rules: &[doc::AclRule]) -> Vec<AclRule> {
        let mut out: Vec<AclRule> = Vec::new();
        let mut numbers = std::collections::BTreeSet::new();
        for (i, r) in rules.iter().enumerate() {
            if numbers.contains(&r.number) {
                self.push(Diagnostic::error(K::DuplicateAclRuleNumber { number: r.number }).at(
                    ObjectKind::NetworkAcl,
                    id,
                    format_args!("{dir}[{i}].number"),
                ));
                continue;
            }
            let ports = self.port_range(ObjectKind::NetworkAcl, id, format_args!("{dir}[{i}].ports"), &r.ports);
            let cidr = self.cidr(ObjectKind::NetworkAcl, id, format_args!("{dir}[{i}].cidr"), &r.cidr);
            if let (Some(ports), Some(cidr)) = (ports, cidr) {
                numbers.insert(r.number);
                out.push(AclRule { number: r.number, protocol: r.protocol, ports, cidr, action: r.action });
            }
        }
        out.sort_by_key(|r| r.number);
        out
    }

    fn peering(&mut self, d: &doc::Peering) {
        const KIND: ObjectKind = ObjectKind::Peering;
        if !self.claim(KIND, &d.id, self.model.peerings.len()) {
            return;
        }
        self.extras(&d.extra, KIND, &d.id);
        let Some(&space) = self.spaces.get(&d.space) else {
            let valid = listed(self.model.spaces.iter().map(|s| s.id.as_str()));
            return self.dangling(KIND, &d.id, "space", &d.space, ObjectKind::Space, None, valid);
        };
        let Some(&vpc) = self.vpcs.get(&d.vpc) else {
            let valid = listed(self.model.vpcs.iter().map(|v| v.id.as_str()));
            return self.dangling(KIND, &d.id, "vpc", &d.vpc, ObjectKind::Vpc, None, valid);
        };
        let involved = [d.id.as_str(), d.space.as_str(), d.vpc.as_str()];
        // The same answer the gesture gets (policy::can_peer): refused peerings do not count
        // toward the limit.
        let refusal = capabilities::peering_refusal(&self.model, space, vpc, d.status);
        if let Some(r) = refusal {
            let (kind, field) = match r {
                PeeringRefusal::Unavailable { .. } => (K::FirUnavailable { feature: FirFeature::Peering }, "space"),
                PeeringRefusal::NotPrivate { vpc_cidr } => (K::VpcNotPrivate { cidr: vpc_cidr }, "vpc"),
                PeeringRefusal::Overlaps { vpc_cidr, space_range } => {
                    (K::VpcOverlapsSpace { vpc_cidr, space_range }, "vpc")
                }
                PeeringRefusal::Limit { counted } => (K::TooManyPeerings { count: counted + 1, max: MAX_PEERINGS }, ""),
            };
            self.push(Diagnostic::error(kind).with_rules(r.rules()).at(KIND, &d.id, field).involving(&involved));
        }
        let refused = refusal.map(|r| r.rule());
        let ix = PeeringIx(self.model.peerings.len() as u32);
        self.model.spaces[space.ix()].peerings.push(ix);
        self.model.vpcs[vpc.ix()].peerings.push(ix);
        self.model.peerings.push(Peering { id: d.id.clone(), space, vpc, status: d.status, refused });
    }

    fn vpc_peering(&mut self, d: &doc::VpcPeering) {
        const KIND: ObjectKind = ObjectKind::VpcPeering;
        if !self.claim(KIND, &d.id, self.model.vpc_peerings.len()) {
            return;
        }
        self.extras(&d.extra, KIND, &d.id);
        let Some(&vpc) = self.vpcs.get(&d.vpc) else {
            let valid = listed(self.model.vpcs.iter().map(|v| v.id.as_str()));
            return self.dangling(KIND, &d.id, "vpc", &d.vpc, ObjectKind::Vpc, None, valid);
        };
        let Some(&peer_vpc) = self.vpcs.get(&d.peer_vpc) else {
            let valid = listed(self.model.vpcs.iter().map(|v| v.id.as_str()));
            return self.dangling(KIND, &d.id, "peer_vpc", &d.peer_vpc, ObjectKind::Vpc, None, valid);
        };
        let ix = VpcPeeringIx(self.model.vpc_peerings.len() as u32);
        self.model.vpcs[vpc.ix()].vpc_peerings.push(ix);
        self.model.vpcs[peer_vpc.ix()].vpc_peerings.push(ix);
        self.model.vpc_peerings.push(VpcPeering { id: d.id.clone(), vpc, peer_vpc, status: d.status });
    }

    fn remote(&mut self, d: &doc::RemoteNetwork) {
        const KIND: ObjectKind = ObjectKind::RemoteNetwork;
        if !self.claim(KIND, &d.id, self.model.remotes.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let cidrs = self.cidrs(KIND, id, "cidrs", &d.cidrs);
        let public_egress_ip = d.public_egress_ip.as_ref().and_then(|t| self.address(KIND, id, "public_egress_ip", t));
        let firewall = d.firewall.as_ref().map(|f| {
            let mut inbound = Vec::new();
            for (i, r) in f.inbound.iter().enumerate() {
                let ports = self.port_range(KIND, id, format_args!("firewall.inbound[{i}].ports"), &r.ports);
                let cidr = self.cidr(KIND, id, format_args!("firewall.inbound[{i}].cidr"), &r.cidr);
                if let (Some(ports), Some(cidr)) = (ports, cidr) {
                    inbound.push(FirewallRule { protocol: r.protocol, ports, cidr, action: r.action });
                }
            }
            let fid = f.id_in(id);
            let fname = if f.name.is_empty() { format!("{name} firewall") } else { f.name.clone() };
            Firewall { id: fid, name: fname, inbound }
        });
        let rix = RemoteIx(self.model.remotes.len() as u32);
        let mut hosts = Vec::new();
        for h in &d.hosts {
            const HOST: ObjectKind = ObjectKind::RemoteHost;
            if !self.claim(HOST, &h.id, self.model.remote_hosts.len()) {
                continue;
            }
            self.extras(&h.extra, HOST, &h.id);
            let hname = self.name(HOST, &h.id, &h.name);
            let Some(address) = self.address(HOST, &h.id, "address", &h.address) else { continue };
            if !cidrs.is_empty() && !cidrs.iter().any(|c| c.contains(&address)) {
                self.push(Diagnostic::warning(K::RemoteHostOutsideNetwork { address }).at(HOST, &h.id, "address"));
            }
            let ports = self.ports(HOST, &h.id, "ports", &h.ports);
            let hix = RemoteHostIx(self.model.remote_hosts.len() as u32);
            hosts.push(hix);
            self.model.remote_hosts.push(RemoteHost { id: h.id.clone(), name: hname, remote: rix, address, ports });
        }
        self.remotes.insert(d.id.clone(), rix);
        self.model.remotes.push(Remote {
            id: d.id.clone(),
            name,
            cidrs,
            public_egress_ip,
            hosts,
            firewall,
            vpns: Vec::new(),
        });
    }

    fn vpn(&mut self, d: &doc::Vpn) {
        const KIND: ObjectKind = ObjectKind::VpnConnection;
        if !self.claim(KIND, &d.id, self.model.vpns.len()) {
            return;
        }
        let id = d.id.as_str();
        self.extras(&d.extra, KIND, id);
        let name = self.name(KIND, id, &d.name);
        let Some(&space) = self.spaces.get(&d.space) else {
            let valid = listed(self.model.spaces.iter().map(|s| s.id.as_str()));
            return self.dangling(KIND, id, "space", &d.space, ObjectKind::Space, None, valid);
        };
        let Some(&remote) = self.remotes.get(&d.remote_network) else {
            let valid = listed(self.model.remotes.iter().map(|r| r.id.as_str()));
            return self.dangling(
                KIND,
                id,
                "remote_network",
                &d.remote_network,
                ObjectKind::RemoteNetwork,
                None,
                valid,
            );
        };
        let involved = [id, d.space.as_str(), d.remote_network.as_str()];
        let customer_gateway = if d.customer_gateway.trim().is_empty() {
            None
        } else {
            self.address(KIND, id, "customer_gateway", &d.customer_gateway)
        };
        let routable_cidrs = self.cidrs(KIND, id, "routable_cidrs", &d.routable_cidrs);
        let sp = self.model.space(space);
        let space_cidr = sp.cidr;
        let mut refused = None;
        if let Some(rules) = sp.refusal(Feature::Vpn) {
            self.push(
                Diagnostic::error(K::FirUnavailable { feature: FirFeature::Vpn })
                    .with_rules(rules)
                    .at(KIND, id, "space")
                    .involving(&involved),
            );
            refused = rules.first().copied();
        }
        for (i, r) in routable_cidrs.iter().enumerate() {
            let overlaps = match r {
                IpNet::V4(n) => n.contains(&space_cidr) || space_cidr.contains(n),
                IpNet::V6(_) => false,
            };
            if overlaps {
                self.push(
                    Diagnostic::warning(K::VpnOverlapsSpace { routable: *r, space_cidr: IpNet::V4(space_cidr) })
                        .with_rules(&[R::VpnNoOverlap])
                        .at(KIND, id, format_args!("routable_cidrs[{i}]"))
                        .involving(&involved),
                );
            }
        }
        let ix = VpnIx(self.model.vpns.len() as u32);
        self.model.spaces[space.ix()].vpns.push(ix);
        self.model.remotes[remote.ix()].vpns.push(ix);
        self.model.vpns.push(Vpn {
            id: d.id.clone(),
            name,
            space,
            remote,
            customer_gateway,
            routable_cidrs,
            tunnel_up: d.tunnel_status == TunnelStatus::Up,
            refused,
        });
    }

    /// Give the first dyno of every process type an address, and internally routed apps their
    /// endpoint. Deterministic: document order decides.
    fn assign_addresses(&mut self) {
        let mut cr_counter: u32 = 0;
        for s in 0..self.model.spaces.len() {
            let space = &self.model.spaces[s];
            let subnets = space.dyno_subnets.clone();
            let apps = space.apps.clone();
            // Slot `n` is in subnet `n % len`, at offset 4 + n / len: AWS keeps a subnet's first
            // four addresses and its last. A slot past the end of its subnet gets no address.
            let slot_address = |slot: u32| -> Option<Ipv4Addr> {
                let subnet = subnets.get((slot as usize) % subnets.len().max(1))?;
                let offset = 4 + slot / subnets.len() as u32;
                let size = 1u64 << (32 - u32::from(subnet.prefix_len()));
                (u64::from(offset) + 1 < size).then(|| Ipv4Addr::from(u32::from(subnet.network()) + offset))
            };
            let mut n: u32 = 0;
            let mut unaddressed = None;
            for a in apps {
                let app = &mut self.model.apps[a.ix()];
                for p in &mut app.processes {
                    if !subnets.is_empty() {
                        // A process scaled to zero has no address yet: the one it gets once scaled
                        // to one dyno (the processes before it keep theirs) is kept aside.
                        let address = slot_address(n);
                        p.address_once_scaled = address;
                        p.address = address.filter(|_| p.dynos > 0);
                        p.dyno_addresses = (0..p.dynos.min(64)).map_while(|k| slot_address(n + k)).collect();
                        if p.dynos > 0 && p.dyno_addresses.len() < p.dynos.min(64) as usize && unaddressed.is_none() {
                            unaddressed = Some((app.id.clone(), p.name.clone()));
                        }
                    }
                    n = n.saturating_add(p.dynos.min(64));
                }
            }
            if let Some((app, process)) = unaddressed {
                let space = &self.model.spaces[s];
                let capacity =
                    subnets.iter().map(|s| (1u64 << (32 - u32::from(s.prefix_len()))).saturating_sub(5)).sum();
                let id = space.id.clone();
                self.push(
                    Diagnostic::warning(K::DynoSubnetsFull { capacity, app: app.clone(), process })
                        .at(ObjectKind::Space, &id, "dyno_subnets")
                        .involving(&[&app]),
                );
            }
            self.model.assign_ir_endpoints(SpaceIx(s as u32));
        }
        for app in self.model.apps.iter_mut().filter(|a| a.space.is_none()) {
            for p in &mut app.processes {
                if p.dynos > 0 {
                    // A /30 inside 172.16.0.0/12 per dyno (DYNO-INTERFACE); the dyno is its second address.
                    let base = u32::from(Ipv4Addr::new(172, 16, 0, 0));
                    let at = |k: u32| Ipv4Addr::from(base + (((cr_counter + k) % (1 << 18)) << 2) + 2);
                    p.address = Some(at(0));
                    p.address_once_scaled = p.address;
                    p.dyno_addresses = (0..p.dynos.min(64)).map(at).collect();
                }
                cr_counter = cr_counter.saturating_add(p.dynos.max(1));
            }
        }
    }

    fn diagnostic_expectation(&mut self, i: usize, d: &doc::DiagnosticExpectation) -> Option<DiagnosticExpectation> {
        let id = format!("#{}", i + 1);
        let object = Some(d.object.trim()).filter(|o| !o.is_empty()).map(str::to_owned);
        match d.rule.trim().parse() {
            Ok(rule) => Some(DiagnosticExpectation { id, rule, object }),
            Err(_) => {
                self.push(Diagnostic::error(K::UnknownRule { rule: d.rule.clone() }).at(
                    ObjectKind::ConfigurationExpectation,
                    &id,
                    "rule",
                ));
                None
            }
        }
    }

    fn question(&mut self, i: usize, d: &doc::Question) -> CheckedQuestion {
        const KIND: ObjectKind = ObjectKind::Question;
        let id = if d.id.is_empty() { format!("#{}", i + 1) } else { d.id.clone() };
        let unasked = |expect| CheckedQuestion {
            id: id.clone(),
            name: d.name.clone(),
            from: d.from.clone(),
            to: d.to.clone(),
            query: None,
            expect,
        };
        if !d.id.is_empty() && !self.claim(KIND, &d.id, i) {
            return unasked(None);
        }
        let expect = d.expect.as_ref().map(|e| Expectation {
            verdict: e.verdict,
            rules: e
                .rules
                .iter()
                .filter_map(|r| match r.parse() {
                    Ok(rule) => Some(rule),
                    Err(_) => {
                        self.push(Diagnostic::error(K::UnknownRule { rule: r.clone() }).at(KIND, &id, "expect.rules"));
                        None
                    }
                })
                .collect(),
        });
        match Query::from_doc(&self.model, &d.from, &d.to, d.protocol, d.port.unwrap_or(0)) {
            Ok(query) => CheckedQuestion { query: Some(query), ..unasked(expect) },
            Err(e) => {
                let field = match &e {
                    QueryError::Unknown { field, .. } | QueryError::NoSuchDyno { field, .. } => field,
                    QueryError::OutOfScope { .. } => "",
                    QueryError::LocalhostNeedsDyno => "to",
                    QueryError::PortZero => "port",
                };
                let diag = match e {
                    QueryError::PortZero if d.port.is_none() => Diagnostic::error(K::NoPort),
                    e => query_error(&self.model, e),
                };
                self.push(diag.at(KIND, &id, field));
                unasked(expect)
            }
        }
    }
}

/// Why a question cannot be asked, as a diagnostic (without its location): a reference to
/// nothing lists what it could name.
pub fn query_error(model: &Model, e: QueryError) -> Diagnostic {
    Diagnostic::error(match e {
        QueryError::Unknown { id, expected, within, .. } => {
            let valid = match expected {
                ObjectKind::ProcessType => {
                    let app = within.as_deref().and_then(|a| model.find_app(a)).map(|a| model.app(a));
                    listed(app.into_iter().flat_map(|a| a.processes.iter().map(|p| p.name.as_str())))
                }
                ObjectKind::App => listed(model.apps.iter().map(|o| o.id.as_str())),
                ObjectKind::Host => listed(model.hosts.iter().map(|o| o.id.as_str())),
                ObjectKind::RemoteHost => listed(model.remote_hosts.iter().map(|o| o.id.as_str())),
                ObjectKind::InternetClient => listed(model.clients.iter().map(|o| o.id.as_str())),
                ObjectKind::ExternalService => listed(model.services.iter().map(|o| o.id.as_str())),
                ObjectKind::Addon => listed(model.addons.iter().map(|o| o.id.as_str())),
                _ => (Vec::new(), 0),
            };
            let (valid, more) = valid;
            K::DanglingReference { id, expected, within, valid, more }
        }
        QueryError::OutOfScope { from, to } => K::QuestionOutOfScope { from, to },
        QueryError::LocalhostNeedsDyno => K::LocalhostNeedsDyno,
        QueryError::PortZero => K::PortZero,
        QueryError::NoSuchDyno { app, process, dyno, dynos, .. } => K::NoSuchDyno { app, process, dyno, dynos },
    })
}

/// The IDs a reference could name, for a diagnostic: the first [`MAX_LISTED_REFERENCES`], and how
/// many more there are.
pub fn listed<'a>(ids: impl IntoIterator<Item = &'a str>) -> (Vec<String>, usize) {
    let mut valid = Vec::new();
    let mut more = 0;
    for id in ids {
        if valid.len() < MAX_LISTED_REFERENCES {
            valid.push(id.to_owned());
        } else {
            more += 1;
        }
    }
    (valid, more)
}

/// Whether two VPCs are in the same region, as far as the document says: a region left blank
/// matches any.
fn same_region(a: &Vpc, b: &Vpc) -> bool {
    let (x, y) = (a.region.trim(), b.region.trim());
    x.is_empty() || y.is_empty() || x == y
}

/// Two /20s of the space CIDR, as the platform assigns them (`10.0.128.0/20` and `10.0.144.0/20`
/// for `10.0.0.0/16`): the two /20s at the middle of the block.
pub fn default_dyno_subnets(cidr: Ipv4Net) -> Vec<Ipv4Net> {
    match cidr.subnets(20) {
        Ok(all) => {
            let all: Vec<Ipv4Net> = all.collect();
            let mid = all.len() / 2;
            all.into_iter().skip(mid).take(2).collect()
        }
        Err(_) => vec![cidr],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::render::diagnostic_with_location;

    fn checked(edit: impl FnOnce(&mut serde_json::Value)) -> Checked {
        let mut v: serde_json::Value = serde_json::from_str(include_str!("../../../scenarios/default.json")).unwrap();
        edit(&mut v);
        check_text(&v.to_string())
    }

    fn errors(c: &Checked) -> Vec<String> {
        c.errors().map(diagnostic_with_location).collect()
    }

    #[test]
    fn a_question_with_no_port_says_so_and_port_zero_is_still_port_zero() {
        let c = checked(|v| {
            v["questions"][0].as_object_mut().unwrap().remove("port");
            v["questions"][1]["port"] = json!(0);
        });
        let e = errors(&c);
        assert_eq!(e[0], "question \u{201c}q-warehouse\u{201d}, port: No port was given: give a port from 1 to 65535.");
        assert_eq!(
            e[1],
            "question \u{201c}q-office-api\u{201d}, port: Port 0 cannot be used: give a port from 1 to 65535."
        );
        assert!(!e[0].contains("Port 0"));
        // To localhost a port is not needed.
        let c = checked(|v| {
            v["questions"][0]["to"] = json!("localhost");
            v["questions"][0]["from"] = json!({"dyno": {"app": "api", "process": "web"}});
            v["questions"][0].as_object_mut().unwrap().remove("port");
            v["questions"][0].as_object_mut().unwrap().remove("expect");
        });
        assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    }

    #[test]
    fn a_reference_to_nothing_lists_what_it_could_name() {
        let c = checked(|v| {
            v["peerings"][0]["space"] = json!("nope");
            v["vpcs"][0]["subnets"][0]["route_table"] = json!("rtb-nope");
            v["questions"][0]["to"] = json!({"host": "nope"});
            v["questions"][1]["to"] = json!({"discovery": {"app": "api", "process": "nope"}});
        });
        let e = errors(&c);
        assert_eq!(
            e[0],
            "subnet \u{201c}subnet-private\u{201d}, route_table: There is no route table with the id \u{201c}rtb-nope\u{201d} in \u{201c}analytics\u{201d}. Valid: rtb-0a1b.",
            "{e:#?}"
        );
        assert_eq!(
            e[1],
            "peering \u{201c}pcx-111aaa111\u{201d}, space: There is no space with the id \u{201c}nope\u{201d}. Valid: acme-prod."
        );
        assert_eq!(
            e[2],
            "question \u{201c}q-warehouse\u{201d}, to: There is no VPC host with the id \u{201c}nope\u{201d}. Valid: warehouse."
        );
        assert_eq!(
            e[3],
            "question \u{201c}q-office-api\u{201d}, to: The app \u{201c}api\u{201d} has no process type \u{201c}nope\u{201d}. Valid: web and worker."
        );
    }

    #[test]
    fn the_list_of_valid_ids_is_bounded() {
        let (valid, more) = listed((0..25).map(|i| if i % 2 == 0 { "even" } else { "odd" }));
        assert_eq!((valid.len(), more), (MAX_LISTED_REFERENCES, 25 - MAX_LISTED_REFERENCES));
        let c = checked(|v| {
            let apps: Vec<serde_json::Value> = (0..14)
                .map(|i| json!({"id": format!("cr-{i}"), "process_types": [{"name": "web", "dynos": 1}]}))
                .collect();
            v["common_runtime_apps"] = json!(apps);
            v["questions"][0]["from"] = json!({"dyno": {"app": "nope", "process": "web"}});
        });
        let e = errors(&c);
        assert!(
            e[0].ends_with("Valid: api, billing, cr-0, cr-1, cr-2, cr-3, cr-4, cr-5, cr-6, cr-7 and 6 more."),
            "{e:?}"
        );
    }

    #[test]
    fn configuration_expectations_with_unknown_rules_are_errors() {
        let c = checked(|v| v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT"}, {"rule": "NOPE", "object": "x"}]));
        assert_eq!(c.expected_diagnostics.len(), 1);
        assert_eq!(c.expected_diagnostics[0].rule, R::PeerLimit);
        assert_eq!(
            errors(&c),
            ["configuration expectation \u{201c}#2\u{201d}, rule: \u{201c}NOPE\u{201d} is not a rule ID."]
        );
    }
}
