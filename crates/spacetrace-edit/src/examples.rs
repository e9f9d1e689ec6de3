//! The example scenarios shipped in `scenarios/`, compiled into the app. The first is the default
//! loaded on a first visit.

/// (file name, JSON text)
pub const EXAMPLES: &[(&str, &str)] = &[
    ("default", include_str!("../../../scenarios/default.json")),
    ("common-runtime", include_str!("../../../scenarios/common-runtime.json")),
    ("private-space", include_str!("../../../scenarios/private-space.json")),
    ("trusted-ips", include_str!("../../../scenarios/trusted-ips.json")),
    ("internal-routing", include_str!("../../../scenarios/internal-routing.json")),
    ("peering", include_str!("../../../scenarios/peering.json")),
    ("vpn", include_str!("../../../scenarios/vpn.json")),
    ("aws", include_str!("../../../scenarios/aws.json")),
    ("fir", include_str!("../../../scenarios/fir.json")),
    ("limits", include_str!("../../../scenarios/limits.json")),
];

/// The default scenario, parsed. It is part of the build and is tested, so it always parses.
pub fn default_document() -> spacetrace_engine::doc::Document {
    load(EXAMPLES[0].1)
}

/// The example called `name` (its key in [`EXAMPLES`]), parsed.
pub fn example(name: &str) -> Option<spacetrace_engine::doc::Document> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, text)| load(text))
}

/// Parse an example. Examples are tested to parse; an unparsable one gives an empty document.
pub fn load(text: &str) -> spacetrace_engine::doc::Document {
    spacetrace_engine::parse_document(text).unwrap_or_default()
}

/// An empty scenario.
pub fn empty_document() -> spacetrace_engine::doc::Document {
    spacetrace_engine::doc::Document {
        version: Some(spacetrace_engine::doc::CURRENT_VERSION),
        name: "Untitled network".into(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `load` falls back to an empty document, so a broken example would go unnoticed in the app.
    #[test]
    fn every_example_parses() {
        for (name, text) in EXAMPLES {
            assert!(spacetrace_engine::parse_document(text).is_ok(), "{name} does not parse");
        }
        assert_eq!(default_document().name, load(EXAMPLES[0].1).name);
        assert!(empty_document().spaces.is_empty());
    }

    #[test]
    fn an_example_is_found_by_its_key() {
        assert_eq!(example("limits").map(|d| d.name), Some(load(EXAMPLES[9].1).name));
        assert!(example("Limits").is_none() && example("").is_none());
    }
}
