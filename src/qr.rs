//! QR codes of verification URLs, as vector SVG (crisp in print at any dpi)
//! and PNG (for places that cannot show SVG).
//!
//! Error correction is level Q (25% of the code may be lost) for every
//! code that may be printed: it survives smudges, folds and a camera at an
//! angle. Verification URLs are short, so the code stays coarse (about 33
//! modules) and quick to scan. The wallet code, only ever on a screen, is
//! level L.
//! The quiet zone is the four modules the standard asks for.

use std::cell::RefCell;
use std::collections::VecDeque;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

const QUIET_ZONE: usize = 4;
/// Pixels per module in the PNG: large enough for print previews and screens.
const PNG_SCALE: usize = 10;

/// The dark/light modules of a URL's QR code (true = dark), row by row.
#[derive(Clone)]
pub struct Matrix {
    pub width: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// The code `qrcode` makes (`QrCode::with_error_correction_level`),
    /// with the mask chosen here: the crate scores the eight masks through
    /// boxed closures per module, which made choosing a mask cost more than
    /// writing the award's files. Same scores, same choice, same code. The
    /// masks are applied from frames made once per version (see [`frames`]).
    /// A code 128 or more modules wide (a URL of some 900 characters, which
    /// no verification address is) is left to `qrcode` itself.
    ///
    /// `level` is Q for codes that may be printed.
    pub fn encode_at(url: &str, level: EcLevel) -> Result<Matrix, String> {
        let fail = |e: qrcode::types::QrError| format!("cannot make a QR code of `{url}`: {e}");
        let bits = qrcode::bits::encode_auto(url.as_bytes(), level).map_err(fail)?;
        let version = bits.version();
        let width = version.width() as usize;
        if width >= 128 {
            let code =
                qrcode::QrCode::with_error_correction_level(url.as_bytes(), level).map_err(fail)?;
            let dark = code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            return Ok(Matrix { width, dark });
        }
        let (data, ec) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).map_err(fail)?;
        let mut canvas = Canvas::new(version, level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        // Data modules (Some: their colour before masking) and the rest.
        let modules: Vec<Option<bool>> = (0..width * width)
            .map(
                |i| match canvas.get((i % width) as i16, (i / width) as i16) {
                    qrcode::canvas::Module::Unmasked(c) => Some(c == Color::Dark),
                    _ => None,
                },
            )
            .collect();
        let frames = frames(version, level);
        // A frame's data modules are dark where its mask inverts: masked,
        // a data module is its colour flipped where the frame is dark.
        let data = Bits::of(width, |x, y| modules[y * width + x] == Some(true));
        let dark = frames
            .iter()
            .map(|frame| frame.xor(&data))
            .min_by_key(|masked| masked.penalty(width))
            .expect("eight masks")
            .to_dark(width);
        Ok(Matrix { width, dark })
    }

    /// [`Matrix::encode_at`], remembering this thread's last few codes: an
    /// award's pages in every language show the same code and are rendered
    /// one after another (see `render::plan`), and choosing the best mask
    /// is the costly part of a code. A few entries keep memory flat on a
    /// site of any size.
    pub fn encode_recent(url: &str, level: EcLevel) -> Result<Matrix, String> {
        const KEEP: usize = 8;
        type Recent = VecDeque<(String, EcLevel, Matrix)>;
        thread_local! {
            static RECENT: RefCell<Recent> = const { RefCell::new(VecDeque::new()) };
        }
        let hit = RECENT.with_borrow(|r| {
            r.iter()
                .find(|(u, l, _)| u == url && *l == level)
                .map(|(.., m)| m.clone())
        });
        if let Some(m) = hit {
            return Ok(m);
        }
        let m = Matrix::encode_at(url, level)?;
        RECENT.with_borrow_mut(|r| {
            if r.len() == KEEP {
                r.pop_front();
            }
            r.push_back((url.to_string(), level, m.clone()));
        });
        Ok(m)
    }

    fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// An SVG with one path, runs of dark modules merged per row.
    pub fn to_svg(&self, title: &str) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let mut path = String::with_capacity(self.width * self.width * 4);
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                ));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" role=\"img\"><title>{title}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>\n",
            px = size * PNG_SCALE,
            title = crate::text::xml_escape(title),
        )
    }

    /// A compact SVG for inlining into pages: one stroked line that snakes
    /// through the rows (right, down one, left, …) with a dash pattern for
    /// the dark modules, about half of [`Matrix::to_svg`]'s bytes. Every
    /// page of a lean site carries its QR code, so bytes here count per
    /// award; it is still vector art, crisp in print. `label` names it for
    /// screen readers; `px` is its displayed size. Written as the page
    /// compactor leaves it (quotes only where needed; the label's are kept,
    /// as a label has spaces), so award pages can take it as it is.
    pub fn to_inline_svg(&self, label: &str, px: u32) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let side = size.to_string();
        let mut path = format!("M0 {QUIET_ZONE}.5h{size}");
        for row in 1..self.width {
            path.push_str(if row % 2 == 1 { "v1h-" } else { "v1h" });
            path.push_str(&side);
        }
        let runs = self.dash_runs();
        let mut dashes = String::with_capacity(3 * runs.len());
        for (i, &n) in runs.iter().enumerate() {
            if i > 0 {
                dashes.push(' ');
            }
            // Most runs are one digit; formatting each was a tenth of a page.
            match n {
                0..=9 => dashes.push(char::from(b'0' + n as u8)),
                _ => dashes.push_str(&n.to_string()),
            }
        }
        format!(
            "<svg class=qr viewBox=\"0 0 {size} {size}\" width={px} height={px} shape-rendering=crispEdges role=img aria-label=\"{label}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"none\" stroke=\"#000\" stroke-dasharray=\"{}\" d=\"{path}\"/></svg>",
            dashes,
            label = crate::text::xml_escape(label),
        )
    }

    /// Run lengths of dark and light modules along the snaking line of
    /// [`Matrix::to_inline_svg`], starting with a dark run (possibly 0),
    /// so they read as a dash pattern. The quiet zone and the one-module
    /// steps between rows are light.
    fn dash_runs(&self) -> Vec<usize> {
        let size = self.width + 2 * QUIET_ZONE;
        let mut runs = vec![0];
        let mut push = |dark: bool| {
            let want_dark = runs.len() % 2 == 1;
            if dark == want_dark {
                *runs.last_mut().expect("never empty") += 1;
            } else {
                runs.push(1);
            }
        };
        for row in 0..self.width {
            if row > 0 {
                push(false);
            }
            for i in 0..size {
                let x = if row % 2 == 0 { i } else { size - 1 - i };
                let inside = (QUIET_ZONE..QUIET_ZONE + self.width).contains(&x);
                push(inside && self.is_dark(x - QUIET_ZONE, row));
            }
        }
        if runs.len() % 2 == 1 {
            runs.push(0);
        }
        runs
    }

    /// A greyscale PNG, `PNG_SCALE` pixels per module.
    pub fn to_png(&self) -> Vec<u8> {
        self.png_at(PNG_SCALE)
    }

    fn png_at(&self, scale: usize) -> Vec<u8> {
        // One bit per pixel (1 = white): an eighth of the data to compress,
        // which is most of the cost of a QR code on a large site.
        let side = (self.width + 2 * QUIET_ZONE) * scale;
        let stride = side.div_ceil(8);
        let mut row = vec![0u8; stride];
        let mut pixels = Vec::with_capacity(stride * side);
        for y in 0..side {
            row.fill(0xff);
            let my = y / scale;
            if (QUIET_ZONE..QUIET_ZONE + self.width).contains(&my) {
                for x in 0..side {
                    let mx = x / scale;
                    if (QUIET_ZONE..QUIET_ZONE + self.width).contains(&mx)
                        && self.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE)
                    {
                        row[x / 8] &= !(0x80 >> (x % 8));
                    }
                }
            }
            pixels.extend_from_slice(&row);
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        // fdeflate: the default (zlib-style) compressor zeroes ~300 KB of
        // tables for each image (60 µs for a small code, 10 times this).
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().expect("PNG header into memory");
        w.write_image_data(&pixels).expect("PNG data into memory");
        w.finish().expect("PNG end into memory");
        out
    }
}

