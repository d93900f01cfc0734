//! The `serve` request parser and its path check.
#![no_main]
use accolade::serve;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((_method, target)) = serve::read_request(data) {
        let path = target.split(['?', '#']).next().unwrap_or("/");
        if let Some(segments) = serve::safe_segments(path) {
            for s in segments {
                assert!(s != ".." && !s.contains(['/', '\\', '\0']), "{s:?}");
            }
        }
    }
});
