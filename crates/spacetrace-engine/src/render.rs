//! The one place where engine data becomes English. The app and the command-line tool both show
//! what these functions return, so a message reads the same everywhere.

use crate::cidr::{AddressCount, CidrInfo, PrivateRange};
use crate::diagnostics::{
    Diagnostic, DiagnosticKind, EndKind, FirFeature, LeftOut, Location, ObjectKind, ReferenceKind, ReferenceProblem,
};

/// One sentence that says what is wrong and, where it helps, what to type instead.
/// Located diagnostics start with where they are (see [`diagnostic_with_location`]).
pub fn diagnostic(d: &Diagnostic) -> String {
    use DiagnosticKind as K;
    match &d.kind {
        K::CidrEmpty => "Enter a CIDR block, for example 10.0.0.0/16.".to_owned(),
        K::CidrTooLong { length, max } => format!("That is {length} characters long; a CIDR block has at most {max}."),
        K::CidrMissingPrefix { input } => {
            format!("{} has no prefix length: add one, for example {input}/24.", q(input))
        }
        K::CidrBadAddress { address, .. } => format!("{} is not an IPv4 or IPv6 address.", q(address)),
        K::CidrBadPrefix { prefix, max, .. } => {
            format!("The prefix length {} must be a whole number from 0 to {max}.", q(prefix))
        }
        K::CidrHostBitsSet { input, network } => format!("{input} has host bits set; the block it names is {network}."),
        K::BadAddress { input } => format!("{} is not an IP address.", q(input)),
        K::NotIpv4 { input } => format!("{} is IPv6; only IPv4 is possible here.", q(input)),
        K::BadPortRange { input } => {
            format!("{} is not a port range: write a port (5432), a range (1024-65535) or all.", q(input))
        }
        K::PortZero => "Port 0 cannot be used: give a port from 1 to 65535.".to_owned(),
        K::NotJson { message, line, column } => {
            format!("This is not a Spacetrace scenario: {message} (line {line}, column {column}).")
        }
        K::DocumentTooLarge { bytes, max } => {
            format!("The file is {} long; Spacetrace opens scenarios of up to {}.", byte_size(*bytes), byte_size(*max))
        }
        K::TooMany { what, count, max } => {
            let what = match what {
                ObjectKind::App => "Common Runtime apps",
                other => object_kinds(*other),
            };
            format!("There are {count} {what}; Spacetrace handles at most {max}.")
        }
        K::DynoSubnetsFull { capacity, app, process } => format!(
            "The dyno subnets hold {capacity} dyno addresses, fewer than the space's apps run: from {process} of {} on, dynos have no address. Give the space more dyno subnets or fewer dynos.",
            q(app)
        ),
        K::TooManyIn { what, count, max } => {
            format!("There are {count} {} here; Spacetrace takes in the first {max}.", collection(*what))
        }
        K::Unreadable { left_out, message } => {
            let what = match (left_out, d.location.as_ref().map(|l| l.kind)) {
                (LeftOut::Field, _) => "the field takes its default".to_owned(),
                (LeftOut::Entry, _) => "that entry is left out".to_owned(),
                (LeftOut::Object, Some(kind)) => format!("the {} is left out", object_kind(kind)),
                (LeftOut::Object, None) => "it is left out".to_owned(),
            };
            format!("This cannot be read ({}); {what}.", reader_message(message))
        }
        K::MissingVersion => "The document has no version; it is read as version 1.".to_owned(),
        K::UnsupportedVersion { found, supported } => {
            let versions = match supported {
                0 | 1 => "version 1".to_owned(),
                2 => "versions 1 and 2".to_owned(),
                n => format!("versions 1 to {n}"),
            };
            format!(
                "This scenario is format version {found}, but this Spacetrace reads {versions} only: open it with the Spacetrace that wrote it."
            )
        }
        K::UnknownField { name } => {
            format!("The field {} is not part of the scenario format; it is kept but ignored.", q(name))
        }
        K::MissingId => "This object has no id, so nothing can refer to it; it is left out.".to_owned(),
        K::DuplicateId { id } => format!("The id {} is used twice; the second object is left out.", q(id)),
        K::BadName { length, max } => format!("The name is {length} characters long; names must have 1 to {max}."),
        K::DanglingReference { id, expected, within, valid, more } => {
            let kind = object_kind(*expected);
            let missing = match (id.is_empty(), expected, within) {
                (true, _, _) => format!("No {kind} is given here."),
                (false, ObjectKind::ProcessType, Some(app)) => {
                    format!("The app {} has no process type {}.", q(app), q(id))
                }
                (false, _, Some(within)) => format!("There is no {kind} with the id {} in {}.", q(id), q(within)),
                (false, _, None) => format!("There is no {kind} with the id {}.", q(id)),
            };
            let kinds = object_kinds(*expected);
            let mut ids = valid.clone();
            if *more > 0 {
                ids.push(format!("{more} more"));
            }
            match (ids.is_empty(), within) {
                (true, Some(within)) => format!("{missing} {} has no {kinds}.", capitalise(&q(within))),
                (true, None) => format!("{missing} The document has no {kinds}."),
                (false, _) => format!("{missing} Valid: {}.", list(ids)),
            }
        }
        K::DuplicateProcess { name } => {
            format!("The process type {} is listed twice; the second is left out.", q(name))
        }
        K::BadRuleReference { reference, kind, problem, valid, more } => {
            let what = match (kind, problem) {
                (ReferenceKind::PrefixList, _) => format!("No prefix list has the id {}", q(reference)),
                (ReferenceKind::SecurityGroup, ReferenceProblem::Unknown) => {
                    format!("No security group has the id {}", q(reference))
                }
                (ReferenceKind::SecurityGroup, ReferenceProblem::NotPeered { vpc }) => format!(
                    "{} is a security group of {vpc}, which no active VPC peering joins to this VPC",
                    q(reference)
                ),
                (ReferenceKind::SecurityGroup, ReferenceProblem::OtherRegion { vpc, region }) => format!(
                    "{} is a security group of {vpc}, peered with this VPC from another region ({region}), and security group references do not cross regions",
                    q(reference)
                ),
            };
            let mut ids = valid.clone();
            if *more > 0 {
                ids.push(format!("{more} more"));
            }
            let can = match (kind, ids.is_empty()) {
                (ReferenceKind::PrefixList, true) => "The document declares no prefix list a rule can name.".to_owned(),
                (ReferenceKind::PrefixList, false) => format!("Prefix lists a rule can name: {}.", list(ids)),
                (ReferenceKind::SecurityGroup, true) => "No security group can be named here: a rule names this VPC's groups, or those of a VPC peered with it in the same region, by IDs starting with sg-.".to_owned(),
                (ReferenceKind::SecurityGroup, false) => format!(
                    "Security groups a rule here can name (this VPC's, and those of VPCs peered with it in the same region): {}.",
                    list(ids)
                ),
            };
            format!("{what}; the rule is left out. {can}")
        }
        K::UnreferenceablePrefixList { id } => format!(
            "Security group rules name a prefix list by an ID starting with pl-, so no rule can name {}.",
            q(id)
        ),
        K::FirUnavailable { feature } => {
            let (what, it) = match feature {
                FirFeature::Peering => ("VPC peering is", "it"),
                FirFeature::Vpn => ("VPN connections are", "them"),
                FirFeature::InternalRouting => ("Internal Routing is", "it"),
                FirFeature::TrustedIpRanges => ("Custom trusted IP ranges are", "them"),
                FirFeature::Shield => ("Shield is", "it"),
            };
            format!("{what} not available for Fir spaces; Spacetrace ignores {it} here.")
        }
        K::InternalRoutingOutsideSpace => {
            "Internal Routing exists only for apps in Cedar Private Spaces; it is ignored for this app.".to_owned()
        }
        // The checker reports a space CIDR too small for /20 dyno subnets with both fields equal.
        K::DynoSubnetOutsideSpace { subnet, space_cidr } if subnet == space_cidr => format!(
            "The space CIDR {space_cidr} is too small: dynos get addresses from /20 subnets, so it must be a /20 or larger; 10.0.0.0/16 is used instead."
        ),
        K::DynoSubnetOutsideSpace { subnet, space_cidr } => {
            format!("The dyno subnet {subnet} is not a /20 inside the space CIDR {space_cidr}.")
        }
        K::TooManyTrustedRanges { count, max } => {
            format!(
                "{count} trusted IP ranges are listed; a space has at most {max}, so the ones past the {max}th are ignored."
            )
        }
        K::TooManyPeerings { count, max } => format!(
            "{count} VPCs are peered with this space; a space has at most {max}, so this peering carries nothing (ask Heroku support for more)."
        ),
        K::VpcNotPrivate { cidr } => format!(
            "The VPC's CIDR {cidr} is not private: a peered VPC must use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, so this peering carries nothing."
        ),
        K::VpcOverlapsSpace { vpc_cidr, space_range } => format!(
            "The VPC's CIDR {vpc_cidr} overlaps {space_range}, which the space uses or reserves, so this peering carries nothing: renumber the VPC."
        ),
        K::VpnOverlapsSpace { routable, space_cidr } => {
            format!(
                "The routable CIDR {routable} overlaps the space CIDR {space_cidr} and cannot be routed through the VPN."
            )
        }
        K::NoOutboundIps => {
            "No stable outbound IPs are listed, so Spacetrace cannot check allowlists against them.".to_owned()
        }
        K::SubnetOutsideVpc { subnet } => format!("The subnet {subnet} is outside the VPC's CIDR blocks."),
        K::HostOutsideSubnet { address, subnet } => format!("The address {address} is outside its subnet {subnet}."),
        K::RemoteHostOutsideNetwork { address } => {
            format!("The address {address} is outside the remote network's CIDRs.")
        }
        K::DuplicateAclRuleNumber { number } => {
            format!("Rule number {number} is used twice in one direction; the second is left out.")
        }
        K::QuestionOutOfScope { from, to } => format!(
            "Spacetrace answers questions that start or end on Heroku; from {} to {} is outside what it models.",
            end_kind(*from),
            end_kind(*to)
        ),
        K::NoPort => "No port was given: give a port from 1 to 65535.".to_owned(),
        K::LocalhostNeedsDyno => "Only a dyno can connect to localhost (another process in the same dyno).".to_owned(),
        K::NoSuchDyno { app, process, dyno, dynos } => match dynos {
            0 | 1 => format!("{app} runs no dyno {process}.{dyno}; the only one to name is {process}.1."),
            2 => format!("{app} runs no dyno {process}.{dyno}; valid: {process}.1 and {process}.2."),
            n => format!("{app} runs no dyno {process}.{dyno}; valid: {process}.1 to {process}.{n}."),
        },
        K::UnknownRule { rule } => format!("{} is not a rule ID.", q(rule)),
    }
}

/// The diagnostic's sentence, preceded by where it is (`space “main”, cidr: …`).
pub fn diagnostic_with_location(d: &Diagnostic) -> String {
    match &d.location {
        Some(l) => format!("{}: {}", location(l), diagnostic(d)),
        None => diagnostic(d),
    }
}

/// Why the question being drafted cannot be asked, in one sentence that says what to change: a
/// port that is missing or 0, `localhost` from something that is not a dyno, an end that is no
/// longer in the network (deleted or renamed), a pair Spacetrace does not model.
pub fn unasked(e: &crate::query::QueryError) -> String {
    use crate::query::QueryError as E;
    match e {
        E::Unknown { field, id, expected, .. } => {
            let end = if *field == "from" { "source" } else { "destination" };
            format!(
                "The {end}, the {} {}, is no longer in this network (deleted or renamed): choose another.",
                object_kind(*expected),
                q(id)
            )
        }
        E::PortZero => "No port is given: enter a port from 1 to 65535.".to_owned(),
        E::OutOfScope { .. } => {
            "Spacetrace models connections that start or end on Heroku; pick another pair.".to_owned()
        }
        E::LocalhostNeedsDyno => diagnostic(&Diagnostic::error(DiagnosticKind::LocalhostNeedsDyno)),
        E::NoSuchDyno { app, process, dyno, dynos, .. } => diagnostic(&Diagnostic::error(DiagnosticKind::NoSuchDyno {
            app: app.clone(),
            process: process.clone(),
            dyno: *dyno,
            dynos: *dynos,
        })),
    }
}