/// The masks of a (non-micro) QR code, in the order `qrcode` tries them:
/// on equal scores the first wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// For each mask, in [`MASKS`] order, the colours `qrcode` gives a code of
/// this version with no data: its function patterns and the mask's format
/// information, and, where data goes, dark exactly where the mask inverts.
/// Made once per version and level (a site's URLs have one or two
/// versions), for codes under 128 modules wide.
fn frames(version: qrcode::Version, level: EcLevel) -> std::sync::Arc<Vec<Bits>> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex};
    type Frames = Mutex<HashMap<(i16, u8), Arc<Vec<Bits>>>>;
    static FRAMES: LazyLock<Frames> = LazyLock::new(Default::default);
    let mut memo = FRAMES.lock().unwrap_or_else(|e| e.into_inner());
    let made = memo
        .entry((version.width(), level as u8))
        .or_insert_with(|| {
            let mut canvas = Canvas::new(version, level);
            canvas.draw_all_functional_patterns();
            let frames = MASKS
                .iter()
                .map(|&mask| {
                    let mut c = canvas.clone();
                    c.apply_mask(mask);
                    let dark: Vec<bool> = c
                        .into_colors()
                        .into_iter()
                        .map(|c| c == Color::Dark)
                        .collect();
                    let n = version.width() as usize;
                    Bits::of(n, |x, y| dark[y * n + x])
                })
                .collect();
            Arc::new(frames)
        });
    Arc::clone(made)
}

/// A code of under 128 modules a side as bits: each row (bit x is column
/// x) and each column (bit y is row y) in one word, so masks are applied
/// and scored a line at a time. Eight masks per code made choosing one the
/// largest cost of a QR code.
struct Bits {
    rows: Vec<u128>,
    cols: Vec<u128>,
}

impl Bits {
    fn of(n: usize, dark: impl Fn(usize, usize) -> bool) -> Bits {
        let mut bits = Bits {
            rows: vec![0; n],
            cols: vec![0; n],
        };
        for y in 0..n {
            for x in (0..n).filter(|&x| dark(x, y)) {
                bits.rows[y] |= 1 << x;
                bits.cols[x] |= 1 << y;
            }
        }
        bits
    }

    fn xor(&self, other: &Bits) -> Bits {
        let xor = |a: &[u128], b: &[u128]| a.iter().zip(b).map(|(a, b)| a ^ b).collect();
        Bits {
            rows: xor(&self.rows, &other.rows),
            cols: xor(&self.cols, &other.cols),
        }
    }

    fn to_dark(&self, n: usize) -> Vec<bool> {
        (0..n * n)
            .map(|i| self.rows[i / n] >> (i % n) & 1 == 1)
            .collect()
    }

    /// The standard's penalty of a masked code (lower is easier to scan),
    /// computed as `qrcode` computes it: runs of five or more in a line,
    /// 2×2 blocks of one colour, finder-like patterns, and dark/light
    /// imbalance.
    fn penalty(&self, n: usize) -> u32 {
        let mut score: u32 = self
            .rows
            .iter()
            .chain(&self.cols)
            .map(|&l| runs_penalty_bits(l, n) + finder_penalty_bits(l, n))
            .sum();
        let inside = (1u128 << (n - 1)) - 1;
        for pair in self.rows.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // Bit x: a[x] = b[x], a[x+1] = b[x+1] and a[x] = a[x+1].
            let same_col = !(a ^ b);
            let blocks = same_col & (same_col >> 1) & !(a ^ (a >> 1)) & inside;
            score += 3 * blocks.count_ones();
        }
        let count: usize = self.rows.iter().map(|r| r.count_ones() as usize).sum();
        score + (count * 200 / (n * n)).abs_diff(100) as u32
    }
}

