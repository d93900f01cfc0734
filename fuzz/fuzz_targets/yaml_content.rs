//! The YAML loader: any text as each kind of content file.
#![no_main]
use std::path::Path;

use accolade::content::{AwardFile, BadgeFile, EarnerFile, SiteFile, yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("content/fuzz.yaml");
    let _ = yaml::parse::<SiteFile>(file, text);
    let _ = yaml::parse::<BadgeFile>(file, text);
    let _ = yaml::parse::<Vec<EarnerFile>>(file, text);
    if let Err(d) = yaml::parse::<Vec<AwardFile>>(file, text) {
        // Rendering a located error quotes the source line: it must not panic either.
        let _ = d.render_with_source(Some(text));
    }
});