/// A capped list, in words (`limits::Collection`).
pub fn collection(c: crate::limits::Collection) -> &'static str {
    use crate::limits::Collection as C;
    match c {
        C::AppsPerSpace => "apps",
        C::AddonsPerSpace => "add-ons",
        C::OutboundIps => "outbound IPs",
        C::TrustedIpRanges => "trusted IP ranges",
        C::DynoSubnets => "dyno subnets",
        C::UnavailableCidrs => "unavailable CIDRs",
        C::ProcessTypesPerApp => "process types",
        C::Ports => "ports",
        C::Allowlist => "allowlist entries",
        C::SecondaryCidrs => "secondary CIDRs",
        C::RouteTablesPerVpc => "route tables",
        C::Routes => "routes",
        C::SecurityGroupsPerVpc => "security groups",
        C::SecurityGroupRules => "rules",
        C::NetworkAclsPerVpc => "network ACLs",
        C::NetworkAclRules => "rules",
        C::SubnetsPerVpc => "subnets",
        C::HostsPerVpc => "hosts",
        C::SecurityGroupsPerHost => "security groups",
        C::PrefixListEntries => "entries",
        C::RemoteCidrs => "CIDRs",
        C::RemoteHosts => "hosts",
        C::FirewallRules => "firewall rules",
        C::RoutableCidrs => "routable CIDRs",
        C::ExpectedRules => "expected rules",
    }
}

/// Where a diagnostic is, in words: `space “main”, cidr`, `question “q-1”`, `document, name`.
pub fn location(l: &Location) -> String {
    let Location { kind, object, field } = l;
    let mut out = object_kind(*kind).to_owned();
    if !object.is_empty() {
        out.push(' ');
        out.push_str(&q(object));
    }
    if !field.is_empty() {
        out.push_str(", ");
        out.push_str(field);
    }
    out
}

/// A kind of object, in the words a person uses ("space", "VPC", "route table").
pub fn object_kind(kind: ObjectKind) -> &'static str {
    object_kind_words(kind).0
}

/// A kind of object, plural ("spaces", "VPCs", "route tables").
pub fn object_kinds(kind: ObjectKind) -> &'static str {
    object_kind_words(kind).1
}

fn object_kind_words(kind: ObjectKind) -> (&'static str, &'static str) {
    use ObjectKind as O;
    match kind {
        O::Document => ("document", "documents"),
        O::InternetClient => ("internet client", "internet clients"),
        O::ExternalService => ("external service", "external services"),
        O::App => ("app", "apps"),
        O::ProcessType => ("process type", "process types"),
        O::Space => ("space", "spaces"),
        O::Addon => ("add-on", "add-ons"),
        O::Vpc => ("VPC", "VPCs"),
        O::RouteTable => ("route table", "route tables"),
        O::SecurityGroup => ("security group", "security groups"),
        O::NetworkAcl => ("network ACL", "network ACLs"),
        O::Subnet => ("subnet", "subnets"),
        O::Host => ("VPC host", "VPC hosts"),
        O::PrefixList => ("prefix list", "prefix lists"),
        O::Peering => ("peering", "peerings"),
        O::VpcPeering => ("VPC peering", "VPC peerings"),
        O::RemoteNetwork => ("remote network", "remote networks"),
        O::RemoteHost => ("remote host", "remote hosts"),
        O::VpnConnection => ("VPN connection", "VPN connections"),
        O::Question => ("question", "questions"),
        O::ConfigurationExpectation => ("configuration expectation", "configuration expectations"),
    }
}

/// A kind of question end, with its article ("a dyno", "an app hostname").
pub fn end_kind(kind: EndKind) -> &'static str {
    match kind {
        EndKind::Dyno => "a dyno",
        EndKind::Host => "a VPC host",
        EndKind::RemoteHost => "a remote host",
        EndKind::Client => "an internet client",
        EndKind::Hostname => "an app hostname",
        EndKind::Discovery => "a DNS service discovery name",
        EndKind::DynoAddress => "a dyno address",
        EndKind::Localhost => "localhost",
        EndKind::Addon => "a data add-on",
        EndKind::External => "an external service",
    }
}

/// The JSON reader's message with the Rust type names it uses said as a person would.
fn reader_message(message: &str) -> String {
    const TYPES: &[(&str, &str)] = &[
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected an object"),
        ("expected a borrowed string", "expected a string"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: map", "invalid type: object"),
        ("invalid type: unit value", "invalid type: null"),
    ];
    let mut out = message.to_owned();
    for (from, to) in TYPES {
        out = out.replace(from, to);
    }
    // `struct Question`, `enum To`: what the format expects there.
    for prefix in ["expected struct ", "expected enum "] {
        if let Some(i) = out.find(prefix) {
            let rest = &out[i + prefix.len()..];
            let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            let what = match &rest[..end] {
                "Question" => "a question (an object)",
                "From" => "a source (an object such as {\"host\": ID})",
                "To" => "a destination (an object such as {\"host\": ID}, or \"localhost\")",
                "Expectation" => "an expectation (an object)",
                "Listen" => "a port (an object)",
                "Route" => "a route (an object)",
                _ => "an object",
            };
            out = format!("{}expected {what}{}", &out[..i], &rest[end..]);
        }
    }
    out
}

/// One graded line of a lab (a saved question or a configuration expectation), as the CLI's
/// `check`, the app and the fixture tests show it: data for layout, text from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLine {
    pub standing: crate::lab::Standing,
    /// `✔` held, `✖` differs, `·` no expectation.
    pub mark: &'static str,
    /// The question's ID, or `#n` for a configuration expectation.
    pub id: String,
    /// The question's name, or what the configuration expectation asks for.
    pub title: String,
    /// What it answered, for a line that held or has no expectation (empty otherwise).
    pub summary: String,
    /// For a line that differs, what differs: labelled values (`verdict`, `rules`, `cited`,
    /// `unasked`, `error`, `expected`, `shown`).
    pub details: Vec<(&'static str, String)>,
}

impl GradeLine {
    /// The line as text: `✔ ID  title: summary`, then the details indented under it. `id_width`
    /// pads IDs to line up titles.
    pub fn text(&self, id_width: usize) -> String {
        let id = format!("{:<id_width$}", self.id);
        let head = format!("{} {id}  {}", self.mark, self.title);
        let mut out = if self.summary.is_empty() {
            head.trim_end().to_owned()
        } else {
            format!("{}: {}", head.trim_end(), self.summary)
        };
        for (label, value) in &self.details {
            let _ = write!(out, "\n    {label:<9} {value}");
        }
        out
    }
}

/// The mark of a standing: `✔` held, `✖` differs, `·` no expectation.
pub fn standing_mark(s: crate::lab::Standing) -> &'static str {
    match s {
        crate::lab::Standing::Held => "\u{2714}",
        crate::lab::Standing::Differs => "\u{2716}",
        crate::lab::Standing::NoExpectation => "\u{00b7}",
    }
}

/// How a saved question stands, in a few words ("as expected", "NOT as expected"; `None` with no
/// expectation and no problem).
pub fn standing(s: crate::lab::Standing) -> Option<&'static str> {
    match s {
        crate::lab::Standing::Held => Some("as expected"),
        crate::lab::Standing::Differs => Some("NOT as expected"),
        crate::lab::Standing::NoExpectation => None,
    }
}

fn rule_list(rules: &[RuleId]) -> String {
    rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

/// A graded saved question: what it answered, or exactly what differs.
pub fn graded_question(model: &Model, g: &crate::lab::Graded) -> GradeLine {
    use crate::lab::Mismatch;
    let standing = g.standing();
    let mut line = GradeLine {
        standing,
        mark: standing_mark(standing),
        id: g.id.clone(),
        title: g.name.clone(),
        summary: String::new(),
        details: Vec::new(),
    };
    let answer = g.trace.as_ref().map(|t| {
        let blocked_by = t.blocking_step().map(|s| format!(" (blocked by {})", s.rule)).unwrap_or_default();
        format!("{}{blocked_by}", verdict(t.verdict))
    });
    let errors: Vec<String> = g
        .errors
        .iter()
        .map(|d| match d.location.as_ref().map(|l| l.field.as_str()).filter(|f| !f.is_empty()) {
            Some(field) => format!("{field}: {}", diagnostic(d)),
            None => diagnostic(d),
        })
        .collect();
    if g.passed() {
        line.summary = match (&g.expect, &answer) {
            (Some(e), _) if e.rules.is_empty() => verdict(e.verdict).to_owned(),
            (Some(e), _) => format!("{}; {}", verdict(e.verdict), rule_list(&e.rules)),
            (None, Some(a)) => format!("{a}; no expectation"),
            (None, None) => String::new(),
        };
        return line;
    }
    let Some(t) = &g.trace else {
        // The question cannot be asked of this model: say why, as the diagnostics do.
        if errors.is_empty() {
            line.details.push(("unasked", "see the diagnostics above".to_owned()));
        }
        line.details.extend(errors.into_iter().map(|e| ("unasked", e)));
        return line;
    };
    line.details.push(("question", question(model, &t.query)));
    let answer = answer.unwrap_or_default();
    let wrong_verdict = g.mismatches.iter().find_map(|m| match m {
        Mismatch::Verdict { expected, .. } => Some(*expected),
        _ => None,
    });
    line.details.push((
        "verdict",
        match wrong_verdict {
            Some(expected) => format!("expected {}, got {answer}", verdict(expected)),
            None if g.expect.is_some() => format!("{answer}, as expected"),
            None => answer,
        },
    ));
    for m in &g.mismatches {
        if let (Mismatch::MissingRules(missing), Some(e)) = (m, &g.expect) {
            line.details.push(("rules", format!("expected {}; missing {}", rule_list(&e.rules), rule_list(missing))));
            let cited: Vec<RuleId> = t.rules().into_iter().collect();
            line.details.push(("cited", rule_list(&cited)));
        }
    }
    line.details.extend(errors.into_iter().map(|e| ("error", e)));
    line
}

/// What a configuration expectation asks for: `PEER-LIMIT on “pcx-666”`, `PEER-LIMIT anywhere`.
pub fn configuration_expectation(rule: RuleId, object: Option<&str>) -> String {
    match object {
        Some(o) => format!("{rule} on {}", q(o)),
        None => format!("{rule} anywhere in the document"),
    }
}

/// A graded configuration expectation: the diagnostics that show it, or what was found instead.
pub fn graded_configuration(c: &crate::lab::GradedConfiguration) -> GradeLine {
    let standing = c.standing();
    let mut line = GradeLine {
        standing,
        mark: standing_mark(standing),
        id: c.id.clone(),
        title: configuration_expectation(c.rule, c.object.as_deref()),
        summary: String::new(),
        details: Vec::new(),
    };
    if c.held() {
        line.summary = match c.shown.len() {
            1 => "shown".to_owned(),
            n => format!("shown {n} times"),
        };
        return line;
    }
    line.details.push(("expected", format!("a diagnostic citing {}", line.title)));
    line.details.push((
        "shown",
        match c.elsewhere.as_slice() {
            [] => format!("no diagnostic cites {}", c.rule),
            objects => format!("{} only on {}", c.rule, list(objects.iter().map(|o| q(o)))),
        },
    ));
    line
}

/// The last line of a graded lab: `✔ PASS` or `✖ FAIL`, the errors (expected and not), how many
/// expectations held, and what differs.
pub fn grade_summary(r: &crate::lab::Report) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let rules_of = |ds: Vec<&Diagnostic>| {
        let mut rules: Vec<RuleId> = ds.iter().flat_map(|d| d.rules.iter().copied()).collect();
        rules.sort();
        rules.dedup();
        rule_list(&rules)
    };
    let expected: Vec<&Diagnostic> = r.expected_errors().collect();
    let unexpected: Vec<&Diagnostic> = r.unexpected_errors().collect();
    let refused: Vec<&Diagnostic> = unexpected.iter().copied().filter(|d| !d.rules.is_empty()).collect();
    let mut errors = if expected.is_empty() {
        count(unexpected.len(), "error", "errors")
    } else {
        format!(
            "{} ({}), {} unexpected",
            count(expected.len(), "expected configuration error", "expected configuration errors"),
            rules_of(expected),
            unexpected.len()
        )
    };
    if !refused.is_empty() {
        let _ = write!(errors, " ({} not expected)", rules_of(refused));
    }
    let passed = r.passed();
    let mut out = format!(
        "{} {}: {errors}; {} of {} expectations held",
        if passed { "\u{2714}" } else { "\u{2716}" },
        if passed { "PASS" } else { "FAIL" },
        r.held(),
        r.expectations()
    );
    let differing: Vec<String> = r
        .questions
        .iter()
        .filter(|g| !g.passed())
        .map(|g| g.id.clone())
        .chain(r.configuration.iter().filter(|c| !c.held()).map(|c| format!("expected diagnostic {}", c.id)))
        .collect();
    if !differing.is_empty() {
        let _ = write!(out, " (differ: {})", differing.join(", "));
    }
    let without = r.without_expectation();
    if without > 0 {
        let _ = write!(out, "; {without} without an expectation");
    }
    out
}

