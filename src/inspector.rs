//! The inspector: every property of the selected object, validated as you type. Changes go
//! through `Store::apply`, so the platform's refusals (peering on Fir, Internal Routing on an
//! existing app, custom trusted IPs on Fir, a sixth peering) are shown instead of made.

use leptos::prelude::*;
use spacetrace_engine::doc::{self, AddonKind, Document, Generation, PeeringStatus, TunnelStatus};

use crate::edit::{COMMON_RUNTIME, Edit, INTERNET, NewObject, Object};
use crate::fields::*;
use crate::lines::*;
use crate::store::{Store, use_store};
use spacetrace_edit::{space_of, vpc_of};

/// What is selected, found in the document.
#[derive(Debug, Clone, PartialEq)]
enum Selected {
    Nothing,
    Many(usize),
    Internet,
    CommonRuntime,
    Space(String),
    App(String),
    Addon(String),
    Vpc(String),
    /// A route table, security group or network ACL of a VPC (a gate on the canvas).
    VpcPart(String, String),
    Host(String),
    Remote(String),
    RemoteHost(String),
    Peering(String),
    Vpn(String),
    Client(String),
    Service(String),
}

fn find(d: &Document, id: &str) -> Selected {
    let s = |f: fn(String) -> Selected| f(id.to_owned());
    if id == INTERNET {
        return Selected::Internet;
    }
    if id == COMMON_RUNTIME {
        return Selected::CommonRuntime;
    }
    if d.spaces.iter().any(|x| x.id == id) {
        return s(Selected::Space);
    }
    if d.apps().any(|x| x.id == id) {
        return s(Selected::App);
    }
    if d.spaces.iter().flat_map(|x| x.addons.iter()).any(|x| x.id == id) {
        return s(Selected::Addon);
    }
    if d.vpcs.iter().any(|x| x.id == id) {
        return s(Selected::Vpc);
    }
    for v in &d.vpcs {
        let part = v.route_tables.iter().map(|x| &x.id).chain(v.security_groups.iter().map(|x| &x.id));
        if part.chain(v.network_acls.iter().map(|x| &x.id)).any(|x| x == id) {
            return Selected::VpcPart(v.id.clone(), id.to_owned());
        }
    }
    if d.vpcs.iter().flat_map(|x| x.hosts.iter()).any(|x| x.id == id) {
        return s(Selected::Host);
    }
    if d.remote_networks.iter().any(|x| x.id == id) {
        return s(Selected::Remote);
    }
    if d.remote_networks.iter().flat_map(|x| x.hosts.iter()).any(|x| x.id == id) {
        return s(Selected::RemoteHost);
    }
    if d.peerings.iter().any(|x| x.id == id) {
        return s(Selected::Peering);
    }
    if d.vpns.iter().any(|x| x.id == id) {
        return s(Selected::Vpn);
    }
    if d.internet_clients.iter().any(|x| x.id == id) {
        return s(Selected::Client);
    }
    if d.external_services.iter().any(|x| x.id == id) {
        return s(Selected::Service);
    }
    Selected::Nothing
}

#[component]
pub fn Inspector() -> impl IntoView {
    let store = use_store();
    let selected = Memo::new(move |_| {
        let sel = store.selection.get();
        match sel.len() {
            0 => Selected::Nothing,
            1 => store.doc.with(|d| find(d, &sel[0])),
            n => Selected::Many(n),
        }
    });
    view! {
        <section class="panel inspector" data-testid="inspector" aria-labelledby="inspector-title">
            {move || match selected.get() {
                Selected::Nothing => view! {
                    <h2 id="inspector-title" class="sr-only">"Inspector"</h2>
                    <p class="hint" data-testid="inspector-empty">"Select something on the canvas to edit it (Tab, Enter; Delete removes; arrows nudge)."</p>
                }.into_any(),
                Selected::Many(n) => view! {
                    <h2 id="inspector-title">{format!("{n} objects selected")}</h2>
                    <button type="button" class="danger" on:click=move |_| { store.apply(Edit::Delete(store.selection.get_untracked())); }>"Delete them"</button>
                }.into_any(),
                Selected::Internet => view! {
                    <h2 id="inspector-title">"Internet"</h2>
                    <p class="hint">"Internet clients and external services live here. Add them from the palette."</p>
                }.into_any(),
                Selected::CommonRuntime => view! {
                    <h2 id="inspector-title">"Common Runtime"</h2>
                    <p class="hint">"Apps outside any space: firewalled from each other, reached only through the router, leaving from unpredictable addresses."</p>
                }.into_any(),
                Selected::Space(id) => view! { <SpaceForm id=id /> }.into_any(),
                Selected::App(id) => view! { <AppForm id=id /> }.into_any(),
                Selected::Addon(id) => view! { <AddonForm id=id /> }.into_any(),
                Selected::Vpc(id) => view! { <VpcForm id=id /> }.into_any(),
                Selected::VpcPart(id, part) => view! { <VpcForm id=id focus=part /> }.into_any(),
                Selected::Host(id) => view! { <HostForm id=id /> }.into_any(),
                Selected::Remote(id) => view! { <RemoteForm id=id /> }.into_any(),
                Selected::RemoteHost(id) => view! { <RemoteHostForm id=id /> }.into_any(),
                Selected::Peering(id) => view! { <PeeringForm id=id /> }.into_any(),
                Selected::Vpn(id) => view! { <VpnForm id=id /> }.into_any(),
                Selected::Client(id) => view! { <ClientForm id=id /> }.into_any(),
                Selected::Service(id) => view! { <ServiceForm id=id /> }.into_any(),
            }}
        </section>
    }
}

/// A signal over one object of the document, by ID, and a way to commit a changed copy.
macro_rules! object_form {
    ($store:ident, $id:ident, $get:expr, $wrap:path) => {{
        let id2 = $id.clone();
        let current = Memo::new(move |_| $store.doc.with(|d| ($get)(d, &id2)));
        let commit = move |f: &dyn Fn(&mut _)| {
            if let Some(mut o) = current.get_untracked() {
                f(&mut o);
                $store.apply(Edit::Update($wrap(o)));
            }
        };
        (current, commit)
    }};
}

