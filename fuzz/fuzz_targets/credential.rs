//! What `accolade verify` does with a file before any network access: find
//! the credential (PNG, SVG or JSON), parse the JSON, and check a Data
//! Integrity proof (JSON-LD expansion and RDF canonicalisation of it).
#![no_main]
use std::sync::LazyLock;

use accolade::openbadges::bake;
use accolade::signing::Key;
use libfuzzer_sys::fuzz_target;

static PUBLIC: LazyLock<[u8; 32]> = LazyLock::new(|| Key::from_seed([7; 32]).public_key_bytes());

fuzz_target!(|data: &[u8]| {
    let texts: Vec<String> = if data.starts_with(b"\x89PNG") {
        let mut t = bake::read_png(data, bake::OB3_KEYWORD).unwrap_or_default();
        t.extend(bake::read_png(data, bake::OB2_KEYWORD).unwrap_or_default());
        t
    } else if let Ok(text) = std::str::from_utf8(data) {
        if text.trim_start().starts_with('<') {
            bake::read_svg(text, "credential")
                .into_iter()
                .chain(bake::read_svg(text, "assertion"))
                .map(|(_, t)| t)
                .collect()
        } else {
            vec![text.to_string()]
        }
    } else {
        return;
    };
    for text in texts {
        if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text.trim()) {
            let _ = accolade::signing::proof_verification_method(&doc);
            let _ = accolade::signing::verify(&doc, &PUBLIC);
        }
    }
});