/// A value in curly quotes.
fn q(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

fn byte_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// "65,536 addresses", "1 address", or "2^128 addresses" when the count is too large to print.
pub fn address_count(count: AddressCount) -> String {
    match count.exact() {
        Some(1) => "1 address".to_owned(),
        Some(n) => format!("{} addresses", group_thousands(n)),
        None => format!("2^{} addresses", count.exponent),
    }
}

/// Whether a block is private, in words.
pub fn private_range(range: Option<PrivateRange>) -> String {
    match range {
        Some(r) => format!("Private: inside {} (RFC 1918)", r.net()),
        None => "Not private: outside the RFC 1918 ranges".to_owned(),
    }
}

/// A CIDR block described as label and value rows, in display order.
pub fn cidr_rows(info: &CidrInfo) -> Vec<(&'static str, String)> {
    vec![
        ("Network", info.network.to_string()),
        ("Range", format!("{} \u{2013} {}", info.first, info.last)),
        ("Size", address_count(info.size)),
        ("RFC 1918", private_range(info.private_range)),
    ]
}

fn group_thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ----- traces -------------------------------------------------------------------------------

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::capabilities::Feature;
use crate::check::MAX_PEERINGS;
use crate::doc::{Generation, PeeringStatus, Protocol, RuleProtocol};
use crate::model::{AclDecision, AppIx, Blackhole, Model, Port, PortRange, RemoteIx, SpaceIx, VpcIx};
use crate::query::{Dst, Query, Src};
use crate::rules::RuleId;
use crate::trace::{
    Component, ComponentKind, Decision, Detail, Direction, Fix, Inside, Part, SeenAs, SgVia, Source, Step, Trace,
    Verdict, Workaround,
};

/// "connected" or "blocked".
pub fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Connected => "connected",
        Verdict::Blocked => "blocked",
    }
}

/// "TCP 443".
pub fn port(protocol: Protocol, port: u16) -> String {
    format!("{} {port}", protocol_name(protocol))
}

fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "TCP",
        Protocol::Udp => "UDP",
    }
}

fn rule_protocol(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "TCP",
        RuleProtocol::Udp => "UDP",
        RuleProtocol::All => "all protocols",
    }
}

fn ports(r: PortRange) -> String {
    if r == PortRange::ALL {
        "all ports".to_owned()
    } else if r.lo == r.hi {
        format!("port {}", r.lo)
    } else {
        format!("ports {}-{}", r.lo, r.hi)
    }
}

fn listen(p: &Port) -> String {
    port(p.protocol, p.port)
}