fn get_space(d: &Document, id: &str) -> Option<doc::Space> {
    d.spaces.iter().find(|x| x.id == id).cloned()
}
fn get_app(d: &Document, id: &str) -> Option<doc::App> {
    d.apps().find(|x| x.id == id).cloned()
}
fn get_addon(d: &Document, id: &str) -> Option<doc::Addon> {
    d.spaces.iter().flat_map(|s| s.addons.iter()).find(|x| x.id == id).cloned()
}
fn get_vpc(d: &Document, id: &str) -> Option<doc::Vpc> {
    d.vpcs.iter().find(|x| x.id == id).cloned()
}
fn get_host(d: &Document, id: &str) -> Option<doc::Host> {
    d.vpcs.iter().flat_map(|v| v.hosts.iter()).find(|x| x.id == id).cloned()
}
fn get_remote(d: &Document, id: &str) -> Option<doc::RemoteNetwork> {
    d.remote_networks.iter().find(|x| x.id == id).cloned()
}
fn get_remote_host(d: &Document, id: &str) -> Option<doc::RemoteHost> {
    d.remote_networks.iter().flat_map(|r| r.hosts.iter()).find(|x| x.id == id).cloned()
}
fn get_peering(d: &Document, id: &str) -> Option<doc::Peering> {
    d.peerings.iter().find(|x| x.id == id).cloned()
}
fn get_vpn(d: &Document, id: &str) -> Option<doc::Vpn> {
    d.vpns.iter().find(|x| x.id == id).cloned()
}
fn get_client(d: &Document, id: &str) -> Option<doc::InternetClient> {
    d.internet_clients.iter().find(|x| x.id == id).cloned()
}
fn get_service(d: &Document, id: &str) -> Option<doc::ExternalService> {
    d.external_services.iter().find(|x| x.id == id).cloned()
}

fn header(kind: &'static str, title: Signal<String>, id: String) -> impl IntoView {
    let store = use_store();
    view! {
        <div class="inspector-head">
            <p class="kind">{kind}</p>
            <h2 id="inspector-title" data-testid="inspector-title">{move || title.get()}</h2>
            <p class="object-id">"id: "<code>{id.clone()}</code></p>
            <button type="button" class="danger small" data-testid="delete-selected" on:click=move |_| { store.apply(Edit::Delete(vec![id.clone()])); }>"Delete"</button>
        </div>
    }
}

fn name_field<T: Clone + Send + Sync + 'static>(
    current: Memo<Option<T>>,
    name: fn(&T) -> String,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <TextField label="Name" test_id="name" value=Signal::derive(move || current.get().map(|o| name(&o)).unwrap_or_default())
            validate=name_text commit=Callback::new(set) />
    }
}

#[component]
fn SpaceForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_space, Object::Space);
    let title = Signal::derive(move || current.get().map(|s| s.name).unwrap_or_default());
    let fir = move || current.get().is_some_and(|s| s.generation == Generation::Fir);
    let vpcs = Memo::new(move |_| {
        store.doc.with(|d| d.vpcs.iter().map(|v| (v.id.clone(), v.name.clone())).collect::<Vec<_>>())
    });
    let remotes = Memo::new(move |_| {
        store.doc.with(|d| d.remote_networks.iter().map(|v| (v.id.clone(), v.name.clone())).collect::<Vec<_>>())
    });
    let sid = id.clone();
    let add = move |new: NewObject| {
        store.apply(Edit::Add(new));
    };
    let space_id = id.clone();
    let preview_id = id.clone();
    view! {
        {header("Private Space", title, id.clone())}
        {name_field(current, |s: &doc::Space| s.name.clone(), move |v| commit(&|s: &mut doc::Space| s.name = v.clone()))}
        <p class="facts">
            {move || current.get().map(|s| format!(
                "{} generation{} \u{00b7} region {} (chosen at creation)",
                if s.generation == Generation::Fir { "Fir" } else { "Cedar" },
                if s.shield { ", Shield" } else { "" },
                if s.region.is_empty() { "\u{2014}".to_owned() } else { s.region.clone() },
            ))}
        </p>
        <CheckField label="Shield space" test_id="space-shield" value=Signal::derive(move || current.get().is_some_and(|s| s.shield))
            commit=Callback::new(move |v| commit(&|s: &mut doc::Space| s.shield = v)) />
        <TextField label="Space CIDR" test_id="space-cidr" hint="10.0.0.0/16 unless chosen at creation"
            value=Signal::derive(move || current.get().and_then(|s| s.cidr).unwrap_or_else(|| "10.0.0.0/16".into()))
            validate=cidr_text commit=Callback::new(move |v: String| commit(&|s: &mut doc::Space| s.cidr = Some(v.trim().to_owned()))) />
        <TextField label="Trusted IP ranges (one per line)" test_id="space-trusted" multiline=true
            hint=if fir() { "Fir spaces admit everyone; ranges cannot be customised (TIP-FIR)." } else { "Only these client ranges reach web processes. Empty means the default 0.0.0.0/0." }
            value=Signal::derive(move || current.get().map(|s| s.trusted_ip_ranges.unwrap_or_else(|| vec!["0.0.0.0/0".into()]).join("\n")).unwrap_or_default())
            validate=cidr_lines
            commit=Callback::new(move |v: String| {
                let list = split_lines(&v);
                commit(&|s: &mut doc::Space| s.trusted_ip_ranges = if list.is_empty() { None } else { Some(list.clone()) });
            }) />
        <TextField label="Stable outbound IPs (one per line)" test_id="space-outbound" multiline=true
            value=Signal::derive(move || current.get().map(|s| s.outbound_ips.join("\n")).unwrap_or_default())
            validate=address_lines
            commit=Callback::new(move |v: String| commit(&|s: &mut doc::Space| s.outbound_ips = split_lines(&v))) />
        <Show when=move || !fir()>
            <crate::whatif::FirPreview space=preview_id.clone() />
        </Show>
        <div class="actions">
            <h3>"Add to this space"</h3>
            <button type="button" data-testid="space-add-app" on:click={ let s = sid.clone(); move |_| add(NewObject::App { space: Some(s.clone()), internal_routing: false }) }>"+ App"</button>
            <button type="button" data-testid="space-add-internal-app" on:click={ let s = sid.clone(); move |_| add(NewObject::App { space: Some(s.clone()), internal_routing: true }) }>"+ Internal app"</button>
            <button type="button" data-testid="space-add-postgres" on:click={ let s = sid.clone(); move |_| add(NewObject::Addon { space: s.clone(), kind: AddonKind::Postgres }) }>"+ Postgres"</button>
            <button type="button" data-testid="space-add-redis" on:click={ let s = sid.clone(); move |_| add(NewObject::Addon { space: s.clone(), kind: AddonKind::Redis }) }>"+ Redis"</button>
            <button type="button" data-testid="space-add-kafka" on:click={ let s = sid.clone(); move |_| add(NewObject::Addon { space: s.clone(), kind: AddonKind::Kafka }) }>"+ Kafka"</button>
        </div>
        <div class="actions">
            <h3>"Connect"</h3>
            <Show when=move || vpcs.with(|v| v.is_empty()) && remotes.with(|r| r.is_empty())>
                <p class="hint">"Add a VPC or a remote network to peer with or connect by VPN."</p>
            </Show>
            {move || {
                let space = space_id.clone();
                vpcs.get().into_iter().map(|(vid, vname)| {
                    let space = space.clone();
                    view! {
                        <button type="button" data-testid=format!("peer-with-{vid}") on:click=move |_| { store.apply(Edit::Peer { space: space.clone(), vpc: vid.clone() }); }>
                            {format!("Peer with {vname}")}
                        </button>
                    }
                }).collect_view()
            }}
            {move || {
                let space = sid.clone();
                remotes.get().into_iter().map(|(rid, rname)| {
                    let space = space.clone();
                    view! {
                        <button type="button" data-testid=format!("vpn-to-{rid}") on:click=move |_| { store.apply(Edit::ConnectVpn { space: space.clone(), remote: rid.clone() }); }>
                            {format!("VPN to {rname}")}
                        </button>
                    }
                }).collect_view()
            }}
        </div>
    }
}

