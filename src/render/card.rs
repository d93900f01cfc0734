//! Link-preview cards: the card template rendered for a badge in each
//! language, the badge name wrapped to fit, and the text no font of the
//! theme can draw.

use tera::Context;

use super::*;

impl Renderer<'_> {
    /// The card template rendered for a badge in a language.
    pub(super) fn card_svg(&self, lang: usize, b: usize) -> Result<String, Diagnostic> {
        let l = &self.langs[lang];
        let badge = &l.badges[b];
        let mut ctx = Context::new();
        ctx.insert("badge", badge);
        ctx.insert("name_lines", &wrap(&badge.name, 20, 3));
        let (x, y, side) = crate::images::CARD_ART;
        ctx.insert("art", &serde_json::json!({ "x": x, "y": y, "size": side }));
        l.tera.render("card.svg", &ctx).map_err(|e| {
            Diagnostic::error(
                format!("themes/{}/templates/card.svg", self.theme.name),
                Pos::default(),
                tera_error(&e),
            )
        })
    }

    /// The images whose text has characters no font of the theme can draw
    /// (they would show as boxes): each card in each language, and SVG
    /// artwork. They are laid out here, before anything is rasterised, so
    /// `check` and `build` can warn about them.
    pub fn undrawable_text(&self) -> Vec<Undrawable> {
        use rayon::prelude::*;
        let fonts = self.files.fonts();
        let images: Vec<(usize, Option<usize>)> = self
            .plan
            .iter()
            .filter_map(|j| match j {
                Job::Card { lang, badge } => Some((*badge, Some(*lang))),
                Job::Badge(b) if self.site.badges[*b].image_ext() == "svg" => Some((*b, None)),
                _ => None,
            })
            .collect();
        images
            .par_iter()
            .filter_map(|&(badge, lang)| {
                let chars = match lang {
                    Some(l) => {
                        let svg = self.card_svg(l, badge).ok()?;
                        crate::images::missing_glyphs(svg.as_bytes(), fonts).ok()?
                    }
                    // Artwork text is checked before sanitising draws it as paths.
                    None => self.files.artwork_missing_glyphs(badge).to_vec(),
                };
                (!chars.is_empty()).then_some(Undrawable { badge, lang, chars })
            })
            .collect()
    }
}

/// Splits text into at most `max_lines` lines of about `width` columns
/// (CJK text, which has no spaces, is cut between characters). A wide
/// character (CJK, Hangul, full-width forms) takes two columns, as it takes
/// about twice the room of a Latin letter on the card.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while columns(&word) > width {
            let head = prefix_within(&word, width);
            word = word[head.len()..].to_string();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && columns(&line) + 1 + columns(&word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// The longest start of `word` that fits in `width` columns (at least one
/// character, so wrapping always moves on).
fn prefix_within(word: &str, width: usize) -> String {
    let mut used = 0;
    let mut head = String::new();
    for c in word.chars() {
        used += char_columns(c);
        if used > width && !head.is_empty() {
            break;
        }
        head.push(c);
    }
    head
}

fn columns(s: &str) -> usize {
    s.chars().map(char_columns).sum()
}

/// Two for East Asian wide characters, one for the rest.
fn char_columns(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_names_wrap_by_width_with_chinese_twice_as_wide() {
        assert_eq!(wrap("Azure Fundamentals", 20, 3), ["Azure Fundamentals"]);
        assert_eq!(
            wrap("Cloud Operations Professional", 20, 3),
            ["Cloud Operations", "Professional"]
        );
        // Ten Chinese characters fill a 20-column line.
        let long = "云计算基础云计算基础云计算";
        assert_eq!(wrap(long, 20, 3), ["云计算基础云计算基础", "云计算"]);
        assert_eq!(wrap("Azure 基础知识", 20, 3), ["Azure 基础知识"]);
        assert_eq!(
            wrap(&"字".repeat(40), 20, 2),
            ["字".repeat(10), "字".repeat(10) + "…"]
        );
    }
}