/// "a, b or c".
fn list_or(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.len() {
        0 => "nothing".to_owned(),
        1 => items[0].clone(),
        n => format!("{} or {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.len() {
        0 => "nothing".to_owned(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// The source end of a question, in words.
pub fn source(model: &Model, q: &Query) -> String {
    src_label_dyno(model, q.src(), q.src_dyno())
}

/// A question's source, in words.
pub fn src_label(model: &Model, src: Src) -> String {
    src_label_dyno(model, src, 1)
}

fn src_label_dyno(model: &Model, src: Src, dyno: u32) -> String {
    match src {
        Src::Dyno { app, process } => {
            let a = model.app(app);
            let p = a.processes.get(process).map_or("?", |p| p.name.as_str());
            format!("{p}.{dyno} of {}", a.name)
        }
        Src::Host(h) => format!("{} ({})", model.host(h).name, model.host(h).address),
        Src::RemoteHost(h) => format!("{} ({})", model.remote_host(h).name, model.remote_host(h).address),
        Src::Client(c) => format!("{} ({})", model.clients[c.ix()].name, model.clients[c.ix()].cidr),
    }
}

/// The destination of a question, in words.
pub fn destination(model: &Model, q: &Query) -> String {
    dst_label_dyno(model, q.dst(), q.dst_dyno())
}

/// A question's destination, in words.
pub fn dst_label(model: &Model, dst: Dst) -> String {
    dst_label_dyno(model, dst, 1)
}

fn dst_label_dyno(model: &Model, dst: Dst, dyno: u32) -> String {
    let proc_name =
        |a: crate::model::AppIx, p: usize| model.app(a).processes.get(p).map_or("?", |p| p.name.as_str()).to_owned();
    match dst {
        Dst::Hostname(a) => model.app(a).hostname(),
        Dst::Discovery { app, process } => {
            format!("{}.{}.app.localspace", proc_name(app, process), model.app(app).name)
        }
        Dst::DynoAddress { app, process } => {
            let a = model.app(app);
            match a.processes.get(process).and_then(|p| p.dyno_address(dyno)) {
                Some(addr) => format!("{}.{dyno} of {} at {addr}", proc_name(app, process), a.name),
                None => format!("{}.{dyno} of {}", proc_name(app, process), a.name),
            }
        }
        Dst::Localhost => "localhost".to_owned(),
        Dst::Addon(x) => model.addon(x).name.clone(),
        Dst::Host(h) => format!("{} ({})", model.host(h).name, model.host(h).address),
        Dst::RemoteHost(h) => format!("{} ({})", model.remote_host(h).name, model.remote_host(h).address),
        Dst::External(s) => format!("{} ({})", model.services[s.ix()].name, model.services[s.ix()].hostname),
    }
}

/// A source in a few words, for a matrix's row: the app and process, or the object's name.
pub fn src_short(model: &Model, src: Src) -> String {
    match src {
        Src::Dyno { app, process } => {
            let a = model.app(app);
            format!("{} {}", a.name, a.processes.get(process).map_or("?", |p| p.name.as_str()))
        }
        Src::Host(h) => model.host(h).name.clone(),
        Src::RemoteHost(h) => model.remote_host(h).name.clone(),
        Src::Client(c) => model.clients[c.ix()].name.clone(),
    }
}

/// A destination service in a few words, for a matrix's column: what it is and its port.
pub fn service_short(model: &Model, dst: Dst, port: u16) -> String {
    let process = |a: crate::model::AppIx, p: usize| model.app(a).processes.get(p).map_or("?", |p| p.name.as_str());
    let what = match dst {
        Dst::Hostname(a) => format!("{} hostname", model.app(a).name),
        Dst::Discovery { app, process: p } => format!("{} {} (DNS)", model.app(app).name, process(app, p)),
        Dst::DynoAddress { app, process: p } => format!("{} {}", model.app(app).name, process(app, p)),
        Dst::Localhost => "localhost".to_owned(),
        Dst::Addon(x) => model.addon(x).name.clone(),
        Dst::Host(h) => model.host(h).name.clone(),
        Dst::RemoteHost(h) => model.remote_host(h).name.clone(),
        Dst::External(s) => model.services[s.ix()].name.clone(),
    };
    format!("{what} :{port}")
}

/// "From web.1 of api to db (10.100.1.5), TCP 5432".
pub fn question(model: &Model, q: &Query) -> String {
    format!("From {} to {}, {}", source(model, q), destination(model, q), port(q.protocol(), q.port()))
}

/// The kind of a hop's component, in words.
pub fn component_kind(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Dyno => "dyno",
        ComponentKind::InternetClient => "internet client",
        ComponentKind::VpcHost => "VPC host",
        ComponentKind::RemoteHost => "remote host",
        ComponentKind::Dns => "DNS",
        ComponentKind::Router => "router",
        ComponentKind::TrustedIpFilter => "trusted IP filter",
        ComponentKind::PrivateNetwork => "private network",
        ComponentKind::NatGateway => "NAT gateway",
        ComponentKind::Internet => "internet",
        ComponentKind::Peering => "peering",
        ComponentKind::RouteTable => "route table",
        ComponentKind::NetworkAcl => "network ACL",
        ComponentKind::SecurityGroup => "security group",
        ComponentKind::VpnTunnel => "VPN tunnel",
        ComponentKind::RemoteFirewall => "remote firewall",
        ComponentKind::Addon => "data add-on",
        ComponentKind::ExternalService => "external service",
    }
}

/// A hop's component by name: `router for acme-api`, `worker.1 (acme-api)`, `rtb-0a1b (private)`.
/// An index the model does not hold gives an empty name rather than a panic.
pub fn component(model: &Model, c: &Component) -> String {
    let app = |a: AppIx| model.apps.get(a.ix());
    let app_name = |a: AppIx| app(a).map_or(String::new(), |x| x.name.clone());
    let space_name = |s: SpaceIx| model.spaces.get(s.ix()).map_or(String::new(), |x| x.name.clone());
    let vpc = |v: VpcIx| model.vpcs.get(v.ix());
    let remote = |r: RemoteIx| model.remotes.get(r.ix());
    let remote_name = |r: RemoteIx| remote(r).map_or(String::new(), |x| x.name.clone());
    let process_name = |a: AppIx, p: usize| app(a).and_then(|x| x.processes.get(p)).map(|p| p.name.clone());
    match c.part {
        Part::Internet => "public internet".to_owned(),
        Part::Client { client } => model.clients.get(client.ix()).map_or(String::new(), |x| x.name.clone()),
        Part::App { app: a } => match c.kind {
            ComponentKind::Dns => app(a).map_or(String::new(), |x| x.hostname()),
            ComponentKind::Router => format!("router for {}", app_name(a)),
            _ => app_name(a),
        },
        Part::Web { app: a } => format!("web ({})", app_name(a)),
        Part::Dyno { app: a, process, dyno } => match process_name(a, process) {
            Some(p) => format!("{p}.{dyno} ({})", app_name(a)),
            None => app_name(a),
        },
        Part::Discovery { app: a, process } => {
            app(a).map_or(String::new(), |x| x.discovery_name(&process_name(a, process).unwrap_or_default()))
        }
        Part::Space { space } => {
            let name = space_name(space);
            match c.kind {
                ComponentKind::TrustedIpFilter => format!("trusted IP ranges of {name}"),
                ComponentKind::NatGateway => format!("NAT gateway of {name}"),
                ComponentKind::Peering => format!("peering of {name}"),
                ComponentKind::VpnTunnel => format!("VPN of {name}"),
                _ => name,
            }
        }
        Part::Addon { addon } => model.addons.get(addon.ix()).map_or(String::new(), |x| x.name.clone()),
        Part::Service { service } => model.services.get(service.ix()).map_or(String::new(), |x| x.name.clone()),
        Part::Vpc { vpc: v } => {
            let name = vpc(v).map_or(String::new(), |x| x.name.clone());
            match c.kind {
                ComponentKind::Internet => format!("internet, from {name}"),
                ComponentKind::Peering => format!("no peering to {name}"),
                _ => name,
            }
        }
        Part::Subnet { vpc: v, subnet } => {
            let name = vpc(v).and_then(|x| x.subnets.get(subnet)).map_or(String::new(), |x| x.name.clone());
            match c.kind {
                ComponentKind::RouteTable => format!("route table of {name}"),
                _ => name,
            }
        }
        Part::RouteTable { vpc: v, table } => {
            vpc(v).and_then(|x| x.route_tables.get(table)).map_or(String::new(), |x| x.name.clone())
        }
        Part::NetworkAcl { vpc: v, acl } => {
            vpc(v).and_then(|x| x.network_acls.get(acl)).map_or(String::new(), |x| x.name.clone())
        }
        Part::Host { host } => {
            let Some(h) = model.hosts.get(host.ix()) else { return String::new() };
            match c.kind {
                ComponentKind::SecurityGroup => {
                    let groups: Vec<&str> = vpc(h.vpc)
                        .map(|v| {
                            h.security_groups
                                .iter()
                                .filter_map(|g| v.security_groups.get(*g))
                                .map(|g| g.name.as_str())
                                .collect()
                        })
                        .unwrap_or_default();
                    if groups.is_empty() { format!("security groups of {}", h.name) } else { groups.join(", ") }
                }
                _ => h.name.clone(),
            }
        }
        Part::Peering { peering } => model.peerings.get(peering.ix()).map_or(String::new(), |x| x.id.clone()),
        Part::Remote { remote: r } => match c.kind {
            ComponentKind::Internet => format!("internet, from {}", remote_name(r)),
            ComponentKind::VpnTunnel => format!("no VPN to {}", remote_name(r)),
            ComponentKind::RemoteFirewall => {
                remote(r).and_then(|x| x.firewall.as_ref()).map_or(String::new(), |f| f.name.clone())
            }
            _ => remote_name(r),
        },
        Part::RemoteHost { host } => model.remote_hosts.get(host.ix()).map_or(String::new(), |x| x.name.clone()),
        Part::Vpn { vpn } => model.vpns.get(vpn.ix()).map_or(String::new(), |x| x.name.clone()),
    }
}

fn public_source(s: &Source) -> String {
    match s {
        Source::CommonRuntime => "an unpredictable Common Runtime address".to_owned(),
        Source::OutboundIps { ips } if ips.is_empty() => "the source space's outbound IPs (none listed)".to_owned(),
        Source::OutboundIps { ips } if ips.len() == 1 => format!("the source space's outbound IP {}", ips[0]),
        Source::OutboundIps { ips } => {
            format!("the source space's outbound IPs {}", list(ips.iter().map(|i| i.to_string())))
        }
        Source::Net { net } if net.prefix_len() == net.max_prefix_len() => net.addr().to_string(),
        Source::Net { net } => net.to_string(),
        Source::Unknown => "an unknown public address".to_owned(),
    }
}

fn dir(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

/// One step's facts as a sentence.
pub fn detail(d: &Detail) -> String {
    use Detail as D;
    match d {
        D::CrDyno { process, dyno, address, .. } => match address {
            Some(a) => format!("{process}.{dyno} runs in the Common Runtime; its eth0 is {a} in its own /30 of 172.16.0.0/12."),
            None => format!("{process}.{dyno} runs in the Common Runtime in its own /30 of 172.16.0.0/12."),
        },
        D::SpaceDyno { process, dyno, address, subnet, .. } => match (address, subnet) {
            (Some(a), Some(n)) => format!("{process}.{dyno} has the private address {a}, in the dyno subnet {n}."),
            (Some(a), None) => format!("{process}.{dyno} has the private address {a}."),
            _ => format!("{process}.{dyno} runs in the space."),
        },
        D::OwnAddress { process, dyno, address, port } => match address {
            Some(a) => format!(
                "{a} is {process}.{dyno}'s own address: the dyno talks to itself on port {port}, as its processes do on localhost; no firewall stands between a dyno and itself."
            ),
            None => format!(
                "That is {process}.{dyno}'s own address: the dyno talks to itself on port {port}, as its processes do on localhost; no firewall stands between a dyno and itself."
            ),
        },
        D::NoDynos { app, process } => format!("{process} of {app} is scaled to 0 dynos: nothing runs to connect."),
        D::NoSuchProcess { app, process } => {
            format!("{app} has no process type number {}: nothing runs to connect.", process + 1)
        }
        D::NoDynoAddress { app, process, dyno } => format!(
            "{process}.{dyno} of {app} has no address here (Spacetrace gives addresses to the first 64 dynos of a process), so nothing can be routed from it."
        ),
        D::Localhost { port } => format!("Processes in one dyno reach each other on localhost, here on port {port}."),
        D::CrIsolated { app } => format!("{app} runs in the Common Runtime, where every dyno is firewalled off from every other."),
        D::OnlyRouterFromOutside { app } => {
            format!("From outside its space, {app} is reached only through the router at its hostname, never at a dyno address.")
        }
        D::DiscoveryResolves { name, address } => match address {
            Some(a) => format!("{name} resolves to {a}: a direct connection, with no router, logging or TLS termination."),
            None => format!("{name} resolves to no address."),
        },
        D::DiscoveryNotInFir { name } => format!("{name} does not resolve: DNS service discovery is not available in Fir spaces."),
        D::DiscoveryOnlyInsideSpace { name } => format!("{name} resolves only for dynos inside the same space."),
        D::OtherSpace { from, to } => format!("{from} has no private path to {to}; spaces reach each other only over the internet."),
        D::SpaceOverInternet { from, to } => {
            format!("{from} reaches {to} over the internet: spaces have no private path to each other.")
        }
        D::Offered { space, generation, feature } => {
            let generation = match generation {
                Generation::Cedar => "Cedar",
                Generation::Fir => "Fir",
            };
            match feature {
                Feature::Peering => format!("{space} is a {generation} space, which can be peered with a VPC."),
                Feature::Vpn => format!("{space} is a {generation} space, which can have VPN connections."),
                Feature::DirectInbound => format!(
                    "{space} is a {generation} space: peered and VPN-connected networks reach its dynos directly, by address."
                ),
                Feature::DnsDiscovery => format!("{space} is a {generation} space, which offers DNS service discovery."),
                Feature::InternalRouting => format!("{space} is a {generation} space, which offers Internal Routing."),
                Feature::CustomTrustedIps => {
                    format!("{space} is a {generation} space, whose trusted IP ranges can be chosen.")
                }
                Feature::Shield => format!("{space} is a {generation} space, which can be a Shield space."),
            }
        }
        D::PrivateNetwork { space } => format!("Inside {space}, every dyno and data add-on shares one private network."),
        D::Listening { name, app, port } => format!("{} listens on {}.", of_app(name, app), listen(port)),
        D::NotListening { name, app, port, listening } => format!(
            "{} does not listen on {}; it listens on {}.",
            of_app(name, app),
            listen(port),
            list(listening.iter().map(listen))
        ),
        D::PublicDns { hostname } => format!("{hostname} resolves to the public router."),
        D::PrivateDns { hostname, endpoint } => match endpoint {
            Some(e) => format!("{hostname} resolves to the private address {e} (Internal Routing)."),
            None => format!("{hostname} resolves to a private address in the space (Internal Routing)."),
        },
        D::WebDynosRunning { hostname, count } => format!(
            "{count} web dyno{} run{}, so {hostname} resolves.",
            if *count == 1 { "" } else { "s" },
            if *count == 1 { "s" } else { "" }
        ),
        D::NoWebDynoNoDns { hostname } => format!("No web dyno runs, so {hostname} does not resolve."),
        D::RouterPort { protocol, port: p, accepted: true } => format!("The router accepts {}.", port(*protocol, *p)),
        D::RouterPort { protocol, port: p, accepted: false } => {
            format!("The router accepts only TCP 80 (HTTP) and 443 (HTTPS), not {}.", port(*protocol, *p))
        }
        D::InternalCaller { app, from } => format!(
            "{app} uses Internal Routing and takes this request, which comes {}.",
            match from {
                Inside::Space => "from its own space",
                Inside::PeeredVpc => "from a peered VPC",
                Inside::Vpn => "through a VPN connection",
            }
        ),
        D::InternalOnly { app } => format!(
            "{app} uses Internal Routing: it takes web traffic only from its own space, peered VPCs and VPN-connected networks."
        ),
        D::Trusted { source, matched, .. } => {
            let who = capitalise(&public_source(source));
            let many = matches!(source, Source::OutboundIps { ips } if ips.len() > 1);
            match matched {
                // Several outbound IPs may each match a different range; `matched` is the first one's.
                Some(m) if many && m.prefix_len() > 0 => format!("{who} are all inside the trusted ranges."),
                Some(m) if many => format!("{who} are inside the trusted range {m}."),
                Some(m) => format!("{who} is inside the trusted range {m}."),
                None if many => format!("{who} are trusted."),
                None => format!("{who} is trusted."),
            }
        }
        D::NotTrusted { source, missing } if missing.is_empty() => {
            format!("{} cannot be matched against the trusted IP ranges.", capitalise(&public_source(source)))
        }
        D::NotTrusted { source: source @ Source::OutboundIps { ips }, missing } if ips.len() > 1 => {
            let who = capitalise(&public_source(source));
            if missing.len() >= ips.len() {
                format!("{who} are all outside the trusted IP ranges.")
            } else {
                let outside = list(missing.iter().map(|m| m.addr().to_string()));
                let verb = if missing.len() == 1 { "is" } else { "are" };
                format!("{who} are not all trusted: {outside} {verb} outside every trusted IP range.")
            }
        }
        D::NotTrusted { source, .. } => {
            format!("{} is not inside any trusted IP range.", capitalise(&public_source(source)))
        }
        D::TrustedDefault => "The space keeps the default trusted range 0.0.0.0/0.".to_owned(),
        D::FirTrustsAll => "Fir spaces admit every address (0.0.0.0/0 and ::/0).".to_owned(),
        D::CrCannotBeAllowlisted => {
            "A Common Runtime dyno's public address is unpredictable, so no allowlist can admit it reliably.".to_owned()
        }
        D::ForwardToWeb { app, web_port, dynos, web_port_assumed } => format!(
            "The router forwards to the web process of {app} on $PORT ({web_port}{}), {dynos} dyno{}.",
            if *web_port_assumed { ", assumed" } else { "" },
            if *dynos == 1 { "" } else { "s" }
        ),
        D::CrOutbound => "Common Runtime dynos may open connections to the internet.".to_owned(),
        D::Nat { ips } if ips.is_empty() => "Leaves through the space's NAT gateway (outbound IPs not listed).".to_owned(),
        D::Nat { ips } => format!("Leaves through the space's NAT gateway from {}.", list(ips.iter().map(|i| i.to_string()))),
        D::AddonReached { addon, port } => format!("{addon} accepts connections from the space's dynos on port {port}."),
        D::OnlySpaceDynos { addon } => format!("{addon} is reachable only from the dynos of its own space."),
        D::NoPrivatePath => "The destination has a private address, and the Common Runtime reaches only the internet.".to_owned(),
        D::FirNoPeering => "Fir spaces cannot be peered with a VPC.".to_owned(),
        D::FirNoVpn => "Fir spaces cannot have VPN connections.".to_owned(),
        D::NoPeering { vpc } => format!("The space has no peering connection with {vpc}."),
        D::NotTransitive { via_vpc, via_peering } => format!(
            "The space reaches {via_vpc} through {via_peering}, but peering is not transitive: networks peered to {via_vpc} are out of reach."
        ),
        D::PeeringRefused { peering } => format!("{peering} cannot carry traffic: the platform refuses its configuration."),
        D::PeeringState { peering, status } => match status {
            PeeringStatus::Active => format!("{peering} is active."),
            PeeringStatus::PendingAcceptance => format!("{peering} is pending acceptance and carries nothing yet."),
            PeeringStatus::Deleted => format!("{peering} is deleted and carries nothing."),
        },
        D::PrimaryCidr { address, primary, inside: true } => format!("{address} is in the VPC's primary CIDR {primary}."),
        D::PrimaryCidr { address, primary, inside: false } => format!(
            "{address} is outside the VPC's primary CIDR {primary}; secondary CIDR blocks are not reachable from the space."
        ),
        D::Route { table, destination, matched, target, wanted, blackhole } => match (matched, target) {
            (Some(m), Some(_)) if *blackhole == Some(Blackhole::Declared) => {
                format!("{table} routes {destination} by {m} to a blackhole: the traffic is dropped.")
            }
            (Some(m), Some(t)) if *blackhole == Some(Blackhole::TargetDeleted) => format!(
                "{table} routes {destination} by {m} to {t}, which is deleted: the route is a blackhole and drops the traffic."
            ),
            (Some(m), Some(t)) if t == wanted => format!("{table} routes {destination} by {m} through {t}."),
            (Some(m), Some(t)) => format!("{table} routes {destination} by {m} to {t}, not through {wanted}."),
            _ => format!(
                "{table} has no route for {destination}, so traffic for the space, replies included, cannot go through {wanted}."
            ),
        },
        D::NoRouteTable { subnet } => format!("{subnet} has no route table."),
        D::MainRouteTable { subnet, table } => {
            format!("{subnet} is associated with no route table, so it uses the VPC's main route table, {table}.")
        }
        D::RouteReachesEndpoint { table, endpoint, matched } => format!(
            "{table} routes the Internal Routing endpoint {endpoint}, outside the dyno /20s, by {matched}."
        ),
        D::RouteMissesEndpoint { table, endpoint } => format!(
            "{table} routes the dyno /20s but not the Internal Routing endpoint {endpoint}: route the whole space CIDR."
        ),
        D::Acl { acl, direction, protocol, ports: p, address, decision } => {
            let what = format!("{} {} {} {}", dir(*direction), protocol_name(*protocol), ports(*p), fromto(*direction, *address));
            // Replies go back to the ephemeral ports; a request is always to a single port.
            let reply = *p == PortRange::EPHEMERAL;
            let what = if reply { format!("the replies, {what}") } else { what };
            let stateless = if reply { " Network ACLs are stateless: replies need a rule of their own." } else { "" };
            match decision {
                AclDecision::Allowed { number } => format!("{acl} allows {what} (rule {number})."),
                AclDecision::Denied { number } => format!("{acl} denies {what} (rule {number}).{stateless}"),
                AclDecision::ImplicitDeny => {
                    format!("{acl} has no rule allowing {what}, so the implicit deny applies.{stateless}")
                }
            }
        }
        D::SecurityGroup { direction, protocol, port: p, address, allowed_by, groups, via, referenced } => {
            let what = format!("{} {} {}", dir(*direction), port(*protocol, *p), fromto(*direction, *address));
            let stateful = "(security groups are stateful: replies return)";
            match (allowed_by, via) {
                (Some(g), None) => format!("{g} allows {what} {stateful}."),
                (Some(g), Some(SgVia::PrefixList { id, name, entry })) => {
                    let list_name = if name == id { id.clone() } else { format!("{id} ({name})") };
                    format!("{g} allows {what} by the prefix list {list_name}, whose entry {entry} holds it {stateful}.")
                }
                (Some(g), Some(SgVia::DefaultOutbound)) => format!(
                    "{g} allows {what} by the outbound rule AWS gives a group created without one, all traffic to 0.0.0.0/0 {stateful}."
                ),
                (None, _) if groups.is_empty() => format!("The host has no security group allowing {what}."),
                (None, _) => {
                    let none = format!("{} allow{} no {what}.", list(groups.iter().cloned()), if groups.len() == 1 { "s" } else { "" });
                    if referenced.is_empty() {
                        none
                    } else {
                        format!(
                            "{none} The rules for it admit members of {}, and nothing on Heroku is a member of an AWS security group.",
                            list(referenced.iter().cloned())
                        )
                    }
                }
            }
        }
        D::DynoByAddress { address } => match address {
            Some(a) => format!("The dyno is reached by its address {a}, known in advance: dynos have no public DNS records."),
            None => "The dyno is reached by address: dynos have no public DNS records.".to_owned(),
        },
        D::NoDataAddons => "Software in a peered VPC cannot connect to the space's data services directly.".to_owned(),
        D::PublicHostnameFromVpc { egress: Some(e) } => {
            format!("The app's hostname is reached over the public internet, not the peering, from the VPC's address {e}.")
        }
        D::PublicHostnameFromVpc { egress: None } => {
            "The app's hostname is reached over the public internet, not the peering, and this VPC has no public egress address."
                .to_owned()
        }
        D::OverInternet { egress: Some(e) } => format!(
            "Only internally routed apps are reached through the VPN; this hostname is public, so the request goes over the internet from {e}."
        ),
        D::OverInternet { egress: None } => "Only internally routed apps are reached through the VPN; this hostname is public, so the request goes over the internet from an unknown public address.".to_owned(),
        D::NoVpn { remote } => format!("The space has no VPN connection to {remote}."),
        D::VpnRefused { vpn } => format!("{vpn} cannot carry traffic: the platform refuses its configuration."),
        D::Tunnel { vpn, up: true } => format!("The tunnels of {vpn} are up."),
        D::Tunnel { vpn, up: false } => format!("The tunnels of {vpn} are down: it carries nothing."),
        D::Routable { address, matched: Some(m) } => format!("{address} is inside the routable CIDR {m}."),
        D::Routable { address, matched: None } => format!("{address} is outside the connection's routable CIDRs."),
        D::RoutableApart { cidr, space_cidr } => {
            format!("The routable CIDR {cidr} does not overlap the space CIDR {space_cidr}.")
        }
        D::RoutableOverlap { cidr, space_cidr } => format!("The routable CIDR {cidr} overlaps the space CIDR {space_cidr}."),
        D::Ipsec { gateway: Some(g) } => format!("IPsec to the customer gateway {g}: over the internet, encrypted."),
        D::Ipsec { gateway: None } => "IPsec over the internet, encrypted.".to_owned(),
        D::Firewall { firewall, rule, allowed, address } => match (rule, allowed) {
            (Some(r), true) => format!("{firewall} allows this traffic from {address} (rule {}).", r + 1),
            (Some(r), false) => format!("{firewall} denies this traffic from {address} (rule {}).", r + 1),
            (None, _) => format!("{firewall} has no rule allowing this traffic from {address}, so it denies it."),
        },
        D::VpnInternalRouting => "VPN-connected networks may reach internally routed apps.".to_owned(),
        D::FirInboundViaPublicDns { app } => format!(
            "Peered and VPN-connected networks cannot reach Fir dynos directly; they connect to {app} over the internet by its public hostname."
        ),
        D::Allowlist { service, admitted: true, open: true, .. } => format!("{service}'s allowlist admits every address."),
        D::Allowlist { service, admitted: true, .. } => format!("{service}'s allowlist admits the source."),
        D::Allowlist { service, missing, .. } => format!(
            "{service}'s allowlist does not admit {}.",
            list(missing.iter().map(|i| i.to_string()))
        ),
        D::OutboundIpsUnknown => "The space's outbound IPs are not listed, so the allowlist cannot be checked.".to_owned(),
        D::CrDynoAddressNotPublic => {
            "Only web requests forwarded by the router reach a Common Runtime dyno; its address is not reachable.".to_owned()
        }
    }
}

/// A process with its app, `worker (acme-api)`; anything else by its name.
fn of_app(name: &str, app: &Option<String>) -> String {
    match app {
        Some(app) => format!("{name} ({app})"),
        None => name.to_owned(),
    }
}

fn fromto(d: Direction, a: IpAddr) -> String {
    match d {
        Direction::Inbound => format!("from {a}"),
        Direction::Outbound => format!("to {a}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What the destination sees as the source.
pub fn seen_as(s: &SeenAs) -> String {
    match s {
        SeenAs::Loopback => "127.0.0.1 (loopback)".to_owned(),
        SeenAs::Dyno { address: Some(a) } => format!("{a} (the dyno's private address)"),
        SeenAs::Dyno { address: None } => "the dyno's private address".to_owned(),
        SeenAs::OutboundIps { ips } if ips.is_empty() => {
            "one of the space's stable outbound IPs (not listed)".to_owned()
        }
        SeenAs::OutboundIps { ips } if ips.len() == 1 => format!("the space's stable outbound IP {}", ips[0]),
        SeenAs::OutboundIps { ips } => {
            format!("one of the space's stable outbound IPs, {}", list_or(ips.iter().map(|i| i.to_string())))
        }
        SeenAs::CommonRuntime => "an unpredictable Common Runtime address".to_owned(),
        SeenAs::VpcHost { address } => format!("{address} (the VPC host's private address)"),
        SeenAs::VpcEgress { address } => format!("{address} (the VPC's public egress address)"),
        SeenAs::RemoteHost { address } => format!("{address} (the remote host's address, through the VPN)"),
        SeenAs::RemoteEgress { address: Some(a) } => format!("{a} (the remote network's public address)"),
        SeenAs::RemoteEgress { address: None } => "an unknown public address".to_owned(),
        SeenAs::Client { net } if net.prefix_len() == net.max_prefix_len() => format!("{} (the client)", net.addr()),
        SeenAs::Client { net } if net.prefix_len() == 0 => "any address (the client may be anyone)".to_owned(),
        SeenAs::Client { net } => format!("an address in {net} (the client)"),
        SeenAs::ViaRouter { client } => {
            format!("the router, which passes on the client's address in X-Forwarded-For: {}", seen_as(client))
        }
    }
}

/// A suggested change, as an instruction.
pub fn fix(f: &Fix) -> String {
    match f {
        Fix::AddRoute { route_table, destination, target } => {
            format!("Add the route {destination} \u{2192} {target} to {route_table}.")
        }
        Fix::ReplaceRoute { route_table, destination, target } => {
            format!("In {route_table}, point the route {destination} at {target} instead.")
        }
        Fix::AddSecurityGroupRule { group, direction, protocol, ports: p, cidrs } => format!(
            "Add an {} rule to {group} allowing {} {} {} {}.",
            dir(*direction),
            rule_protocol(*protocol),
            ports(*p),
            if *direction == Direction::Inbound { "from" } else { "to" },
            list(cidrs.iter().map(|c| c.to_string()))
        ),
        Fix::AddAclRule { acl, direction, number, protocol, ports: p, cidr, renumber } => {
            let add = format!(
                "Add {} rule {number} to {acl}: allow {} {} {} {cidr}",
                dir(*direction),
                rule_protocol(*protocol),
                ports(*p),
                if *direction == Direction::Inbound { "from" } else { "to" }
            );
            if renumber.is_empty() {
                format!("{add}.")
            } else {
                let moves = list(renumber.iter().map(|r| format!("{} to {}", r.from, r.to)));
                let rules = if renumber.len() == 1 { "rule" } else { "rules" };
                format!("{add}, after renumbering {} {rules} {moves} to make room.", dir(*direction))
            }
        }
        Fix::AcceptPeering { peering } => format!("Accept the peering {peering}."),
        Fix::CreatePeering { space, vpc } => format!("Peer {vpc} with {space}, then accept the peering."),
        Fix::CreatePeeringWithRoute { space, vpc, route_table, destination, replace: false } => format!(
            "Peer {vpc} with {space}, accept the peering, and add the route {destination} \u{2192} the new peering to {route_table}."
        ),
        Fix::CreatePeeringWithRoute { space, vpc, route_table, destination, replace: true } => format!(
            "Peer {vpc} with {space}, accept the peering, and in {route_table} point the route {destination} at the new peering."
        ),
        Fix::AddTrustedRanges { space, cidrs } => {
            format!("Add {} to the trusted IP ranges of {space}.", list(cidrs.iter().map(|c| c.to_string())))
        }
        Fix::AddToAllowlist { service, cidrs } => {
            format!("Add {} to the allowlist of {service}.", list(cidrs.iter().map(|c| c.to_string())))
        }
        Fix::ScaleProcess { app, process, dynos } => {
            format!("Scale {process} of {app} to {dynos} dyno{}.", if *dynos == 1 { "" } else { "s" })
        }
        Fix::ListenOnPort { target, process: Some(p), port: l } => {
            format!("Make {p} of {target} listen on {}.", listen(l))
        }
        Fix::ListenOnPort { target, process: None, port: l } => format!("Make {target} listen on {}.", listen(l)),
        Fix::BringTunnelUp { vpn } => format!("Bring the tunnels of {vpn} up."),
        Fix::AddRoutableCidr { vpn, cidr } => format!("Add {cidr} to the routable CIDRs of {vpn}."),
        Fix::AddFirewallRule { remote, protocol, ports: p, cidr } => {
            format!("Allow {} {} from {cidr} in the firewall of {remote}.", rule_protocol(*protocol), ports(*p))
        }
        Fix::CreateVpn { space, remote } => format!("Create a VPN connection from {space} to {remote}."),
        Fix::RecreateWithInternalRouting { app } => {
            format!("Recreate {app} with Internal Routing (it cannot be turned on for an existing app).")
        }
        Fix::UsePort { port } => format!("Ask on port {port} instead."),
        Fix::UseHostname { app } => format!("Connect to {app}'s hostname instead."),
        Fix::UseDynoAddress { app, process } => format!("Connect to the address of a {process} dyno of {app} instead."),
        Fix::NoConfiguration { workaround } => match workaround {
            None => "No configuration allows this.".to_owned(),
            // Says itself what cannot be done, and no more: another change may still connect.
            Some(w @ Workaround::FreeTrustedRanges { .. }) => workaround_text(w),
            Some(w) if takes_several_changes(w) => format!("No single change connects this. {}", workaround_text(w)),
            Some(w) => format!("No configuration allows this. {}", workaround_text(w)),
        },
    }
}

/// A suggested change, as an instruction, naming apps, spaces, VPCs, hosts and networks by their
/// names in `model` rather than their IDs (AWS objects keep their IDs, which is what AWS shows).
pub fn fix_in(model: &Model, f: &Fix) -> String {
    let n = |id: &String| object_name(model, id);
    let named = match f.clone() {
        Fix::CreatePeering { space, vpc } => Fix::CreatePeering { space: n(&space), vpc: n(&vpc) },
        Fix::CreatePeeringWithRoute { space, vpc, route_table, destination, replace } => {
            Fix::CreatePeeringWithRoute { space: n(&space), vpc: n(&vpc), route_table, destination, replace }
        }
        Fix::AddTrustedRanges { space, cidrs } => Fix::AddTrustedRanges { space: n(&space), cidrs },
        Fix::AddToAllowlist { service, cidrs } => Fix::AddToAllowlist { service: n(&service), cidrs },
        Fix::ScaleProcess { app, process, dynos } => Fix::ScaleProcess { app: n(&app), process, dynos },
        Fix::ListenOnPort { target, process, port } => Fix::ListenOnPort { target: n(&target), process, port },
        Fix::BringTunnelUp { vpn } => Fix::BringTunnelUp { vpn: n(&vpn) },
        Fix::AddRoutableCidr { vpn, cidr } => Fix::AddRoutableCidr { vpn: n(&vpn), cidr },
        Fix::AddFirewallRule { remote, protocol, ports, cidr } => {
            Fix::AddFirewallRule { remote: n(&remote), protocol, ports, cidr }
        }
        Fix::CreateVpn { space, remote } => Fix::CreateVpn { space: n(&space), remote: n(&remote) },
        Fix::RecreateWithInternalRouting { app } => Fix::RecreateWithInternalRouting { app: n(&app) },
        Fix::UseHostname { app } => Fix::UseHostname { app: n(&app) },
        Fix::UseDynoAddress { app, process } => Fix::UseDynoAddress { app: n(&app), process },
        Fix::NoConfiguration { workaround: Some(w) } => {
            let w = match w {
                Workaround::ProxyInVpc { vpc } => Workaround::ProxyInVpc { vpc: n(&vpc) },
                Workaround::ProxyAppInSpace { space } => Workaround::ProxyAppInSpace { space: n(&space) },
                Workaround::MoveAppToPrivateSpace { app } => Workaround::MoveAppToPrivateSpace { app: n(&app) },
                Workaround::RenumberVpc { vpc } => Workaround::RenumberVpc { vpc: n(&vpc) },
                Workaround::RenumberRemote { remote } => Workaround::RenumberRemote { remote: n(&remote) },
                Workaround::RaisePeeringLimit { space } => Workaround::RaisePeeringLimit { space: n(&space) },
                Workaround::MoveHostToPrimaryCidr { host } => Workaround::MoveHostToPrimaryCidr { host: n(&host) },
                Workaround::AddInternetEgress { vpc } => Workaround::AddInternetEgress { vpc: n(&vpc) },
                Workaround::ListOutboundIps { space } => Workaround::ListOutboundIps { space: n(&space) },
                Workaround::AssociateRouteTable { subnet } => Workaround::AssociateRouteTable { subnet: n(&subnet) },
                Workaround::AttachSecurityGroup { host } => Workaround::AttachSecurityGroup { host: n(&host) },
                Workaround::ReachFromInside { app } => Workaround::ReachFromInside { app: n(&app) },
                Workaround::UseCedarSpace { space } => Workaround::UseCedarSpace { space: n(&space) },
                Workaround::OnlyWebFromOutside { app, process } => {
                    Workaround::OnlyWebFromOutside { app: n(&app), process }
                }
                Workaround::FreeTrustedRanges { space, listed, max, cidrs } => {
                    Workaround::FreeTrustedRanges { space: n(&space), listed, max, cidrs }
                }
                Workaround::RenumberAcl { acl } => Workaround::RenumberAcl { acl },
                Workaround::MakeRoom { object, what, max } => Workaround::MakeRoom { object, what, max },
                Workaround::PeerAndAssociateRouteTable { space, vpc, subnet } => {
                    Workaround::PeerAndAssociateRouteTable { space: n(&space), vpc: n(&vpc), subnet: n(&subnet) }
                }
            };
            Fix::NoConfiguration { workaround: Some(w) }
        }
        other => other,
    };
    fix(&named)
}

/// The name of the scenario object with this ID (IDs are unique across a document), or the ID.
fn object_name(model: &Model, id: &str) -> String {
    let found = model
        .apps
        .iter()
        .find(|a| a.id == id)
        .map(|a| &a.name)
        .or_else(|| model.spaces.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.vpcs.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.hosts.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.remotes.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.remote_hosts.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.services.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.vpns.iter().find(|x| x.id == id).map(|x| &x.name))
        .or_else(|| model.vpcs.iter().flat_map(|v| &v.subnets).find(|x| x.id == id).map(|x| &x.name));
    found.cloned().unwrap_or_else(|| id.to_owned())
}

/// One step as a sentence: [`detail`], made specific where the step's rule says more than its facts.
pub fn step(s: &Step) -> String {
    match (&s.detail, s.rule) {
        (Detail::PeeringRefused { peering }, RuleId::PeerLimit) => {
            format!("{peering} carries nothing: the space already has the {MAX_PEERINGS} peerings the platform allows.")
        }
        (Detail::PeeringRefused { peering }, RuleId::PeerRfc1918) => format!(
            "{peering} carries nothing: the platform peers only VPCs whose CIDR is in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
        ),
        (Detail::PeeringRefused { peering }, RuleId::PeerNoOverlap) => format!(
            "{peering} carries nothing: the platform does not peer a VPC whose CIDR overlaps the space's CIDR or its unavailable CIDRs."
        ),
        (Detail::PeeringRefused { peering }, RuleId::PeerCedarOnly) => {
            format!("{peering} carries nothing: Fir spaces cannot be peered with a VPC.")
        }
        (Detail::VpnRefused { vpn }, RuleId::VpnCedarOnly) => {
            format!("{vpn} carries nothing: Fir spaces cannot have VPN connections.")
        }
        (d, _) => detail(d),
    }
}

/// Whether the way around is configuration the platform allows, only not one change Spacetrace
/// can make (renumbering, two changes that connect only together).
fn takes_several_changes(w: &Workaround) -> bool {
    matches!(
        w,
        Workaround::RenumberAcl { .. } | Workaround::PeerAndAssociateRouteTable { .. } | Workaround::MakeRoom { .. }
    )
}

fn workaround_text(w: &Workaround) -> String {
    match w {
        Workaround::ProxyInVpc { vpc } => format!("Run a proxy or load balancer inside {vpc}."),
        Workaround::ProxyAppInSpace { space } => format!("Run an app in {space} that proxies to it."),
        Workaround::MoveAppToPrivateSpace { app } => format!("Move {app} into a Private Space."),
        Workaround::RenumberVpc { vpc } => format!("Renumber {vpc} to a private CIDR that does not overlap the space."),
        Workaround::RenumberRemote { remote } => format!("Renumber {remote} so that it does not overlap the space."),
        Workaround::RaisePeeringLimit { space } => {
            format!("Remove a peering from {space}, or ask Heroku support for more.")
        }
        Workaround::MoveHostToPrimaryCidr { host } => format!("Move {host} into the VPC's primary CIDR."),
        Workaround::AddInternetEgress { vpc } => format!("Give {vpc} a NAT or internet gateway."),
        Workaround::ListOutboundIps { space } => format!("List the stable outbound IPs of {space}."),
        Workaround::AssociateRouteTable { subnet } => format!("Associate a route table with {subnet}."),
        Workaround::AttachSecurityGroup { host } => format!("Attach a security group to {host}."),
        Workaround::ReachFromInside { app } => {
            format!("Reach {app} from its own space, a peered VPC or a VPN-connected network.")
        }
        Workaround::UseCedarSpace { space } => format!("This needs a Cedar space; {space} is Fir."),
        Workaround::OnlyWebFromOutside { app, process } => format!(
            "From here only {app}'s web process can be reached, through the router at its hostname: serve this through web instead of connecting to {process} directly."
        ),
        Workaround::FreeTrustedRanges { space, listed, max, cidrs } => {
            let full = match listed.cmp(max) {
                std::cmp::Ordering::Greater => format!("which lists {listed}, more than the {max} the platform allows"),
                std::cmp::Ordering::Equal => format!("which already lists the {max} the platform allows"),
                std::cmp::Ordering::Less => format!("which lists {listed} of the {max} the platform allows"),
            };
            format!(
                "No trusted IP range can be added to {space}, {full}: remove or merge some to make room for {}.",
                list(cidrs.iter().map(|c| c.to_string()))
            )
        }
        Workaround::RenumberAcl { acl } => {
            format!("Renumber the rules of {acl}: no rule number is left where an allow would decide first.")
        }
        Workaround::PeerAndAssociateRouteTable { space, vpc, subnet } => format!(
            "Peer {vpc} with {space}, and associate with {subnet} a route table that routes the space through the new peering."
        ),
        Workaround::MakeRoom { object, what, max } => format!(
            "{object} already holds {max} {}, the most Spacetrace takes in: remove or merge one to make room.",
            collection(*what)
        ),
    }
}

/// "PEER-ROUTE" with its summary.
pub fn rule(r: RuleId) -> String {
    let info = r.info();
    let basis = match info.basis {
        crate::rules::Basis::Assumption => " (assumption)",
        _ => "",
    };
    format!("{r}{basis}: {}", info.summary)
}

/// The whole trace as text: the CLI prints it and the snapshot tests keep it.
pub fn trace(model: &Model, t: &Trace) -> String {
    let mut out = String::new();
    let mark = match t.verdict {
        Verdict::Connected => "\u{2714}",
        Verdict::Blocked => "\u{2716}",
    };
    let _ = writeln!(out, "{}", question(model, &t.query));
    let _ = writeln!(out, "{mark} {}", verdict(t.verdict).to_uppercase());
    for (i, hop) in t.hops.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>2}. {} \u{2014} {}",
            i + 1,
            component_kind(hop.component.kind),
            component(model, &hop.component)
        );
        for step in &hop.steps {
            let sign = match step.decision {
                Decision::Pass => "\u{2713}",
                Decision::Block => "\u{2717}",
                Decision::Note => "\u{2022}",
            };
            let _ = writeln!(out, "      {sign} [{}] {}", step.rule, self::step(step));
        }
    }
    if let Some(seen) = &t.seen_as {
        let _ = writeln!(out, "Seen as: {}", seen_as(seen));
    }
    if let Some(step) = t.blocking_step() {
        let _ = writeln!(out, "Blocked by {}", step.rule);
    }
    let mut holes = Vec::new();
    for s in &t.suggestions {
        let _ = writeln!(out, "  \u{2192} [{}] {}", s.rule, fix_in(model, &s.fix));
        for c in crate::commands::for_fix(model, &s.fix) {
            let _ = writeln!(out, "      $ {}", c.line());
            holes.extend(c.placeholders().filter(|p| !holes.contains(p)).collect::<Vec<_>>());
        }
    }
    for p in holes {
        let _ = writeln!(out, "    {}: {}", p.token(), placeholder(p));
    }
    let assumptions = t.assumptions();
    if !assumptions.is_empty() {
        let _ = writeln!(out, "Assumption rules cited: {}", list(assumptions.iter().map(|r| r.to_string())));
    }
    for a in &t.assumed {
        let _ = writeln!(out, "Assumption: {}", assumption(a));
    }
    out
}

/// What to put in place of a command's placeholder, and where to find it.
pub fn placeholder(p: crate::commands::Placeholder) -> &'static str {
    use crate::commands::Placeholder as P;
    match p {
        P::SpaceAccount => "the AWS account ID of the space, as heroku spaces:peering:info prints it",
        P::SpaceVpc => "the VPC ID of the space, as heroku spaces:peering:info prints it",
        P::NewPeering => "the pcx- ID that aws ec2 create-vpc-peering-connection prints",
        P::NewAppName => "a name for the new app (an app cannot switch Internal Routing on after it is created)",
        P::GatewayIp => "the public IP address of the VPN device on the remote network",
    }
}

/// Where a command runs, for a label beside it.
pub fn tool(t: crate::commands::Tool) -> &'static str {
    match t {
        crate::commands::Tool::Aws => "AWS CLI",
        crate::commands::Tool::Heroku => "Heroku CLI",
    }
}

/// A modelling choice an answer rests on, in one sentence (see `docs/assumptions.md`).
pub fn assumption(a: &crate::trace::Assumption) -> String {
    use crate::trace::Assumption as A;
    match a {
        A::WebPort { port } => format!("$PORT is taken to be {port}; the platform assigns the real value."),
        A::DynoAddress => {
            "Dyno addresses are examples in the dyno subnets; the platform assigns the real ones.".to_owned()
        }
        A::ClientRangeWhole => {
            "A client given as a range is trusted only if the whole range lies inside one trusted range.".to_owned()
        }
        A::AllOutboundIps => {
            "Traffic may leave from any of the space's outbound IPs, so every one of them must be admitted.".to_owned()
        }
        A::ClosedPort => {
            "A port the destination does not listen on is reported under the rule of the filter in front of it."
                .to_owned()
        }
        A::RemoteFirewall => {
            "The remote firewall filters what arrives through the tunnel: first matching rule wins, then deny."
                .to_owned()
        }
        A::EphemeralPorts => {
            "Replies go to ephemeral ports 1024-65535; a stateless network ACL must allow all of them.".to_owned()
        }
        A::NoPeeringAtAll => {
            "With no peering at all, the answer cites PEER-ACCEPTED: no accepted peering exists.".to_owned()
        }
        A::NoVpnAtAll => "With no VPN connection at all, the answer cites VPN-IPSEC: no tunnel exists.".to_owned(),
    }
}

/// A refused gesture, in one sentence that teaches the rule.
pub fn refusal(r: &crate::policy::Refusal) -> String {
    use crate::policy::RefusalKind as K;
    match &r.kind {
        K::PeeringOnFir { space } => format!("{space} is a Fir space: VPC peering is not available for Fir spaces."),
        K::PeeringVpcNotPrivate { vpc, cidr } => format!(
            "{vpc}'s CIDR {cidr} is not private: a peered VPC must use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
        ),
        K::PeeringOverlap { space, vpc, vpc_cidr, space_range } => format!(
            "{vpc}'s CIDR {vpc_cidr} overlaps {space_range}, which {space} uses or reserves: renumber the VPC to peer it."
        ),
        K::PeeringLimit { space, max } => {
            format!("{space} already has {max} peered VPCs, the most a space can have (ask Heroku support for more).")
        }
        K::AlreadyPeered { space, vpc } => format!("{space} is already peered with {vpc}."),
        K::VpnOnFir { space } => format!("{space} is a Fir space: VPN connections are not available for Fir spaces."),
        K::InternalRoutingAfterCreation { app } => format!(
            "Internal Routing is chosen when an app is created and cannot be switched for {app}: recreate the app with Internal Routing instead."
        ),
        K::InternalRoutingNotCedar { app } => {
            format!("Internal Routing exists only for apps in Cedar Private Spaces, so {app} cannot have it.")
        }
        K::TrustedIpsOnFir { space } => {
            format!("{space} is a Fir space: its trusted IP ranges cannot be customised (it admits everyone).")
        }
        K::TrustedIpLimit { space, max } => format!("{space} can have at most {max} trusted IP ranges."),
        K::ShieldOnFir { space } => format!("{space} is a Fir space: Shield spaces exist only for Cedar."),
    }
}

/// How a pair's answer changed between two documents, in one word ("opened", "closed", …).
pub fn change(c: crate::diff::Change) -> &'static str {
    use crate::diff::Change as C;
    match c {
        C::Opened => "opened",
        C::Closed => "closed",
        C::Changed => "changed",
        C::Added => "added",
        C::Removed => "removed",
    }
}

/// A pair's answer in a diff: "connected", "blocked by PEER-ROUTE", or, when there is none, that the
/// pair is not in the scenario or not modelled.
pub fn outcome(o: Option<crate::trace::Outcome>) -> String {
    match o {
        None => "no answer: not in this scenario, or not modelled".to_owned(),
        Some(o) => match o.blocked_by {
            Some(rule) if o.verdict == Verdict::Blocked => format!("{} by {rule}", verdict(o.verdict)),
            _ => verdict(o.verdict).to_owned(),
        },
    }
}

/// The counts of a diff: "1 opened, 0 closed, 0 changed, 2 added, 0 removed".
pub fn diff_summary(s: &crate::diff::Summary) -> String {
    format!("{} opened, {} closed, {} changed, {} added, {} removed", s.opened, s.closed, s.changed, s.added, s.removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cidr::describe_cidr;

    /// The app says why a draft question cannot be asked, one reason per cause.
    #[test]
    fn unasked_questions_say_why() {
        use crate::query::QueryError as E;
        assert_eq!(unasked(&E::PortZero), "No port is given: enter a port from 1 to 65535.");
        assert_eq!(
            unasked(&E::LocalhostNeedsDyno),
            "Only a dyno can connect to localhost (another process in the same dyno)."
        );
        assert_eq!(
            unasked(&E::Unknown { field: "to", id: "db".into(), expected: ObjectKind::Host, within: None }),
            "The destination, the VPC host \u{201c}db\u{201d}, is no longer in this network (deleted or renamed): choose another."
        );
        assert_eq!(
            unasked(&E::NoSuchDyno { field: "from", app: "api".into(), process: "web".into(), dyno: 3, dynos: 2 }),
            "api runs no dyno web.3; valid: web.1 and web.2."
        );
        assert!(unasked(&E::OutOfScope { from: EndKind::Host, to: EndKind::Host }).contains("Heroku"));
    }

    /// The changes that keep their promise by doing more than one thing say all of it; where no
    /// single change works, the answer says so.
    #[test]
    fn fixes_say_everything_they_change() {
        use crate::trace::AclRenumber;
        let net = |t: &str| t.parse::<ipnet::IpNet>().unwrap();
        assert_eq!(
            fix(&Fix::AddTrustedRanges {
                space: "factory".into(),
                cidrs: vec![net("52.50.1.1/32"), net("52.50.1.2/32")]
            }),
            "Add 52.50.1.1/32 and 52.50.1.2/32 to the trusted IP ranges of factory."
        );
        let acl = |renumber: Vec<AclRenumber>| Fix::AddAclRule {
            acl: "acl-db".into(),
            direction: Direction::Inbound,
            number: 1,
            protocol: RuleProtocol::Tcp,
            ports: PortRange::single(5432),
            cidr: net("10.0.0.0/16"),
            renumber,
        };
        assert_eq!(fix(&acl(Vec::new())), "Add inbound rule 1 to acl-db: allow TCP port 5432 from 10.0.0.0/16.");
        assert_eq!(
            fix(&acl(vec![AclRenumber { from: 1, to: 2 }, AclRenumber { from: 2, to: 3 }])),
            "Add inbound rule 1 to acl-db: allow TCP port 5432 from 10.0.0.0/16, after renumbering inbound rules 1 to 2 and 2 to 3 to make room."
        );
        let peer = |replace| Fix::CreatePeeringWithRoute {
            space: "s".into(),
            vpc: "v".into(),
            route_table: "rtb".into(),
            destination: "10.0.0.0/16".parse().unwrap(),
            replace,
        };
        assert_eq!(
            fix(&peer(false)),
            "Peer v with s, accept the peering, and add the route 10.0.0.0/16 \u{2192} the new peering to rtb."
        );
        assert_eq!(
            fix(&peer(true)),
            "Peer v with s, accept the peering, and in rtb point the route 10.0.0.0/16 at the new peering."
        );
        let none = |w| fix(&Fix::NoConfiguration { workaround: Some(w) });
        assert_eq!(
            none(Workaround::FreeTrustedRanges {
                space: "hub".into(),
                listed: 20,
                max: 20,
                cidrs: vec![net("203.0.113.9/32")]
            }),
            "No trusted IP range can be added to hub, which already lists the 20 the platform allows: remove or merge some to make room for 203.0.113.9/32."
        );
        assert_eq!(
            none(Workaround::RenumberAcl { acl: "acl-db".into() }),
            "No single change connects this. Renumber the rules of acl-db: no rule number is left where an allow would decide first."
        );
        assert_eq!(
            none(Workaround::PeerAndAssociateRouteTable { space: "s".into(), vpc: "v".into(), subnet: "sn".into() }),
            "No single change connects this. Peer v with s, and associate with sn a route table that routes the space through the new peering."
        );
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(address_count(AddressCount { exponent: 0 }), "1 address");
        assert_eq!(address_count(AddressCount { exponent: 8 }), "256 addresses");
        assert_eq!(address_count(AddressCount { exponent: 16 }), "65,536 addresses");
        assert_eq!(address_count(AddressCount { exponent: 32 }), "4,294,967,296 addresses");
        assert_eq!(address_count(AddressCount { exponent: 128 }), "2^128 addresses");
    }

    #[test]
    fn rows_describe_a_block() {
        let rows = cidr_rows(&describe_cidr("192.168.4.0/22").unwrap());
        let text: Vec<String> = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(
            text,
            [
                "Network: 192.168.4.0/22",
                "Range: 192.168.4.0 \u{2013} 192.168.7.255",
                "Size: 1,024 addresses",
                "RFC 1918: Private: inside 192.168.0.0/16 (RFC 1918)",
            ]
        );
    }

    #[test]
    fn every_diagnostic_names_the_input() {
        let d = describe_cidr("10.0.0.0").unwrap_err();
        assert_eq!(diagnostic(&d), "\u{201c}10.0.0.0\u{201d} has no prefix length: add one, for example 10.0.0.0/24.");
        let d = describe_cidr("10.0.0.300/8").unwrap_err();
        assert_eq!(diagnostic(&d), "\u{201c}10.0.0.300\u{201d} is not an IPv4 or IPv6 address.");
    }
}

#[cfg(test)]
mod diff_words {
    use super::*;
    use crate::diff::{Change, Summary};
    use crate::trace::Outcome;

    #[test]
    fn changes_outcomes_and_counts_in_words() {
        assert_eq!(change(Change::Opened), "opened");
        assert_eq!(change(Change::Removed), "removed");
        let blocked = Outcome { verdict: Verdict::Blocked, blocked_by: Some(RuleId::PeerRoute) };
        assert_eq!(outcome(Some(blocked)), "blocked by PEER-ROUTE");
        assert_eq!(outcome(Some(Outcome { verdict: Verdict::Connected, blocked_by: None })), "connected");
        assert_eq!(outcome(None), "no answer: not in this scenario, or not modelled");
        let s = Summary { opened: 1, closed: 2, changed: 3, added: 4, removed: 5 };
        assert_eq!(diff_summary(&s), "1 opened, 2 closed, 3 changed, 4 added, 5 removed");
    }
}

fn sources_word(n: usize) -> &'static str {
    if n == 1 { "source" } else { "sources" }
}

/// A matrix cut to fit ([`crate::matrix::MAX_CELLS`], see [`crate::matrix::Matrix::is_complete`]):
/// "The matrix is cut: it shows the first 2,046 of 2,050 sources, as a matrix holds at most
/// 8,388,608 pairs."
pub fn matrix_cut(shown: usize, total: usize) -> String {
    format!(
        "The matrix is cut: it shows the first {} of {} {}, as a matrix holds at most {} pairs.",
        group_thousands(shown as u128),
        group_thousands(total as u128),
        sources_word(total),
        group_thousands(crate::matrix::MAX_CELLS as u128)
    )
}

/// One side of a matrix diff cut to fit, `before` or not (after), with what that means for the
/// pairs listed: "The after matrix is cut to the first 2,046 of 2,050 sources (a matrix holds at
/// most 8,388,608 pairs): pairs of the other sources are not compared, or are listed as removed
/// where the before matrix has them."
pub fn diff_cut(before: bool, shown: usize, total: usize) -> String {
    let (side, other, listed) = if before { ("before", "after", "added") } else { ("after", "before", "removed") };
    format!(
        "The {side} matrix is cut to the first {} of {} {} (a matrix holds at most {} pairs): pairs of the other sources are not compared, or are listed as {listed} where the {other} matrix has them.",
        group_thousands(shown as u128),
        group_thousands(total as u128),
        sources_word(total),
        group_thousands(crate::matrix::MAX_CELLS as u128)
    )
}

#[cfg(test)]
mod cut_words {
    use super::*;

    #[test]
    fn a_cut_matrix_says_how_many_sources_of_how_many() {
        assert_eq!(
            matrix_cut(2046, 2050),
            "The matrix is cut: it shows the first 2,046 of 2,050 sources, as a matrix holds at most 8,388,608 pairs."
        );
        assert_eq!(
            matrix_cut(0, 1),
            "The matrix is cut: it shows the first 0 of 1 source, as a matrix holds at most 8,388,608 pairs."
        );
        let before = diff_cut(true, 10, 12);
        assert!(before.starts_with("The before matrix is cut to the first 10 of 12 sources (a matrix"), "{before}");
        assert!(before.ends_with("listed as added where the after matrix has them."), "{before}");
        let after = diff_cut(false, 2046, 2050);
        assert!(after.starts_with("The after matrix is cut to the first 2,046 of 2,050 sources"), "{after}");
        assert!(after.ends_with("listed as removed where the before matrix has them."), "{after}");
        assert!(!after.contains('\n'));
    }
}

// ----- plans: every blocker, one plan ---------------------------------------------------------

use crate::plan::{Blocker, Plan, PlanOutcome};

/// The heading over a plan's later blockers.
pub const PLAN_FURTHER: &str = "Also blocking once that is fixed:";

/// The heading over a plan's changes: "Plan:", or "Plan, as far as it goes:" when they do not
/// connect the question.
pub fn plan_title(p: &Plan) -> &'static str {
    if p.connects() { "Plan:" } else { "Plan, as far as it goes:" }
}