#[component]
fn AppForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_app, Object::App);
    let title = Signal::derive(move || current.get().map(|a| a.name).unwrap_or_default());
    let processes = Memo::new(move |_| current.get().map(|a| a.process_types).unwrap_or_default());
    view! {
        {header("App", title, id.clone())}
        {name_field(current, |a: &doc::App| a.name.clone(), move |v| commit(&|a: &mut doc::App| a.name = v.clone()))}
        <p class="facts">{move || current.get().map(|a| format!("Hostname: {}.herokuapp.com", a.name))}</p>
        <CheckField label="Internal Routing (chosen when the app is created)" test_id="app-internal-routing"
            value=Signal::derive(move || current.get().is_some_and(|a| a.internal_routing))
            commit=Callback::new(move |v| commit(&|a: &mut doc::App| a.internal_routing = v)) />
        <TextField label="$PORT of web dynos" test_id="app-web-port" hint="The platform assigns it; Spacetrace assumes 5000 unless set."
            value=Signal::derive(move || current.get().map(|a| a.web_port.unwrap_or(5000).to_string()).unwrap_or_default())
            validate=port_text commit=Callback::new(move |v: String| commit(&|a: &mut doc::App| a.web_port = v.trim().parse().ok())) />
        <h3>"Process types"</h3>
        <table class="processes" data-testid="processes">
            <thead><tr><th scope="col">"Type"</th><th scope="col">"Dynos"</th><th scope="col">"Also listens on"</th><th></th></tr></thead>
            <tbody>
                {move || processes.get().into_iter().enumerate().map(|(i, p)| {
                    let name = p.name.clone();
                    let name2 = p.name.clone();
                    view! {
                        <tr>
                            <th scope="row">{p.name.clone()}</th>
                            <td>
                                <input type="number" min="0" max="100" aria-label=format!("Dynos of {}", p.name) data-testid=format!("dynos-{}", p.name)
                                    prop:value=p.dynos.to_string()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        if count_text(&v).is_none() {
                                            let n: u32 = v.trim().parse().unwrap_or(0);
                                            commit(&|a: &mut doc::App| if let Some(p) = a.process_types.get_mut(i) { p.dynos = n });
                                        }
                                    } />
                            </td>
                            <td>
                                <input type="text" aria-label=format!("Ports of {}", name) data-testid=format!("ports-{}", name)
                                    placeholder=if name == "web" { "$PORT only" } else { "none" }
                                    prop:value=format_ports(&p.ports)
                                    on:change=move |ev| {
                                        if let Ok(list) = parse_ports(&event_target_value(&ev)) {
                                            commit(&|a: &mut doc::App| if let Some(p) = a.process_types.get_mut(i) { p.ports = list.clone() });
                                        }
                                    } />
                            </td>
                            <td>
                                <button type="button" class="icon" aria-label=format!("Remove {}", name2) title="Remove this process type"
                                    on:click=move |_| commit(&|a: &mut doc::App| { if i < a.process_types.len() { a.process_types.remove(i); } })>"\u{00d7}"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <div class="actions">
            <button type="button" data-testid="add-worker" on:click=move |_| commit(&|a: &mut doc::App| {
                let base = if a.process_types.iter().any(|p| p.name == "worker") { format!("worker{}", a.process_types.len()) } else { "worker".into() };
                a.process_types.push(doc::ProcessType { name: base, dynos: 1, ..Default::default() });
            })>"+ Process type"</button>
            <Show when=move || current.get().is_some_and(|a| !a.process_types.iter().any(|p| p.name == "web"))>
                <button type="button" on:click=move |_| commit(&|a: &mut doc::App| a.process_types.insert(0, doc::ProcessType { name: "web".into(), dynos: 1, ..Default::default() }))>"+ web"</button>
            </Show>
        </div>
    }
}

#[component]
fn AddonForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_addon, Object::Addon);
    let title = Signal::derive(move || current.get().map(|a| a.name).unwrap_or_default());
    view! {
        {header("Data add-on", title, id.clone())}
        {name_field(current, |a: &doc::Addon| a.name.clone(), move |v| commit(&|a: &mut doc::Addon| a.name = v.clone()))}
        <SelectField label="Kind" test_id="addon-kind"
            options=vec![("postgres".into(), "Postgres".into()), ("redis".into(), "Key-Value Store (Redis)".into()), ("kafka".into(), "Kafka".into())]
            value=Signal::derive(move || current.get().map(|a| format!("{:?}", a.kind).to_lowercase()).unwrap_or_default())
            commit=Callback::new(move |v: String| {
                let kind = match v.as_str() { "redis" => AddonKind::Redis, "kafka" => AddonKind::Kafka, _ => AddonKind::Postgres };
                commit(&|a: &mut doc::Addon| a.kind = kind);
            }) />
        <TextField label="Port" test_id="addon-port"
            value=Signal::derive(move || current.get().map(|a| a.port.unwrap_or(a.kind.default_port()).to_string()).unwrap_or_default())
            validate=port_text commit=Callback::new(move |v: String| commit(&|a: &mut doc::Addon| a.port = v.trim().parse().ok())) />
    }
}