/// [`runs_penalty`] of a line of `n` (< 128) modules held as bits, with no
/// loop: a run of L ≥ 5 holds L − 4 windows of five equal modules, so the
/// windows plus two for each group of them (each run) make L − 2.
fn runs_penalty_bits(line: u128, n: usize) -> u32 {
    if n < 5 {
        return 0;
    }
    // Bit x: module x has the colour of module x + 1.
    let same = !(line ^ (line >> 1));
    let fives = same & (same >> 1) & (same >> 2) & (same >> 3) & ((1 << (n - 4)) - 1);
    let runs = fives & !(fives << 1);
    fives.count_ones() + 2 * runs.count_ones()
}

/// [`finder_penalty`] of a line of `n` (< 128) modules held as bits.
fn finder_penalty_bits(line: u128, n: usize) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    if n < 7 {
        return 0;
    }
    // Bit j: the pattern starts at module j.
    let mut starts = (1u128 << (n - 6)) - 1;
    for (k, dark) in PATTERN.iter().enumerate() {
        starts &= if *dark { line >> k } else { !(line >> k) };
    }
    let mut score = 0;
    while starts != 0 {
        let j = starts.trailing_zeros() as usize;
        starts &= starts - 1;
        let from = j.saturating_sub(4);
        let before = (line >> from) & ((1 << (j - from)) - 1);
        let after = (line >> (j + 7)) & 0b1111;
        if before == 0 || after == 0 {
            score += 40;
        }
    }
    score
}