/// Where a blocker of a plan is and what it says: "hop 7, network ACL acl-db: The inbound rule
/// 100 …". The hop is the one of the answer after the fixes before it.
pub fn plan_blocker(b: &Blocker) -> String {
    format!("{}: {}", plan_place(b), step(&b.step))
}

/// Where a blocker is: "hop 4, peering pcx-1".
fn plan_place(b: &Blocker) -> String {
    let (kind, name) = (component_kind(b.component.kind), &component(&b.model, &b.component));
    // "internet, from analytics-vpc" says its kind itself.
    if name.starts_with(kind) {
        format!("hop {}, {name}", b.at.hop + 1)
    } else {
        format!("hop {}, {kind} {name}", b.at.hop + 1)
    }
}

/// What to do instead of a change no configuration makes, without saying again that none does.
fn plan_instead(model: &Model, f: &Fix) -> String {
    let text = fix_in(model, f);
    ["No configuration allows this.", "No single change connects this."]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .map_or(text.clone(), |rest| rest.trim_start().to_owned())
}

/// How a plan ends, in one sentence or two (objects named as in `model`, the model the question
/// was asked of): "Applied together, in this order, these 3 changes connect the question.", or
/// "No configuration passes hop 4, peering pcx-1. This needs a Cedar space; …". The rule of the
/// blocker it stops at is the last blocker's ([`Plan::blockers`]).
pub fn plan_outcome(model: &Model, p: &Plan) -> String {
    let place = p.blockers.last().map(plan_place).unwrap_or_default();
    match (&p.outcome, p.fixes.len()) {
        (PlanOutcome::Connects, 0) => "The question connects; there is nothing to plan.".to_owned(),
        (PlanOutcome::Connects, 1) => {
            "Nothing else blocks once that is fixed: applied alone, the first change connects the question.".to_owned()
        }
        (PlanOutcome::Connects, n) => {
            format!("Applied together, in this order, these {n} changes connect the question.")
        }
        (PlanOutcome::Stuck { instead }, _) => {
            // Configuration the platform allows, only not as one change Spacetrace can make.
            let several = !instead.is_empty()
                && instead.iter().all(|s| {
                    matches!(&s.fix, Fix::NoConfiguration { workaround: Some(w) }
                        if takes_several_changes(w) || matches!(w, Workaround::FreeTrustedRanges { .. }))
                });
            let head = if several { "No single change Spacetrace can make passes" } else { "No configuration passes" };
            let instead: Vec<String> =
                instead.iter().map(|s| plan_instead(model, &s.fix)).filter(|t| !t.is_empty()).collect();
            if instead.is_empty() {
                format!("{head} {place}.")
            } else {
                format!("{head} {place}. {}", instead.join(" "))
            }
        }
        (PlanOutcome::Bound { max }, _) => {
            format!("Still blocked after {max} changes, at {place}: the plan stops there.")
        }
        (PlanOutcome::NotApplied { fix }, _) => {
            format!("The change for {place} cannot be applied: {}", fix_in(model, &fix.fix))
        }
        (PlanOutcome::QuestionLost, _) => "After these changes the question can no longer be asked.".to_owned(),
        (PlanOutcome::NoStep, _) => "The answer names no blocking step, so no plan can be made.".to_owned(),
    }
}