#[component]
fn VpcForm(id: String, #[prop(optional)] focus: Option<String>) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_vpc, Object::Vpc);
    let title = Signal::derive(move || current.get().map(|v| v.name).unwrap_or_default());
    let vid = id.clone();
    let spaces = Memo::new(move |_| {
        store.doc.with(|d| d.spaces.iter().map(|s| (s.id.clone(), s.name.clone())).collect::<Vec<_>>())
    });
    let vid2 = id.clone();
    let other_vpcs = Memo::new(move |_| {
        store.doc.with(|d| {
            d.vpcs.iter().filter(|v| v.id != vid2).map(|v| (v.id.clone(), v.name.clone())).collect::<Vec<_>>()
        })
    });
    let vid3 = id.clone();
    let whole = focus.is_none();
    let show = {
        let focus = focus.clone();
        move |part: &str| focus.as_deref().is_none_or(|f| f == part)
    };
    let (show_rt, show_sg, show_acl) = (show.clone(), show.clone(), show);
    let back = id.clone();
    // Version 2 on, a group given no outbound list allows all outbound traffic; in version 1, none.
    let omitted_outbound_allows_all = Memo::new(move |_| store.doc.with(|d| d.omitted_outbound_allows_all()));
    // The prefix lists shown: all of them for the whole VPC, those a focused group names.
    let focused_group = focus.clone().filter(|f| {
        store.doc.with_untracked(|d| d.vpcs.iter().flat_map(|v| v.security_groups.iter()).any(|g| g.id == *f))
    });
    view! {
        {header("AWS VPC", title, id.clone())}
        {focus.clone().map(|part| view! {
            <p class="hint" data-testid="inspector-focus">
                {format!("Showing {part}, a gate of this VPC on the canvas. ")}
                <button type="button" class="link" data-testid="inspector-whole" on:click=move |_| store.select_only(&back)>"Show the whole VPC"</button>
            </p>
        })}
        {whole.then(|| view! {
        {name_field(current, |v: &doc::Vpc| v.name.clone(), move |s| commit(&|v: &mut doc::Vpc| v.name = s.clone()))}
        <TextField label="Primary CIDR" test_id="vpc-cidr" hint="Must be private (RFC 1918) and not overlap the space to peer."
            value=Signal::derive(move || current.get().map(|v| v.primary_cidr).unwrap_or_default())
            validate=cidr_text commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpc| v.primary_cidr = s.trim().to_owned())) />
        <TextField label="Secondary CIDRs (one per line)" test_id="vpc-secondary" multiline=true hint="Not reachable from a peered space."
            value=Signal::derive(move || current.get().map(|v| v.secondary_cidrs.join("\n")).unwrap_or_default())
            validate=cidr_lines commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpc| v.secondary_cidrs = split_lines(&s))) />
        <TextField label="Public egress address" test_id="vpc-egress" hint="Where its hosts reach the internet from (NAT or internet gateway); empty for none."
            value=Signal::derive(move || current.get().and_then(|v| v.public_egress_ip).unwrap_or_default())
            validate=optional_address_text
            commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpc| v.public_egress_ip = if s.trim().is_empty() { None } else { Some(s.trim().to_owned()) })) />
        })}
        {move || current.get().map(|v| {
            let (show_rt, show_sg, show_acl) = (show_rt.clone(), show_sg.clone(), show_acl.clone());
            let main = v.main_route_table.clone();
            let tables = v.route_tables.iter().enumerate().filter(|(_, rt)| show_rt(&rt.id)).map(|(i, rt)| {
                let routes = rt.routes.clone();
                let label = if main.as_deref() == Some(rt.id.as_str()) {
                    format!("Routes of {}, the main route table (destination -> target)", rt.name)
                } else {
                    format!("Routes of {} (destination -> target)", rt.name)
                };
                view! {
                    <TextField label=label test_id=format!("routes-{}", rt.id) multiline=true
                        hint="A target is local, a peering (pcx-\u{2026}), a gateway (igw-\u{2026}, nat-\u{2026}, vgw-\u{2026}) or blackhole."
                        value=Signal::derive(move || format_routes(&routes))
                        validate=|s| parse_routes(s).err()
                        commit=Callback::new(move |s: String| if let Ok(r) = parse_routes(&s) { commit(&|v: &mut doc::Vpc| if let Some(t) = v.route_tables.get_mut(i) { t.routes = r.clone() }) }) />
                }
            }).collect_view();
            let allows_all = omitted_outbound_allows_all.get();
            let groups = v.security_groups.iter().enumerate().filter(|(_, sg)| show_sg(&sg.id)).map(|(i, sg)| {
                let (inb, outb) = (sg.inbound.clone(), sg.outbound.clone().unwrap_or_default());
                // No outbound list: all outbound traffic in version 2, nothing in version 1.
                let all_out = sg.outbound.is_none() && allows_all;
                let outbound = if all_out {
                    view! {
                        <p class="hint small" data-testid=format!("sg-out-default-{}", sg.id)>
                            "Outbound: all traffic to anywhere (all all to 0.0.0.0/0), as AWS creates a group. Untick to list rules instead."
                        </p>
                    }.into_any()
                } else {
                    let hint = if sg.outbound.is_none() {
                        "None listed: in a version 1 scenario that allows nothing out."
                    } else {
                        "Empty allows nothing out."
                    };
                    view! {
                        <TextField label=format!("{} outbound (protocol ports to a CIDR block, sg-\u{2026} or pl-\u{2026})", sg.name) test_id=format!("sg-out-{}", sg.id) multiline=true
                            hint=hint
                            value=Signal::derive(move || format_sg(&outb, "to"))
                            validate=|s| parse_sg(s, "to").err()
                            commit=Callback::new(move |s: String| if let Ok(r) = parse_sg(&s, "to") { commit(&|v: &mut doc::Vpc| if let Some(g) = v.security_groups.get_mut(i) && !(r.is_empty() && g.outbound.is_none()) { g.outbound = Some(r.clone()) }) }) />
                    }.into_any()
                };
                view! {
                    <TextField label=format!("{} inbound (protocol ports from a CIDR block, sg-\u{2026} or pl-\u{2026})", sg.name) test_id=format!("sg-in-{}", sg.id) multiline=true
                        value=Signal::derive(move || format_sg(&inb, "from"))
                        validate=|s| parse_sg(s, "from").err()
                        commit=Callback::new(move |s: String| if let Ok(r) = parse_sg(&s, "from") { commit(&|v: &mut doc::Vpc| if let Some(g) = v.security_groups.get_mut(i) { g.inbound = r.clone() }) }) />
                    {allows_all.then(|| view! {
                        <CheckField label=format!("{} allows all outbound traffic (no outbound rules listed)", sg.name) test_id=format!("sg-out-all-{}", sg.id)
                            value=Signal::derive(move || all_out)
                            commit=Callback::new(move |on: bool| commit(&|v: &mut doc::Vpc| if let Some(g) = v.security_groups.get_mut(i) {
                                // Listing starts from the one rule that means the same.
                                g.outbound = if on { None } else { Some(vec![doc::SecurityGroup::default_outbound_rule()]) };
                            })) />
                    })}
                    {outbound}
                }
            }).collect_view();
            let acls = v.network_acls.iter().enumerate().filter(|(_, acl)| show_acl(&acl.id)).map(|(i, acl)| {
                let (inb, outb) = (acl.inbound.clone(), acl.outbound.clone());
                view! {
                    <TextField label=format!("{} inbound (number action protocol ports from CIDR)", acl.name) test_id=format!("acl-in-{}", acl.id) multiline=true
                        value=Signal::derive(move || format_acl(&inb, "from"))
                        validate=|s| parse_acl(s, "from").err()
                        commit=Callback::new(move |s: String| if let Ok(r) = parse_acl(&s, "from") { commit(&|v: &mut doc::Vpc| if let Some(a) = v.network_acls.get_mut(i) { a.inbound = r.clone() }) }) />
                    <TextField label=format!("{} outbound (number action protocol ports to CIDR)", acl.name) test_id=format!("acl-out-{}", acl.id) multiline=true
                        value=Signal::derive(move || format_acl(&outb, "to"))
                        validate=|s| parse_acl(s, "to").err()
                        commit=Callback::new(move |s: String| if let Ok(r) = parse_acl(&s, "to") { commit(&|v: &mut doc::Vpc| if let Some(a) = v.network_acls.get_mut(i) { a.outbound = r.clone() }) }) />
                }
            }).collect_view();
            let main_label = match v.main_route_table.as_deref() {
                Some(m) => match v.route_tables.iter().find(|t| t.id == m) {
                    Some(t) => format!("main route table ({})", t.name),
                    None => format!("main route table ({m}, which does not exist: no routes)"),
                },
                None => "main route table (none chosen: no routes)".to_owned(),
            };
            let mut table_options: Vec<(String, String)> = vec![(String::new(), main_label)];
            table_options.extend(v.route_tables.iter().map(|t| (t.id.clone(), t.name.clone())));
            let mut main_options: Vec<(String, String)> = vec![(String::new(), "none".to_owned())];
            main_options.extend(v.route_tables.iter().map(|t| (t.id.clone(), t.name.clone())));
            if let Some(m) = v.main_route_table.clone().filter(|m| !v.route_tables.iter().any(|t| t.id == *m)) {
                main_options.push((m.clone(), format!("{m} (does not exist)")));
            }
            let main_value = v.main_route_table.clone().unwrap_or_default();
            let mut acl_options: Vec<(String, String)> = vec![(String::new(), "default (allows everything)".into())];
            acl_options.extend(v.network_acls.iter().map(|a| (a.id.clone(), a.name.clone())));
            let subnets = v.subnets.iter().enumerate().map(|(i, sn)| {
                let (cidr, rt, acl) = (sn.cidr.clone(), sn.route_table.clone(), sn.network_acl.clone().unwrap_or_default());
                let mut table_options = table_options.clone();
                if !table_options.iter().any(|(t, _)| *t == rt) {
                    table_options.push((rt.clone(), format!("{rt} (does not exist)")));
                }
                view! {
                    <fieldset class="field subnet">
                        <legend>{format!("Subnet {}", sn.name)}</legend>
                        <TextField label="CIDR" test_id=format!("subnet-cidr-{}", sn.id) value=Signal::derive(move || cidr.clone()) validate=cidr_text
                            commit=Callback::new(move |c: String| commit(&|v: &mut doc::Vpc| if let Some(s) = v.subnets.get_mut(i) { s.cidr = c.trim().to_owned() })) />
                        <SelectField label="Route table" test_id=format!("subnet-rt-{}", sn.id) options=table_options value=Signal::derive(move || rt.clone())
                            commit=Callback::new(move |t: String| commit(&|v: &mut doc::Vpc| if let Some(s) = v.subnets.get_mut(i) { s.route_table = t.clone() })) />
                        <SelectField label="Network ACL" test_id=format!("subnet-acl-{}", sn.id) options=acl_options.clone() value=Signal::derive(move || acl.clone())
                            commit=Callback::new(move |a: String| commit(&|v: &mut doc::Vpc| if let Some(s) = v.subnets.get_mut(i) { s.network_acl = if a.is_empty() { None } else { Some(a.clone()) } })) />
                    </fieldset>
                }
            }).collect_view();
            let (any_rt, any_sg, any_acl) = (
                v.route_tables.iter().any(|t| show_rt(&t.id)),
                v.security_groups.iter().any(|g| show_sg(&g.id)),
                whole || v.network_acls.iter().any(|a| show_acl(&a.id)),
            );
            view! {
                {any_rt.then(|| view! { <h3>"Route tables"</h3> })}
                {whole.then(|| view! {
                    <SelectField label="Main route table (for subnets that name none)" test_id="vpc-main-rt" options=main_options
                        value=Signal::derive(move || main_value.clone())
                        commit=Callback::new(move |t: String| commit(&|v: &mut doc::Vpc| v.main_route_table = if t.is_empty() { None } else { Some(t.clone()) })) />
                })}
                {tables}
                {any_sg.then(|| view! { <h3>"Security groups"</h3> })}
                {groups}
                {any_acl.then(|| view! { <h3>"Network ACLs"</h3> })}
                {if whole && v.network_acls.is_empty() { Some(view! { <p class="hint">"None: the default ACL allows everything."</p> }) } else { None }}
                {acls}
                {whole.then(|| view! {
                <div class="actions">
                    <button type="button" data-testid="vpc-add-acl" on:click=move |_| commit(&|v: &mut doc::Vpc| {
                        let id = format!("acl-{}-{}", v.id, v.network_acls.len() + 1);
                        v.network_acls.push(doc::NetworkAcl {
                            id: id.clone(),
                            name: id.clone(),
                            inbound: vec![doc::AclRule { number: 100, protocol: doc::RuleProtocol::All, ports: "all".into(), cidr: "0.0.0.0/0".into(), action: doc::Action::Allow }],
                            outbound: vec![doc::AclRule { number: 100, protocol: doc::RuleProtocol::All, ports: "all".into(), cidr: "0.0.0.0/0".into(), action: doc::Action::Allow }],
                            extra: Default::default(),
                        });
                        if let Some(s) = v.subnets.first_mut() { s.network_acl = Some(id); }
                    })>"+ Network ACL on the first subnet"</button>
                </div>
                <h3>"Subnets"</h3>
                {subnets}
                <div class="actions">
                    <button type="button" data-testid="vpc-add-subnet" on:click=move |_| commit(&|v: &mut doc::Vpc| {
                        let id = format!("subnet-{}-{}", v.id, v.subnets.len() + 1);
                        let base = v.primary_cidr.split('/').next().unwrap_or("10.0.0.0").split('.').take(2).collect::<Vec<_>>().join(".");
                        let cidr = format!("{base}.{}.0/24", v.subnets.len() + 1);
                        // The main route table when the VPC has one, as AWS associates a new subnet.
                        let route_table = if v.main_route_table.is_some() { String::new() } else { v.route_tables.first().map(|t| t.id.clone()).unwrap_or_default() };
                        v.subnets.push(doc::Subnet { name: id.clone(), id, cidr, route_table, network_acl: None, extra: Default::default() });
                    })>"+ Subnet"</button>
                    <button type="button" data-testid="vpc-add-route-table" on:click=move |_| commit(&|v: &mut doc::Vpc| {
                        let id = format!("rtb-{}-{}", v.id, v.route_tables.len() + 1);
                        let local = doc::Route { destination: v.primary_cidr.clone(), target: "local".into() };
                        v.route_tables.push(doc::RouteTable { name: id.clone(), id, routes: vec![local], extra: Default::default() });
                    })>"+ Route table"</button>
                    <button type="button" data-testid="vpc-add-sg" on:click=move |_| commit(&|v: &mut doc::Vpc| {
                        let id = format!("sg-{}-{}", v.id, v.security_groups.len() + 1);
                        let out = doc::SgRule { protocol: doc::RuleProtocol::All, ports: "all".into(), cidr: "0.0.0.0/0".into() };
                        v.security_groups.push(doc::SecurityGroup { name: id.clone(), id, inbound: Vec::new(), outbound: Some(vec![out]), extra: Default::default() });
                    })>"+ Security group"</button>
                </div>
                })}
            }
        })}
        {(whole || focused_group.is_some()).then(|| view! { <PrefixLists group=focused_group.clone() /> })}
        {whole.then(|| view! {
        <div class="actions">
            <h3>"Add and connect"</h3>
            <button type="button" data-testid="vpc-add-host" on:click={ let v = vid.clone(); move |_| { store.apply(Edit::Add(NewObject::Host { vpc: v.clone() })); } }>"+ Host"</button>
            {move || {
                let vpc = vid.clone();
                spaces.get().into_iter().map(|(sid, sname)| {
                    let vpc = vpc.clone();
                    view! {
                        <button type="button" data-testid=format!("peer-space-{sid}") on:click=move |_| { store.apply(Edit::Peer { space: sid.clone(), vpc: vpc.clone() }); }>
                            {format!("Peer with {sname}")}
                        </button>
                    }
                }).collect_view()
            }}
            {move || {
                let vpc = vid3.clone();
                other_vpcs.get().into_iter().map(|(oid, oname)| {
                    let vpc = vpc.clone();
                    view! {
                        <button type="button" data-testid=format!("peer-vpc-{oid}") title="A VPC-to-VPC peering: the space does not reach through it"
                            on:click=move |_| { store.apply(Edit::PeerVpcs { vpc: vpc.clone(), peer: oid.clone() }); }>
                            {format!("Peer with VPC {oname}")}
                        </button>
                    }
                }).collect_view()
            }}
        </div>
        })}
    }
}

