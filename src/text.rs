//! Small text helpers shared by every layer (escaping, counting nouns).
//! They live low so that no two higher modules import each other for them.

/// Escapes text for XML and HTML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    // Most text (every URL of a sitemap) has nothing to escape.
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `count(1, "badge")` is "1 badge", `count(2, "badge")` is "2 badges".
/// A string of digits with `sep` between each group of three from the
/// right: `1234567` → `1,234,567` (the report's and the salary figures').
pub fn group_thousands(digits: &str, sep: &str) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(n, noun))
}

/// The noun in the number `n` asks for: `plural(1, "file")` is "file".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o']))
    {
        format!("{stem}ies")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "badge"), "1 badge");
        assert_eq!(count(0, "award"), "0 awards");
        assert_eq!(count(2, "entry"), "2 entries");
        assert_eq!(count(3, "key"), "3 keys");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