/// A blocked answer's plan as text, for under the rendered trace (the CLI's `ask`): what else
/// blocks once the first blocker is fixed, the changes in order, and how the plan ends.
pub fn plan(model: &Model, p: &Plan) -> String {
    let mut out = String::new();
    if !p.further().is_empty() {
        let _ = writeln!(out, "{PLAN_FURTHER}");
        for b in p.further() {
            let _ = writeln!(out, "  \u{2022} [{}] {}", b.step.rule, plan_blocker(b));
        }
    }
    if p.fixes.len() > 1 || (!p.fixes.is_empty() && !p.connects()) {
        let _ = writeln!(out, "{}", plan_title(p));
        for (i, s) in p.fixes.iter().enumerate() {
            let _ = writeln!(out, "{:>3}. [{}] {}", i + 1, s.rule, fix_in(model, &s.fix));
        }
    }
    let rule = match (&p.outcome, p.blockers.last()) {
        (PlanOutcome::Connects | PlanOutcome::QuestionLost | PlanOutcome::NoStep, _) | (_, None) => String::new(),
        (_, Some(b)) => format!("[{}] ", b.step.rule),
    };
    let _ = writeln!(out, "{rule}{}", plan_outcome(model, p));
    out
}

// ----- lessons ------------------------------------------------------------------------------

