//! The generated account the benchmark imports (`cargo xtask bench`): it imports whole, peered
//! across both sides, and checks clean. Timings are printed by the benchmark, never asserted.

mod support;

use spacetrace_import::sample::{OBJECTS_PER_VPC, account};
use support::*;

#[test]
fn a_generated_account_of_two_thousand_objects_imports() {
    let files = account(2_000);
    let imported = import_files(&files);
    let doc = &imported.document;
    let blocks = 2_000 / OBJECTS_PER_VPC;
    assert_eq!(doc.vpcs.len(), blocks);
    assert_eq!(doc.vpcs.iter().map(|v| v.hosts.len()).sum::<usize>(), 3 * blocks);
    assert_eq!(doc.vpcs.iter().map(|v| v.subnets.len()).sum::<usize>(), 2 * blocks);
    assert_eq!(doc.peerings.len(), blocks);
    assert!(doc.peerings.iter().all(|p| p.space == "bench-space"));
    // Only the port inference is reported: one warning per host.
    assert!(imported.warnings.iter().all(|w| matches!(w.what, spacetrace_import::What::PortsInferred { .. })));
    assert_eq!(imported.warnings.len(), 3 * blocks);
    // The engine reads it; past the fifth, peerings are refused by the platform's limit.
    let checked = spacetrace_engine::check(doc);
    assert!(
        checked.errors().all(|d| d.rules.iter().any(|r| r.as_str() == "PEER-LIMIT")),
        "{:?}",
        checked.diagnostics.first()
    );
}
