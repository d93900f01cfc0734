//! Page compaction, differentially: html5ever (the parser ammonia uses,
//! which follows the HTML standard as browsers do) must build the same
//! document from a page and from its compaction, up to exactly what
//! `render::compact` says it changes: runs of white space in text become
//! one space, and white space between two block-level elements may go.
#![no_main]
use accolade::render::compact::compact;
use ammonia::rcdom::{Handle, NodeData, RcDom};
use html5ever::tendril::TendrilSink;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let compacted = compact(page.as_bytes());
    let compacted = String::from_utf8(compacted).expect("UTF-8 in, UTF-8 out");
    let (before, after) = (document(&page), document(&compacted));
    if before != after {
        panic!("the compacted page parses differently\n--- page\n{page}\n--- compacted\n{compacted}\n--- trees\n{before:#?}\n{after:#?}");
    }
});

/// A node as compared: element (namespace, name, attributes in order,
/// children), text, comment or doctype.
#[derive(Debug, PartialEq)]
enum Node {
    Element(String, String, Vec<(String, String)>, Vec<Node>),
    Text(String),
    Comment(String),
    Doctype(String),
}

fn document(html: &str) -> Vec<Node> {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    children(&dom.document, false)
}

/// Elements whose text the compactor copies as it is (its `RAW`), and the
/// ones html5ever reads as raw text or RCDATA, whose text is compared as
/// written.
fn verbatim(name: &str) -> bool {
    matches!(
        name,
        "pre" | "textarea" | "script" | "style" | "title" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "plaintext" | "listing"
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
    let mut out = Vec::new();
    for (i, n) in kids.iter().enumerate() {
        if let Node::Text(t) = n
            && t == " "
            && (edge(i.checked_sub(1).and_then(|p| kids.get(p))) || edge(kids.get(i + 1)))
        {
            continue;
        }
        out.push(clone(n));
    }
    out
}

fn clone(n: &Node) -> Node {
    match n {
        Node::Element(a, b, c, d) => Node::Element(a.clone(), b.clone(), c.clone(), d.iter().map(clone).collect()),
        Node::Text(t) => Node::Text(t.clone()),
        Node::Comment(t) => Node::Comment(t.clone()),
        Node::Doctype(t) => Node::Doctype(t.clone()),
    }
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
            let raw = raw || verbatim(&local);
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