use crate::lesson::{Answer, ChallengeResult, LessonDiagnostic, OutcomeResult, PredictionResult, Problem, Required};

/// A component kind as the lesson format writes it (`security_group`), in words.
pub fn lesson_component(name: &str) -> String {
    let words: Vec<&str> = name
        .split('_')
        .map(|w| match w {
            "ip" => "IP",
            "dns" => "DNS",
            "nat" => "NAT",
            "acl" => "ACL",
            "vpc" => "VPC",
            "vpn" => "VPN",
            w => w,
        })
        .collect();
    words.join(" ")
}

/// A prediction's answer: "connected", or "blocked by PEER-ROUTE at a route table".
pub fn lesson_answer(a: &Answer) -> String {
    let mut out = verdict(a.verdict).to_owned();
    if let Some(rule) = a.rule {
        let _ = write!(out, " by {rule}");
    }
    if let Some(c) = &a.component {
        let _ = write!(out, " at the {}", lesson_component(c));
    }
    out
}

/// A required outcome: "api/web → host:orders-db tcp/5432 must connect".
pub fn lesson_required(r: &Required) -> String {
    let q = &r.question;
    let port = q.port.map(|p| format!(" {}/{p}", crate::refs::protocol_ref(q.protocol))).unwrap_or_default();
    let must = match (r.verdict, r.blocked_by) {
        (Verdict::Connected, _) => "must connect".to_owned(),
        (Verdict::Blocked, None) => "must stay blocked".to_owned(),
        (Verdict::Blocked, Some(rule)) => format!("must stay blocked by {rule}"),
    };
    format!("{} \u{2192} {}{port} {must}", crate::refs::doc_src_ref(&q.from), crate::refs::doc_dst_ref(&q.to))
}