/// Whether a security group's rules (either direction) name `target` (a group or prefix list ID).
fn group_names(g: &doc::SecurityGroup, target: &str) -> bool {
    g.inbound.iter().chain(g.outbound.iter().flatten()).any(|r| r.cidr.trim() == target)
}

/// The document's prefix lists (format version 2), edited beside the VPC whose groups name them:
/// each one's ID, name and entries, and the groups that name it. With `group`, only the lists that
/// security group names, and no "add" button.
#[component]
fn PrefixLists(group: Option<String>) -> impl IntoView {
    let store = use_store();
    let whole = group.is_none();
    let lists = Memo::new(move |_| {
        store.doc.with(|d| {
            let groups: Vec<&doc::SecurityGroup> = d.vpcs.iter().flat_map(|v| v.security_groups.iter()).collect();
            d.prefix_lists
                .iter()
                .filter(|p| group.as_ref().is_none_or(|g| groups.iter().any(|x| x.id == *g && group_names(x, &p.id))))
                .map(|p| {
                    let users: Vec<String> =
                        groups.iter().filter(|g| group_names(g, &p.id)).map(|g| g.id.clone()).collect();
                    (p.clone(), users)
                })
                .collect::<Vec<_>>()
        })
    });
    let commit = move |id: &str, f: &dyn Fn(&mut doc::PrefixList)| {
        if let Some(mut p) = store.doc.with_untracked(|d| d.prefix_lists.iter().find(|p| p.id == id).cloned()) {
            f(&mut p);
            store.apply(Edit::Update(Object::PrefixList(p)));
        }
    };
    view! {
        <Show when=move || whole || lists.with(|l| !l.is_empty())>
            <h3>"Prefix lists"</h3>
            <p class="hint">{if whole {
                "Named sets of CIDR blocks that the security group rules of any VPC here can name: tcp 443 from pl-\u{2026}."
            } else {
                "The prefix lists this group's rules name."
            }}</p>
        </Show>
        <Show when=move || whole && lists.with(Vec::is_empty)>
            <p class="hint" data-testid="prefix-lists-empty">"None yet."</p>
        </Show>
        {move || lists.get().into_iter().map(|(p, users)| {
            let (id, id2, id3, id4) = (p.id.clone(), p.id.clone(), p.id.clone(), p.id.clone());
            let (name, entries) = (p.name.clone(), p.entries.join("\n"));
            let used = if users.is_empty() {
                "No security group rule names it yet.".to_owned()
            } else {
                format!("Named by {}.", users.join(", "))
            };
            view! {
                <fieldset class="field prefix-list" data-testid=format!("prefix-list-{}", p.id)>
                    <legend>{format!("Prefix list {}", p.name)}</legend>
                    {whole.then(|| {
                        let own = id.clone();
                        let own2 = id.clone();
                        view! {
                            <TextField label="ID" test_id=format!("prefix-list-id-{id}") value=Signal::derive(move || own.clone())
                                validate=prefix_list_id_text
                                also=Callback::new(move |t: String| {
                                    let t = t.trim().to_owned();
                                    (t != own2 && store.doc.with(|d| crate::edit::all_ids(d).contains(&t)))
                                        .then(|| format!("\u{201c}{t}\u{201d} is already the ID of another object."))
                                })
                                hint="Rules name the list by it; renaming it renames them too."
                                commit=Callback::new(move |t: String| { store.apply(Edit::RenamePrefixList { from: id2.clone(), to: t.trim().to_owned() }); }) />
                        }
                    })}
                    <TextField label="Name" test_id=format!("prefix-list-name-{}", p.id) value=Signal::derive(move || name.clone())
                        validate=name_text commit=Callback::new(move |t: String| commit(&id3, &|p: &mut doc::PrefixList| p.name = t.trim().to_owned())) />
                    <TextField label="Entries (one CIDR block per line)" test_id=format!("prefix-list-entries-{}", p.id) multiline=true
                        value=Signal::derive(move || entries.clone())
                        validate=cidr_lines commit=Callback::new(move |t: String| commit(&id4, &|p: &mut doc::PrefixList| p.entries = split_lines(&t))) />
                    <p class="facts" data-testid=format!("prefix-list-users-{}", p.id)>{used}</p>
                    {whole.then(|| {
                        let gone = p.id.clone();
                        view! {
                            <button type="button" class="danger small" data-testid=format!("prefix-list-delete-{}", p.id)
                                title="Rules that name it are kept, and then name nothing"
                                on:click=move |_| { store.apply(Edit::Delete(vec![gone.clone()])); }>"Delete prefix list"</button>
                        }
                    })}
                </fieldset>
            }
        }).collect_view()}
        {whole.then(|| view! {
            <div class="actions">
                <button type="button" data-testid="add-prefix-list" on:click=move |_| { store.apply(Edit::Add(NewObject::PrefixList)); }>"+ Prefix list"</button>
            </div>
        })}
    }
}

