//! Reading CSV (RFC 4180) with the line and column of every field, so an
//! import can point at the cell that is wrong; and writing CSV fields.

use crate::diagnostics::Pos;

/// A field quoted as CSV needs it (commas, quotes, line breaks).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV field: its text and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub pos: Pos,
}

/// A CSV record: its fields and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// Parses RFC 4180 CSV: comma-separated fields, optionally in double
/// quotes (which may hold commas, line breaks and `""` for a quote),
/// CRLF or LF line ends, an optional UTF-8 byte-order mark. Whitespace
/// around a field is trimmed; blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<Record>, (Pos, String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    let mut fields: Vec<Field> = Vec::new();
    let mut record_line = 1;
    loop {
        // At the start of a field.
        while matches!(chars.peek(), Some(' ' | '\t')) {
            chars.next();
            col += 1;
        }
        let start = Pos::new(line, col);
        let mut value = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            col += 1;
            loop {
                match chars.next() {
                    None => {
                        return Err((
                            start,
                            "this quoted field is never closed".into(),
                            "end it with `\"`; write a quote inside a quoted field as `\"\"`"
                                .into(),
                        ));
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        col += 2;
                        value.push('"');
                    }
                    Some('"') => {
                        col += 1;
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        col = 1;
                        value.push('\n');
                    }
                    Some('\r') => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        line += 1;
                        col = 1;
                        value.push('\n');
                    }
                    Some(c) => {
                        col += 1;
                        value.push(c);
                    }
                }
            }
            while matches!(chars.peek(), Some(' ' | '\t')) {
                chars.next();
                col += 1;
            }
            if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                return Err((
                    Pos::new(line, col),
                    "unexpected text after a closing quote".into(),
                    "a quoted field ends at its closing `\"`; write a quote inside it as `\"\"`"
                        .into(),
                ));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if matches!(c, ',' | '\n' | '\r') {
                    break;
                }
                value.push(c);
                chars.next();
                col += 1;
            }
        }
        let value = if quoted {
            value.trim().to_string()
        } else {
            value.trim_end().to_string()
        };
        fields.push(Field { value, pos: start });
        match chars.next() {
            Some(',') => {
                col += 1;
            }
            end => {
                if end == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                let blank = fields.len() == 1 && fields[0].value.is_empty() && !quoted;
                if !blank {
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                fields.clear();
                if end.is_none() {
                    break;
                }
                line += 1;
                col = 1;
                record_line = line;
                if chars.peek().is_none() {
                    break;
                }
            }
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        parse_csv(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields.into_iter().map(|f| f.value).collect())
            .collect()
    }

    #[test]
    fn parses_rfc4180_quoting() {
        assert_eq!(
            values("a, b ,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3"),
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["1", "", "3"],
            ]
        );
        assert_eq!(values("\u{feff}a,b\n"), vec![vec!["a", "b"]]);
    }

    #[test]
    fn records_know_their_lines_and_columns() {
        let r = parse_csv("h1,h2\n\"multi\nline\",x\nlast,  y\n").unwrap();
        assert_eq!(r[1].line, 2);
        assert_eq!(r[1].fields[1].pos, Pos::new(3, 7));
        assert_eq!(r[2].line, 4);
        assert_eq!(r[2].fields[1].pos, Pos::new(4, 8));
    }

    #[test]
    fn reports_broken_quotes() {
        let (pos, msg, _) = parse_csv("a,b\n1,\"open\n").unwrap_err();
        assert_eq!(pos, Pos::new(2, 3));
        assert!(msg.contains("never closed"));
        let (pos, msg, _) = parse_csv("a,b\n\"x\"y,2\n").unwrap_err();
        assert_eq!(pos, Pos::new(2, 4));
        assert!(msg.contains("after a closing quote"));
    }
}
