//! QR codes of verification URLs, as vector SVG (crisp in print at any dpi)
//! and PNG (for places that cannot show SVG).
//!
//! Error correction is level Q (25% of the code may be lost): a printed
//! code survives smudges, folds and a camera at an angle. Verification URLs
//! are short, so the code stays coarse (about 33 modules) and quick to scan.
//! The quiet zone is the four modules the standard asks for.

use qrcode::{EcLevel, QrCode};

const QUIET_ZONE: usize = 4;
/// Pixels per module in the PNG: large enough for print previews and screens.
const PNG_SCALE: usize = 10;

/// The dark/light modules of a URL's QR code (true = dark), row by row.
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

    /// A compact SVG for inlining into pages (one stroked path, relative
    /// moves, about a third of [`Matrix::to_svg`]'s bytes): every page of a
    /// lean site carries its QR code, so bytes here count per award.
    /// `label` names it for screen readers; `px` is its displayed size.
    pub fn to_inline_svg(&self, label: &str, px: u32) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let mut path = String::with_capacity(self.width * self.width);
        // The pen position after the last run: (x, y) of the run's end.
        let mut pen: Option<(usize, usize)> = None;
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
                let (sx, sy) = (start + QUIET_ZONE, y + QUIET_ZONE);
                match pen {
                    None => path.push_str(&format!("M{sx} {sy}.5")),
                    Some((px_, py)) => {
                        let dx = sx as i64 - px_ as i64;
                        let dy = sy as i64 - py as i64;
                        path.push_str(&format!("m{dx} {dy}"));
                    }
                }
                path.push_str(&format!("h{}", x - start));
                pen = Some((x + QUIET_ZONE, sy));
            }
        }
        format!(
            "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{label}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>",
            label = crate::text::xml_escape(label),
        )
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
}