#[component]
fn HostForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_host, Object::Host);
    let title = Signal::derive(move || current.get().map(|h| h.name).unwrap_or_default());
    let hid = id.clone();
    let vpc = Memo::new(move |_| store.doc.with(|d| vpc_of(d, &hid).and_then(|v| get_vpc(d, &v))));
    view! {
        {header("VPC host", title, id.clone())}
        {name_field(current, |h: &doc::Host| h.name.clone(), move |s| commit(&|h: &mut doc::Host| h.name = s.clone()))}
        <TextField label="Address" test_id="host-address"
            value=Signal::derive(move || current.get().map(|h| h.address).unwrap_or_default())
            validate=address_text commit=Callback::new(move |s: String| commit(&|h: &mut doc::Host| h.address = s.trim().to_owned())) />
        <TextField label="Listens on (5432, 53/udp)" test_id="host-ports"
            value=Signal::derive(move || current.get().map(|h| format_ports(&h.ports)).unwrap_or_default())
            validate=ports_text commit=Callback::new(move |s: String| if let Ok(p) = parse_ports(&s) { commit(&|h: &mut doc::Host| h.ports = p.clone()) }) />
        {move || vpc.get().map(|v| view! {
            <SelectField label="Subnet" test_id="host-subnet"
                options=v.subnets.iter().map(|s| (s.id.clone(), format!("{} ({})", s.name, s.cidr))).collect()
                value=Signal::derive(move || current.get().map(|h| h.subnet).unwrap_or_default())
                commit=Callback::new(move |s: String| commit(&|h: &mut doc::Host| h.subnet = s.clone())) />
            <fieldset class="field">
                <legend>"Security groups"</legend>
                {v.security_groups.iter().map(|g| {
                    let gid = g.id.clone();
                    let gid2 = g.id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || current.get().is_some_and(|h| h.security_groups.contains(&gid))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    commit(&|h: &mut doc::Host| {
                                        h.security_groups.retain(|x| *x != gid2);
                                        if on { h.security_groups.push(gid2.clone()); }
                                    });
                                } />
                            {g.name.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        })}
    }
}

#[component]
fn RemoteForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_remote, Object::Remote);
    let title = Signal::derive(move || current.get().map(|r| r.name).unwrap_or_default());
    let rid = id.clone();
    let spaces = Memo::new(move |_| {
        store.doc.with(|d| d.spaces.iter().map(|s| (s.id.clone(), s.name.clone())).collect::<Vec<_>>())
    });
    view! {
        {header("Remote network", title, id.clone())}
        {name_field(current, |r: &doc::RemoteNetwork| r.name.clone(), move |s| commit(&|r: &mut doc::RemoteNetwork| r.name = s.clone()))}
        <TextField label="CIDRs (one per line)" test_id="remote-cidrs" multiline=true
            value=Signal::derive(move || current.get().map(|r| r.cidrs.join("\n")).unwrap_or_default())
            validate=cidr_lines commit=Callback::new(move |s: String| commit(&|r: &mut doc::RemoteNetwork| r.cidrs = split_lines(&s))) />
        <TextField label="Public address" test_id="remote-egress" hint="Where its hosts reach the internet from; empty if unknown."
            value=Signal::derive(move || current.get().and_then(|r| r.public_egress_ip).unwrap_or_default())
            validate=optional_address_text
            commit=Callback::new(move |s: String| commit(&|r: &mut doc::RemoteNetwork| r.public_egress_ip = if s.trim().is_empty() { None } else { Some(s.trim().to_owned()) })) />
        <TextField label="Firewall, inbound (allow|deny protocol ports from CIDR; first match wins; empty for no firewall)" test_id="remote-firewall" multiline=true
            value=Signal::derive(move || current.get().and_then(|r| r.firewall.map(|f| format_firewall(&f.inbound))).unwrap_or_default())
            validate=|s| parse_firewall(s).err()
            commit=Callback::new(move |s: String| if let Ok(rules) = parse_firewall(&s) {
                commit(&|r: &mut doc::RemoteNetwork| {
                    if rules.is_empty() { r.firewall = None } else { r.firewall.get_or_insert_with(Default::default).inbound = rules.clone() }
                })
            }) />
        <div class="actions">
            <h3>"Add and connect"</h3>
            <button type="button" data-testid="remote-add-host" on:click={ let r = rid.clone(); move |_| { store.apply(Edit::Add(NewObject::RemoteHost { remote: r.clone() })); } }>"+ Host"</button>
            {move || {
                let remote = rid.clone();
                spaces.get().into_iter().map(|(sid, sname)| {
                    let remote = remote.clone();
                    view! {
                        <button type="button" data-testid=format!("vpn-space-{sid}") on:click=move |_| { store.apply(Edit::ConnectVpn { space: sid.clone(), remote: remote.clone() }); }>
                            {format!("VPN from {sname}")}
                        </button>
                    }
                }).collect_view()
            }}
        </div>
    }
}

