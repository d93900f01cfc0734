//! SVG unbaking and baking on arbitrary text.
#![no_main]
use accolade::openbadges::bake;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(svg) = std::str::from_utf8(data) else {
        return;
    };
    let _ = bake::read_svg(svg, "assertion");
    let _ = bake::read_svg(svg, "credential");
    if let Ok(baked) = bake::bake_svg(svg, "credential", bake::OB3_SVG_NS, None, "{\"a\":\"]]>\"}")
    {
        let _ = bake::read_svg(&baked, "credential");
    }
});
