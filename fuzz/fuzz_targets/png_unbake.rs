//! PNG unbaking (and re-baking what was read): `accolade verify` and
//! `accolade bake` take PNGs from anyone.
#![no_main]
use accolade::openbadges::bake;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = bake::png_chunks(data);
    let _ = bake::read_png(data, bake::OB2_KEYWORD);
    let _ = bake::read_png(data, bake::OB3_KEYWORD);
    if let Ok(baked) = bake::bake_png(data, bake::OB3_KEYWORD, "{\"fuzz\":1}") {
        let texts = bake::read_png(&baked, bake::OB3_KEYWORD).expect("a baked PNG reads back");
        assert_eq!(texts, vec!["{\"fuzz\":1}".to_string()]);
    }
});