#[component]
fn RemoteHostForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_remote_host, Object::RemoteHost);
    let title = Signal::derive(move || current.get().map(|h| h.name).unwrap_or_default());
    view! {
        {header("Remote host", title, id.clone())}
        {name_field(current, |h: &doc::RemoteHost| h.name.clone(), move |s| commit(&|h: &mut doc::RemoteHost| h.name = s.clone()))}
        <TextField label="Address" test_id="remote-host-address"
            value=Signal::derive(move || current.get().map(|h| h.address).unwrap_or_default())
            validate=address_text commit=Callback::new(move |s: String| commit(&|h: &mut doc::RemoteHost| h.address = s.trim().to_owned())) />
        <TextField label="Listens on (443, 53/udp)" test_id="remote-host-ports"
            value=Signal::derive(move || current.get().map(|h| format_ports(&h.ports)).unwrap_or_default())
            validate=ports_text commit=Callback::new(move |s: String| if let Ok(p) = parse_ports(&s) { commit(&|h: &mut doc::RemoteHost| h.ports = p.clone()) }) />
    }
}

#[component]
fn PeeringForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_peering, Object::Peering);
    let title = Signal::derive(move || current.get().map(|p| p.id).unwrap_or_default());
    view! {
        {header("Peering connection", title, id.clone())}
        <p class="facts">{move || current.get().map(|p| format!("Between space {} and VPC {}", p.space, p.vpc))}</p>
        <SelectField label="Status" test_id="peering-status"
            options=vec![("pending-acceptance".into(), "pending acceptance".into()), ("active".into(), "active".into()), ("deleted".into(), "deleted".into())]
            value=Signal::derive(move || current.get().map(|p| match p.status { PeeringStatus::Active => "active", PeeringStatus::PendingAcceptance => "pending-acceptance", PeeringStatus::Deleted => "deleted" }.to_owned()).unwrap_or_default())
            commit=Callback::new(move |v: String| {
                let status = match v.as_str() { "active" => PeeringStatus::Active, "deleted" => PeeringStatus::Deleted, _ => PeeringStatus::PendingAcceptance };
                commit(&|p: &mut doc::Peering| p.status = status);
            }) />
    }
}