/// [`Bits::penalty`] module by module, as the QR specification words it:
/// the tests' oracle for the scoring on bits.
#[cfg(test)]
fn penalty_by_module(dark: &[bool], n: usize, line: &mut Vec<bool>) -> u32 {
    let at = |x: usize, y: usize| dark[y * n + x];
    let mut score = 0;
    for horizontal in [true, false] {
        for i in 0..n {
            line.clear();
            line.extend((0..n).map(|j| if horizontal { at(j, i) } else { at(i, j) }));
            score += runs_penalty(line) + finder_penalty(line);
        }
    }
    for y in 0..n - 1 {
        for x in 0..n - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    let ratio = dark.iter().filter(|d| **d).count() * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// Each run of L ≥ 5 modules of one colour costs L − 2.
#[cfg(test)]
fn runs_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 0;
    for (i, &c) in line.iter().enumerate() {
        run += 1;
        if line.get(i + 1) != Some(&c) {
            if run >= 5 {
                score += run - 2;
            }
            run = 0;
        }
    }
    score
}

/// Each `#.###.#` not bordered by dark modules on both sides (four modules
/// each way; outside the code counts as light) costs 40.
#[cfg(test)]
fn finder_penalty(line: &[bool]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let n = line.len();
    let dark_in = |from: usize, to: usize| line[from.min(n)..to.min(n)].contains(&true);
    (0..n.saturating_sub(6))
        .filter(|&j| line[j..j + 7] == PATTERN)
        .filter(|&j| !dark_in(j.saturating_sub(4), j) || !dark_in(j + 7, j + 11))
        .map(|_| 40)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mask chosen here is the one `qrcode` chooses, code for code.
    #[test]
    fn codes_are_the_ones_qrcode_makes() {
        let mut seed = 7u32;
        for i in 0..401 {
            let id: String = (0..12)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ"[(seed >> 16) as usize % 32])
                })
                .collect();
            let url = match i % 3 {
                // Past 127 modules a side: left to qrcode.
                _ if i == 400 => format!("https://example.org/verify/{id}/?{}", "y".repeat(1000)),
                0 => format!("https://credentials.example.org/verify/{id}/"),
                1 => format!("https://example.github.io/programme/certs/verify/{id}/"),
                _ => format!(
                    "http://127.0.0.1:8080/verify/{id}/?x={}",
                    "y".repeat(i % 40)
                ),
            };
            // Screen codes (level L) for a quarter of them.
            let level = if i % 4 == 3 { EcLevel::L } else { EcLevel::Q };
            let theirs =
                qrcode::QrCode::with_error_correction_level(url.as_bytes(), level).unwrap();
            let ours = Matrix::encode_at(&url, level).unwrap();
            assert_eq!(ours.width, theirs.width(), "{url}");
            assert!(i < 400 || ours.width >= 128, "the last code is a wide one");
            let theirs: Vec<bool> = theirs
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            assert!(ours.dark == theirs, "{url}");
        }
    }

    /// Scoring on bits gives the module-by-module scores, at every width
    /// the fast path takes, on random codes and on runs and finder-like
    /// patterns at the edges.
    #[test]
    fn penalties_on_bits_equal_penalties_by_module() {
        let mut seed = 11u32;
        let mut line = Vec::new();
        for n in [21, 25, 33, 45, 63, 64, 65, 101, 127] {
            for case in 0..30 {
                let dark: Vec<bool> = (0..n * n)
                    .map(|i| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        match case % 3 {
                            0 => (seed >> 16).is_multiple_of(2),
                            // Long runs and finder-like lines.
                            1 => !(seed >> 16).is_multiple_of(7),
                            _ => [true, false, true, true, true, false, true, false][i % 8],
                        }
                    })
                    .collect();
                assert_eq!(
                    Bits::of(n, |x, y| dark[y * n + x]).penalty(n),
                    penalty_by_module(&dark, n, &mut line),
                    "{n} modules, case {case}"
                );
            }
        }
    }

    #[test]
    fn short_urls_make_coarse_codes() {
        let m = Matrix::encode_at(
            "https://credentials.example.org/verify/7Q3K9XWD2M4T/",
            EcLevel::Q,
        )
        .unwrap();
        assert!(m.width <= 37, "version 5 or lower, got {} modules", m.width);
        let svg = m.to_svg("QR <code>");
        assert!(svg.contains("&lt;code&gt;"));
        assert!(svg.contains("viewBox=\"0 0 "));
    }

    /// The inline SVG's dash pattern, walked along the snaking line, gives
    /// back every module, and is exactly as long as the line.
    #[test]
    fn inline_dashes_spell_out_every_module() {
        let m = Matrix::encode_at("https://example.org/verify/7Q3K9XWD2M4T/", EcLevel::Q).unwrap();
        let size = m.width + 2 * QUIET_ZONE;
        let runs = m.dash_runs();
        let mut colours = Vec::new();
        for (i, &n) in runs.iter().enumerate() {
            colours.extend(std::iter::repeat_n(i % 2 == 0, n));
        }
        assert_eq!(
            colours.len(),
            m.width * size + m.width - 1,
            "as long as the line"
        );
        for row in 0..m.width {
            let start = row * (size + 1);
            for i in 0..size {
                let x = if row % 2 == 0 { i } else { size - 1 - i };
                let inside = (QUIET_ZONE..QUIET_ZONE + m.width).contains(&x);
                let dark = inside && m.is_dark(x - QUIET_ZONE, row);
                assert_eq!(colours[start + i], dark, "row {row}, x {x}");
            }
        }
        let svg = m.to_inline_svg("QR \"x\"", 180);
        assert!(svg.contains("aria-label=\"QR &quot;x&quot;\""));
        // As the page compactor leaves it (award skeletons rely on it).
        for label in ["QR code of the page", "指向验证页面的二维码", "a <b> & 'c'"] {
            let svg = m.to_inline_svg(label, 180);
            let compacted = crate::render::compact::compact(svg.as_bytes());
            assert_eq!(String::from_utf8(compacted).unwrap(), svg);
        }
    }
}
