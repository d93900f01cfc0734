//! The file-creation floor for `scripts/bench`: how long plain Rust takes
//! to write the files of a built site (same paths, same sizes) into a new
//! directory on the same disk, in parallel like a build. Builds are
//! compared with it, so figures from different machines compare.
//!
//! The copy is left in place: deleting it would slow whatever creates
//! files next on some filesystems (see `scripts/bench`).
//!
//! Usage: cargo run --release --example write_floor -- <built site> <new dir>

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, scratch] = args.as_slice() else {
        eprintln!("usage: write_floor <built site> <new dir>");
        std::process::exit(2);
    };
    let files: Vec<(PathBuf, u64)> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap().to_path_buf();
            (rel, e.metadata().map_or(0, |m| m.len()))
        })
        .collect();
    let biggest = files.iter().map(|(_, n)| *n).max().unwrap_or(0) as usize;
    let bytes = vec![b'x'; biggest];
    if scratch.exists() {
        eprintln!("{} exists: give a new directory", scratch.display());
        std::process::exit(2);
    }
    let started = Instant::now();
    files.par_iter().for_each(|(rel, len)| {
        let dest = scratch.join(rel);
        write(&dest, &bytes[..*len as usize]);
    });
    let secs = started.elapsed().as_secs_f64();
    let total: u64 = files.iter().map(|(_, n)| n).sum();
    println!("{secs:.3} {} {total}", files.len());
}

fn write(dest: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(dest, bytes) {
        if e.kind() != std::io::ErrorKind::NotFound {
            panic!("{}: {e}", dest.display());
        }
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}