#[component]
fn VpnForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_vpn, Object::Vpn);
    let title = Signal::derive(move || current.get().map(|v| v.name).unwrap_or_default());
    view! {
        {header("VPN connection", title, id.clone())}
        <p class="facts">{move || current.get().map(|v| format!("Between space {} and {}", v.space, v.remote_network))}</p>
        <SelectField label="Tunnels" test_id="vpn-tunnel"
            options=vec![("up".into(), "up".into()), ("down".into(), "down".into())]
            value=Signal::derive(move || current.get().map(|v| if v.tunnel_status == TunnelStatus::Up { "up" } else { "down" }.to_owned()).unwrap_or_default())
            commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpn| v.tunnel_status = if s == "down" { TunnelStatus::Down } else { TunnelStatus::Up })) />
        <TextField label="Routable CIDRs (one per line)" test_id="vpn-routable" multiline=true
            value=Signal::derive(move || current.get().map(|v| v.routable_cidrs.join("\n")).unwrap_or_default())
            validate=cidr_lines commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpn| v.routable_cidrs = split_lines(&s))) />
        <TextField label="Customer gateway address" test_id="vpn-gateway"
            value=Signal::derive(move || current.get().map(|v| v.customer_gateway).unwrap_or_default())
            validate=optional_address_text commit=Callback::new(move |s: String| commit(&|v: &mut doc::Vpn| v.customer_gateway = s.trim().to_owned())) />
    }
}

#[component]
fn ClientForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_client, Object::Client);
    let title = Signal::derive(move || current.get().map(|c| c.name).unwrap_or_default());
    view! {
        {header("Internet client", title, id.clone())}
        {name_field(current, |c: &doc::InternetClient| c.name.clone(), move |s| commit(&|c: &mut doc::InternetClient| c.name = s.clone()))}
        <TextField label="Address or range" test_id="client-cidr" hint="0.0.0.0/0 is anyone; 198.51.100.7/32 is one address."
            value=Signal::derive(move || current.get().map(|c| c.cidr).unwrap_or_default())
            validate=cidr_text commit=Callback::new(move |s: String| commit(&|c: &mut doc::InternetClient| c.cidr = s.trim().to_owned())) />
    }
}

#[component]
fn ServiceForm(id: String) -> impl IntoView {
    let store = use_store();
    let (current, commit) = object_form!(store, id, get_service, Object::Service);
    let title = Signal::derive(move || current.get().map(|s| s.name).unwrap_or_default());
    view! {
        {header("External service", title, id.clone())}
        {name_field(current, |s: &doc::ExternalService| s.name.clone(), move |v| commit(&|s: &mut doc::ExternalService| s.name = v.clone()))}
        <TextField label="Hostname" test_id="service-hostname"
            value=Signal::derive(move || current.get().map(|s| s.hostname).unwrap_or_default())
            validate=name_text commit=Callback::new(move |v: String| commit(&|s: &mut doc::ExternalService| s.hostname = v.trim().to_owned())) />
        <TextField label="Listens on" test_id="service-ports"
            value=Signal::derive(move || current.get().map(|s| format_ports(&s.ports)).unwrap_or_default())
            validate=ports_text commit=Callback::new(move |v: String| if let Ok(p) = parse_ports(&v) { commit(&|s: &mut doc::ExternalService| s.ports = p.clone()) }) />
        <CheckField label="Admits only an allowlist of source addresses" test_id="service-has-allowlist"
            value=Signal::derive(move || current.get().is_some_and(|s| s.allowlist.is_some()))
            commit=Callback::new(move |on: bool| commit(&|s: &mut doc::ExternalService| s.allowlist = if on { Some(s.allowlist.clone().unwrap_or_default()) } else { None })) />
        <Show when=move || current.get().is_some_and(|s| s.allowlist.is_some())>
            <TextField label="Allowlist (one range per line)" test_id="service-allowlist" multiline=true
                value=Signal::derive(move || current.get().and_then(|s| s.allowlist).map(|a| a.join("\n")).unwrap_or_default())
                validate=cidr_lines commit=Callback::new(move |v: String| commit(&|s: &mut doc::ExternalService| s.allowlist = Some(split_lines(&v)))) />
        </Show>
    }
}

/// Used by the palette and keyboard shortcuts: where a new app, add-on or host goes.
pub fn target_space(store: &Store) -> Option<String> {
    let sel = store.selection.get_untracked();
    store.doc.with_untracked(|d| sel.iter().find_map(|id| space_of(d, id)))
}
