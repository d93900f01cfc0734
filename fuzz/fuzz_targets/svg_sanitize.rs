//! Badge artwork sanitising: whatever goes in, what comes out is well-formed
//! and carries no script or outside reference.
#![no_main]
use std::sync::LazyLock;

use accolade::images::{self, Fonts};
use accolade::theme::Theme;
use libfuzzer_sys::fuzz_target;

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts::from_theme(&Theme::built_in()));

fuzz_target!(|data: &[u8]| {
    if let Ok(clean) = images::sanitize_svg(data, &FONTS) {
        let text = std::str::from_utf8(&clean.svg).expect("UTF-8 output");
        images::check_clean(text).expect("the output passes its own check");
    }
});
