//! QR codes of verification URLs, as vector SVG (crisp in print at any dpi)
//! and PNG (for places that cannot show SVG).
//!
//! Error correction is level Q (25% of the code may be lost): a printed
//! code survives smudges, folds and a camera at an angle. Verification URLs
//! are short, so the code stays coarse (about 33 modules) and quick to scan.
//! The quiet zone is the four modules the standard asks for.

use std::cell::RefCell;
use std::collections::VecDeque;

use qrcode::{EcLevel, QrCode};

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
    pub fn encode(url: &str) -> Result<Matrix, String> {
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::Q)
            .map_err(|e| format!("cannot make a QR code of `{url}`: {e}"))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        Ok(Matrix { width, dark })
    }

    /// [`Matrix::encode`], remembering this thread's last few codes: an
    /// award's pages in every language show the same code and are rendered
    /// one after another (see `render::plan`), and choosing the best mask
    /// is the costly part of a code. A few entries keep memory flat on a
    /// site of any size.
    pub fn encode_recent(url: &str) -> Result<Matrix, String> {
        const KEEP: usize = 8;
        thread_local! {
            static RECENT: RefCell<VecDeque<(String, Matrix)>> = const { RefCell::new(VecDeque::new()) };
        }
        let hit = RECENT.with_borrow(|r| r.iter().find(|(u, _)| u == url).map(|(_, m)| m.clone()));
        if let Some(m) = hit {
            return Ok(m);
        }
        let m = Matrix::encode(url)?;
        RECENT.with_borrow_mut(|r| {
            if r.len() == KEEP {
                r.pop_front();
            }
            r.push_back((url.to_string(), m.clone()));
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
    /// screen readers; `px` is its displayed size.
    pub fn to_inline_svg(&self, label: &str, px: u32) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let mut path = format!("M0 {QUIET_ZONE}.5h{size}");
        for row in 1..self.width {
            path.push_str(if row % 2 == 1 { "v1h-" } else { "v1h" });
            path.push_str(&size.to_string());
        }
        let dashes: Vec<String> = self.dash_runs().iter().map(usize::to_string).collect();
        format!(
            "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{label}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"none\" stroke=\"#000\" stroke-dasharray=\"{}\" d=\"{path}\"/></svg>",
            dashes.join(" "),
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
        // One bit per pixel (1 = white): an eighth of the data to compress,
        // which is most of the cost of a QR code on a large site.
        let side = (self.width + 2 * QUIET_ZONE) * PNG_SCALE;
        let stride = side.div_ceil(8);
        let mut row = vec![0u8; stride];
        let mut pixels = Vec::with_capacity(stride * side);
        for y in 0..side {
            row.fill(0xff);
            let my = y / PNG_SCALE;
            if (QUIET_ZONE..QUIET_ZONE + self.width).contains(&my) {
                for x in 0..side {
                    let mx = x / PNG_SCALE;
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
        let mut w = enc.write_header().expect("PNG header into memory");
        w.write_image_data(&pixels).expect("PNG data into memory");
        w.finish().expect("PNG end into memory");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_urls_make_coarse_codes() {
        let m = Matrix::encode("https://credentials.example.org/verify/7Q3K9XWD2M4T/").unwrap();
        assert!(m.width <= 37, "version 5 or lower, got {} modules", m.width);
        let svg = m.to_svg("QR <code>");
        assert!(svg.contains("&lt;code&gt;"));
        assert!(svg.contains("viewBox=\"0 0 "));
    }

    /// The inline SVG's dash pattern, walked along the snaking line, gives
    /// back every module, and is exactly as long as the line.
    #[test]
    fn inline_dashes_spell_out_every_module() {
        let m = Matrix::encode("https://example.org/verify/7Q3K9XWD2M4T/").unwrap();
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
    }
}