/// One graded outcome: its mark, what is required, and what the network answers.
pub fn lesson_outcome(o: &OutcomeResult) -> String {
    let mark = if o.held { "\u{2714}" } else { "\u{2716}" };
    let got = match &o.trace {
        Err(d) => format!("cannot be asked: {}", diagnostic(d)),
        Ok(t) => match o.blocked_by() {
            Some(rule) => format!("{} by {rule}", verdict(t.verdict)),
            None => verdict(t.verdict).to_owned(),
        },
    };
    format!("{mark} {}: {got}", lesson_required(&o.required))
}

/// A graded challenge in one line.
pub fn lesson_challenge_summary(r: &ChallengeResult) -> String {
    let errors = match r.errors.len() {
        0 => String::new(),
        1 => "; 1 configuration error".to_owned(),
        n => format!("; {n} configuration errors"),
    };
    let (mark, word) = if r.passed() { ("\u{2714}", "PASSED") } else { ("\u{2716}", "NOT YET") };
    format!("{mark} {word}: {} of {} outcomes hold{errors}", r.held(), r.outcomes.len())
}

/// A graded prediction: right or not, and what the engine answers.
pub fn lesson_prediction(r: &PredictionResult) -> String {
    let verdict_part = if r.verdict_right { "the verdict is right" } else { "the verdict is wrong" };
    let mut parts = vec![verdict_part.to_owned()];
    match r.rule_right {
        Some(true) => parts.push("the rule is right".into()),
        Some(false) => parts.push("the rule is wrong".into()),
        None => {}
    }
    match r.component_right {
        Some(true) => parts.push("the component is right".into()),
        Some(false) => parts.push("the component is wrong".into()),
        None => {}
    }
    let mark = if r.right() { "\u{2714} Right" } else { "\u{2716} Not quite" };
    format!("{mark}: {}. The answer: {}.", list(parts), lesson_answer(&r.expected))
}

/// A problem with a lesson, starting with where it is.
pub fn lesson_diagnostic(d: &LessonDiagnostic) -> String {
    let what = match &d.problem {
        Problem::NotJson { message } => format!("this is not a JSON object ({message})"),
        Problem::NotALesson => "this is not a lesson: it has no \u{201c}lesson\u{201d} version number".to_owned(),
        Problem::UnsupportedVersion { found } => format!(
            "lesson format version {found} is not supported; this version of Spacetrace reads version {}",
            crate::lesson::LESSON_VERSION
        ),
        Problem::Unreadable { message } => format!("left out, it cannot be read: {message}"),
        Problem::DuplicateTask { id } => format!("another task already has the ID \u{201c}{id}\u{201d}"),
        Problem::Network(diag) => diagnostic_with_location(diag),
        Problem::Unaskable(diag) => format!("the question cannot be asked: {}", diagnostic(diag)),
        Problem::AnswerDiffers { stored, engine } => format!(
            "the stored answer is \u{201c}{}\u{201d} but the engine answers \u{201c}{}\u{201d} on the starting network",
            lesson_answer(stored),
            lesson_answer(engine)
        ),
        Problem::AlreadySolved => "every outcome already holds on the starting network".to_owned(),
        Problem::NoOutcome => "the challenge requires no outcome".to_owned(),
    };
    if d.at.is_empty() { what } else { format!("{}: {what}", d.at) }
}

// The packet's walk (`walk.rs`): the packet at each hop as a short label, and what changed.

/// An address as the packet's label shows it.
pub fn packet_address(a: &crate::walk::Address) -> String {
    use crate::walk::Address;
    match a {
        Address::Ip { ip } => ip.to_string(),
        Address::Net { net } => net.to_string(),
        Address::AnyOf { ips } => list_or(ips.iter().map(ToString::to_string)),
        Address::CommonRuntime => "a Common Runtime address".to_owned(),
        Address::Unknown => "an unknown public address".to_owned(),
        Address::Name { name } => name.clone(),
        Address::Router { client } => format!("the router (X-Forwarded-For {})", packet_address(client)),
    }
}

/// "10.0.128.5 → 52.1.2.3 TCP 443": the packet as the hop sees it.
pub fn packet_label(p: &crate::walk::Packet) -> String {
    let ports =
        if p.ports.lo == p.ports.hi { p.ports.lo.to_string() } else { format!("{}-{}", p.ports.lo, p.ports.hi) };
    format!(
        "{} \u{2192} {} {} {ports}",
        packet_address(&p.source),
        packet_address(&p.destination),
        protocol_name(p.protocol)
    )
}

/// What to say beside the label: the reply leg, a source changed here, a tunnel, the stop.
pub fn packet_notes(p: &crate::walk::Packet) -> Vec<String> {
    let mut notes = Vec::new();
    if p.leg == crate::walk::Leg::Reply {
        notes.push("reply (the network ACL is stateless)".to_owned());
    }
    if let Some(was) = &p.was {
        notes.push(format!("source was {}", packet_address(was)));
    }
    match p.tunnel {
        Some(Some(gateway)) => notes.push(format!("inside IPsec to {gateway}")),
        Some(None) => notes.push("inside IPsec".to_owned()),
        None => {}
    }
    if p.stops {
        notes.push("stops here".to_owned());
    }
    notes
}

/// "Hop 3 of 5", or "Reply 2 of 5": where the walk is.
pub fn walk_position(p: &crate::walk::Packet, index: usize, hops: usize) -> String {
    match p.leg {
        crate::walk::Leg::Request => format!("Hop {} of {hops}", p.hop + 1),
        crate::walk::Leg::Reply => format!("Reply, hop {} (step {})", p.hop + 1, index + 1),
    }
}
