//! Page compaction, differentially against html5ever (the parser ammonia
//! uses, which follows the HTML standard as browsers do). Two checks:
//! - any bytes: the same tokens, white space in text aside. This holds
//!   the compactor's reading of tags, attributes, comments and raw text to
//!   the tokenizer's.
//! - the same page as html5ever writes it back (well-formed, as pages from
//!   the templates and ammonia are): the same document tree, up to exactly
//!   what `render::compact` says it changes: runs of white space in text
//!   become one space, white space between two block-level elements goes,
//!   and so does white space at the page's end.
//!
//! The tree check needs well-formed input because the block rule reads
//! tags, not the tree: in `e<td> <td>f` (cells outside a table) the parser
//! drops both tags and the space is text between `e` and `f`.
#![no_main]
use accolade::render::compact::compact;
use html5ever::serialize::{SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use libfuzzer_sys::fuzz_target;
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};
use std::cell::RefCell;

fuzz_target!(|data: &[u8]| {
    let page = without_foreign_content(&String::from_utf8_lossy(data));
    let compacted = compact_str(&page);
    let (before, after) = (tokens(&page), tokens(&compacted));
    if before != after {
        panic!("the compacted page reads as other tokens\n--- page\n{page}\n--- compacted\n{compacted}\n--- tokens\n{before:#?}\n{after:#?}");
    }
    let Some(page) = well_formed(&page) else { return };
    let compacted = compact_str(&page);
    let (before, after) = (document(&page), document(&compacted));
    if before != after {
        panic!("the compacted page parses differently\n--- page\n{page}\n--- compacted\n{compacted}\n--- trees\n{before:#?}\n{after:#?}");
    }
});

/// Foreign content is out of scope: inside `svg` and `math` no element is
/// raw text, yet some HTML tags break out of them and some of their
/// elements hold HTML again, which only the tree builder knows. Pages get
/// no `svg` or `math` from content (ammonia removes them), and the
/// templates' own icons hold paths only. So their tags are renamed (`<svg`
/// to `<xvg`), which keeps the rest of the input as it was.
fn without_foreign_content(page: &str) -> String {
    let mut bytes = page.as_bytes().to_vec();
    let lower = page.to_ascii_lowercase().into_bytes();
    for i in 0..lower.len() {
        let name = if lower[i..].starts_with(b"</") { i + 2 } else { i + 1 };
        if lower[i] == b'<' && (lower[name..].starts_with(b"svg") || lower[name..].starts_with(b"math")) {
            bytes[name] = b'x';
        }
    }
    String::from_utf8(bytes).expect("an ASCII letter replaced by another")
}

fn compact_str(page: &str) -> String {
    String::from_utf8(compact(page.as_bytes())).expect("UTF-8 in, UTF-8 out")
}

/// A token as compared; text outside verbatim elements without its white
/// space, runs of text as one token.
#[derive(Debug, PartialEq)]
enum Tok {
    Doctype(Option<String>, Option<String>, Option<String>, bool),
    Tag(bool, String, Vec<(String, String)>, bool),
    Comment(String),
    Text(String),
}

#[derive(Default)]
struct Sink {
    tokens: RefCell<Vec<Tok>>,
    /// The verbatim elements the tokens are in, innermost last.
    verbatim: RefCell<Vec<String>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut tokens = self.tokens.borrow_mut();
        let mut text = |t: &str| {
            let t: String = if !self.verbatim.borrow().is_empty() {
                t.to_owned()
            } else {
                t.split_ascii_whitespace().collect()
            };
            match tokens.last_mut() {
                Some(Tok::Text(last)) => last.push_str(&t),
                _ if !t.is_empty() => tokens.push(Tok::Text(t)),
                _ => {}
            }
        };
        match token {
            Token::CharacterTokens(t) => text(&t),
            Token::NullCharacterToken => text("\0"),
            Token::CommentToken(c) => tokens.push(Tok::Comment(c.to_string())),
            Token::DoctypeToken(d) => {
                let s = |t: Option<html5ever::tendril::StrTendril>| t.map(|t| t.to_string());
                tokens.push(Tok::Doctype(s(d.name), s(d.public_id), s(d.system_id), d.force_quirks));
            }
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let start = tag.kind == TagKind::StartTag;
                let attrs = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
                tokens.push(Tok::Tag(start, name.clone(), attrs, tag.self_closing));
                // As the tree builder does: an end tag closes the innermost
                // open element of its name and any inside it.
                let mut verbatim = self.verbatim.borrow_mut();
                if start && is_verbatim(&name) {
                    verbatim.push(name.clone());
                } else if let Some(p) = verbatim.iter().rposition(|v| *v == name).filter(|_| !start) {
                    verbatim.truncate(p);
                }
                // What the tree builder tells the tokenizer after these.
                if start {
                    return match name.as_str() {
                        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "plaintext" => TokenSinkResult::Plaintext,
                        _ => TokenSinkResult::Continue,
                    };
                }
            }
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokens(html: &str) -> Vec<Tok> {
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.tokens.take()
}

fn parse(html: &str) -> RcDom {
    // Scripting off, as in the browsers that show <noscript>'s content.
    let mut opts = html5ever::ParseOpts::default();
    opts.tree_builder.scripting_enabled = false;
    html5ever::parse_document(RcDom::default(), opts).one(html)
}

/// The page as html5ever writes it back, again until that is stable: one
/// writing can still hold markup the tree builder rearranges (`<a><dt> `
/// reopens the `a` inside the `dt` for the space).
fn well_formed(html: &str) -> Option<String> {
    let mut page = serialize(html);
    for _ in 0..4 {
        let again = serialize(&page);
        if again == page {
            return Some(page);
        }
        page = again;
    }
    None
}

fn serialize(html: &str) -> String {
    let document: SerializableHandle = parse(html).document.into();
    let opts = SerializeOpts {
        scripting_enabled: false,
        traversal_scope: TraversalScope::ChildrenOnly(None),
        create_missing_parent: false,
    };
    let mut out = Vec::new();
    html5ever::serialize(&mut out, &document, opts).expect("writing to memory");
    String::from_utf8(out).expect("html5ever writes UTF-8")
}

/// A node as compared: element (namespace, name, attributes in order,
/// children), text, comment or doctype.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Element(String, String, Vec<(String, String)>, Vec<Node>),
    Text(String),
    Comment(String),
    Doctype(String),
}

