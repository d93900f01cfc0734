//! How fast page compaction is: compacts every `.html` file under a built
//! site (the uncompacted pages are not kept, so it compacts the compacted
//! ones, which takes the same pass over the bytes), many times over, and
//! prints nanoseconds per input byte.
//! Usage: cargo run --release --example compact_speed -- public/ [ROUNDS]

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: compact_speed DIR [ROUNDS]");
    let rounds: usize = args
        .next()
        .map_or(20, |r| r.parse().expect("ROUNDS is a number"));
    let pages: Vec<Vec<u8>> = walk(std::path::Path::new(&dir));
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let start = std::time::Instant::now();
    let mut out = 0;
    for _ in 0..rounds {
        for p in &pages {
            out += accolade::render::compact::compact(std::hint::black_box(p)).len();
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / (bytes * rounds) as f64;
    println!(
        "{} pages, {bytes} bytes, {rounds} rounds: {ns:.2} ns a byte ({out} bytes out)",
        pages.len()
    );
}

fn walk(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut pages = Vec::new();
    for e in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            pages.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            pages.push(std::fs::read(&p).expect("a readable page"));
        }
    }
    pages
}