fn document(html: &str) -> Vec<Node> {
    let mut nodes = children(&parse(html).document, false);
    trim_end(&mut nodes);
    nodes
}

/// White space at the end of the page's last text goes (the compactor
/// drops a run of it at the very end of the page).
fn trim_end(nodes: &mut Vec<Node>) {
    match nodes.last_mut() {
        Some(Node::Text(t)) => {
            let kept = t.trim_end_matches(' ').len();
            t.truncate(kept);
            if t.is_empty() {
                nodes.pop();
            }
        }
        Some(Node::Element(ns, name, _, kids)) if !(ns == HTML && is_verbatim(name)) => trim_end(kids),
        _ => {}
    }
}

/// Elements whose text the compactor copies as it is (its `RAW`), and the
/// ones html5ever reads as raw text or RCDATA, whose text is compared as
/// written.
const HTML: &str = "http://www.w3.org/1999/xhtml";

fn is_verbatim(name: &str) -> bool {
    matches!(
        name,
        "pre" | "textarea" | "title" | "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "plaintext" | "listing"
    )
}

fn children(node: &Handle, raw: bool) -> Vec<Node> {
    let kids: Vec<Node> = node.children.borrow().iter().map(|c| convert(c, raw)).collect();
    if raw {
        return kids;
    }
    // White space alone between a block element and anything is what the
    // compactor may drop (it drops it between two block tags; which tags
    // were neighbours in the source is not in the tree, so either side
    // being a block element, a comment or the parent's edge counts).
    let edge = |n: Option<&Node>| match n {
        None | Some(Node::Comment(_)) | Some(Node::Doctype(_)) => true,
        Some(Node::Element(_, name, _, _)) => accolade::render::compact::is_block(name.as_bytes()),
        Some(Node::Text(_)) => false,
    };
    let droppable = |i: usize| {
        matches!(&kids[i], Node::Text(t) if t == " ")
            && (edge(i.checked_sub(1).and_then(|p| kids.get(p))) || edge(kids.get(i + 1)))
    };
    (0..kids.len())
        .filter(|&i| !droppable(i))
        .map(|i| kids[i].clone())
        .collect()
}

fn convert(node: &Handle, raw: bool) -> Node {
    match &node.data {
        NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } => {
            let local = name.local.to_string();
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (format!("{}:{}", a.name.ns, a.name.local), a.value.to_string()))
                .collect();
            // Inside `svg` or `math` a `textarea` is just a name.
            let html = name.ns == html5ever::ns!(html);
            let raw = raw || (html && is_verbatim(&local));
            // A <template>'s content is a fragment of its own.
            let inner = template_contents.borrow().clone().unwrap_or_else(|| node.clone());
            Node::Element(name.ns.to_string(), local, attrs, children(&inner, raw))
        }
        NodeData::Text { contents } => {
            let t = contents.borrow().to_string();
            Node::Text(if raw { t } else { collapse(&t) })
        }
        NodeData::Comment { contents } => Node::Comment(contents.to_string()),
        NodeData::Doctype { name, .. } => Node::Doctype(name.to_string()),
        NodeData::Document | NodeData::ProcessingInstruction { .. } => Node::Text(String::new()),
    }
}

/// Runs of ASCII white space as one space (what the compactor does to text).
fn collapse(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_ascii_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}
