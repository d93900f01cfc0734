//! The HTTP half of `serve`: a small HTTP/1.1 server on `std::net` that
//! serves the built site, the live-reload channel and, while the content
//! has errors, the error page (see the module doc of `serve`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{SiteState, State};
use crate::render::CSP;
use crate::text::xml_escape;

pub(super) fn accept(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        // Bounded so a flood of connections cannot exhaust threads.
        if state.connections.load(Ordering::Relaxed) > 256 {
            continue;
        }
        state.connections.fetch_add(1, Ordering::Relaxed);
        let spawned = std::thread::Builder::new().spawn(move || {
            handle(stream, &state);
            state.connections.fetch_sub(1, Ordering::Relaxed);
        });
        if spawned.is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    fn set(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn handle(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let Some((method, target)) = read_request(&mut stream) else {
        return;
    };
    let head = method == "HEAD";
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    let response = if method != "GET" && !head {
        let mut r = Response::text(405, "Only GET and HEAD are served.\n");
        r.set("Allow", "GET, HEAD");
        r
    } else if path == "/__accolade/events" {
        if !head {
            events(stream, state);
            return;
        }
        Response::new(200, "text/event-stream", Vec::new())
    } else if let Some(name) = path.strip_prefix("/__accolade/") {
        internal(name)
    } else {
        site_file(state, &path, &target)
    };
    let _ = write_response(&mut stream, response, head);
}

/// Reads the request line and headers; returns the method and target.
#[doc(hidden)] // pub for the fuzz targets
pub fn read_request(stream: impl Read) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    // Headers are read and ignored (up to the blank line).
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) => break,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    Some((method, target))
}

fn write_response(stream: &mut TcpStream, mut r: Response, head: bool) -> std::io::Result<()> {
    r.set("Content-Length", &r.body.len().to_string());
    r.set("Connection", "close");
    if !r
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("Cache-Control"))
    {
        r.set("Cache-Control", "no-store");
    }
    let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (n, v) in &r.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !head {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

/// Server-sent events: the current build id now and after every rebuild.
fn events(mut stream: TcpStream, state: &State) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    let mut seen = state.generation();
    let first = format!("event: build\ndata: {}\n\n", state.build_id(seen));
    if stream.write_all(head.as_bytes()).is_err()
        || stream.write_all(first.as_bytes()).is_err()
        || stream.flush().is_err()
    {
        return;
    }
    loop {
        let g = {
            let guard = state.generation.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = state
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |g| *g == seen)
                .unwrap_or_else(|e| e.into_inner());
            *guard
        };
        let msg = if g != seen {
            seen = g;
            format!("event: build\ndata: {}\n\n", state.build_id(g))
        } else {
            ": keep-alive\n\n".to_string()
        };
        if stream.write_all(msg.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

fn internal(name: &str) -> Response {
    let mut r = match name {
        "livereload.js" => Response::new(200, "text/javascript; charset=utf-8", LIVERELOAD_JS),
        "error.css" => Response::new(200, "text/css; charset=utf-8", ERROR_CSS),
        _ => Response::text(404, "Not found.\n"),
    };
    r.set("X-Content-Type-Options", "nosniff");
    r
}

fn site_file(state: &State, path: &str, target: &str) -> Response {
    let Some(segments) = safe_segments(path) else {
        return Response::text(400, "Bad request.\n");
    };
    let site = state.site.read().unwrap_or_else(|e| e.into_inner());
    let build_id = state.build_id(state.generation());
    let last = segments.last().map_or("", String::as_str);
    let wants_page = path.ends_with('/') || last.ends_with(".html") || !last.contains('.');
    if let SiteState::Broken { report, errors } = &*site
        && wants_page
    {
        return error_page(report, *errors, &build_id);
    }
    let headers: &[HeaderRule] = match &*site {
        SiteState::Ok { headers } => headers,
        _ => &[],
    };
    let mut file = state.out.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            let query = target.find('?').map_or("", |i| &target[i..]);
            let mut r = Response::text(301, "Moved.\n");
            r.set("Location", &format!("{path}/{query}"));
            return r;
        }
        file.push("index.html");
    }
    let inside = match (file.canonicalize(), state.out.canonicalize()) {
        (Ok(f), Ok(o)) => f.starts_with(o),
        _ => false,
    };
    let (status, file, url_path) = if inside && file.is_file() {
        (200, file, path.to_string())
    } else {
        (
            404,
            state.out.join(crate::paths::NOT_FOUND),
            format!("/{}", crate::paths::NOT_FOUND),
        )
    };
    let Ok(bytes) = std::fs::read(&file) else {
        return Response::text(404, "Not found.\n");
    };
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let content_type = content_type(&ext);
    let body = if ext == "html" {
        inject(&bytes, &build_id)
    } else {
        bytes
    };
    let mut r = Response::new(status, content_type, body);
    for rule in headers {
        if glob_match(&rule.pattern, &url_path) {
            for (n, v) in &rule.headers {
                r.set(n, v);
            }
        }
    }
    r
}

/// The path's segments, percent-decoded; `None` for anything that could
/// leave the output directory or is not a plain name.
#[doc(hidden)] // pub for the fuzz targets
pub fn safe_segments(path: &str) -> Option<Vec<String>> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut out = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0', ':']) => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "jsonld" => "application/ld+json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" | "" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script (and the build id it compares) to a page.
fn inject(html: &[u8], build_id: &str) -> Vec<u8> {
    let tag = format!(
        "<meta name=\"accolade-build\" content=\"{build_id}\"><script src=\"/__accolade/livereload.js\" defer></script>"
    );
    let lower = html.to_ascii_lowercase();
    let find = |needle: &[u8]| lower.windows(needle.len()).position(|w| w == needle);
    let at = find(b"</head>")
        .or_else(|| find(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn error_page(report: &str, errors: usize, build_id: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Build error · accolade serve</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/__accolade/error.css\">\n</head>\n<body>\n<main>\n<h1>The site does not build: {}</h1>\n<p>Fix the content or template and save; this page reloads by itself. The same report is in the terminal running <code>accolade serve</code>, and <code>accolade check</code> prints it too.</p>\n<pre class=\"report\">{}</pre>\n</main>\n</body>\n</html>\n",
        crate::text::count(errors, "error"),
        xml_escape(report.trim_end())
    );
    let mut r = Response::new(
        500,
        "text/html; charset=utf-8",
        inject(html.as_bytes(), build_id),
    );
    r.set("Content-Security-Policy", CSP);
    r.set("X-Content-Type-Options", "nosniff");
    r
}

/// One block of a Netlify-style `_headers` file: a path pattern and the
/// headers for paths matching it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeaderRule {
    pub pattern: String,
    pub headers: Vec<(String, String)>,
}

pub(super) fn parse_headers(text: &str) -> Vec<HeaderRule> {
    let mut rules: Vec<HeaderRule> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            rules.push(HeaderRule {
                pattern: line.trim().to_string(),
                headers: Vec::new(),
            });
        } else if let (Some(rule), Some((n, v))) = (rules.last_mut(), line.trim().split_once(':')) {
            rule.headers
                .push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    rules
}

/// `*` matches any run of characters (slashes included), as on hosts.
fn glob_match(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == path;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !path.starts_with(first) || path.len() < first.len() + last.len() || !path.ends_with(last) {
        return false;
    }
    let mut rest = &path[first.len()..path.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

const LIVERELOAD_JS: &str = r#"// accolade serve: reloads this page when the site has been rebuilt.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var meta = document.querySelector('meta[name="accolade-build"]');
  var shown = meta ? meta.getAttribute("content") : null;
  var source = new EventSource("/__accolade/events");
  source.addEventListener("build", function (event) {
    if (shown === null) {
      shown = event.data;
    } else if (event.data !== shown) {
      source.close();
      window.location.reload();
    }
  });
})();
"#;

const ERROR_CSS: &str = r#"body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #fff5f5; color: #1f1f1f; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { color: #a4161a; font-size: 1.6rem; margin: 0 0 .5rem; }
pre.report { background: #1f1f1f; color: #f5f5f5; padding: 1rem 1.25rem; border-radius: 6px; overflow-x: auto; font: 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        assert_eq!(
            safe_segments("/badges/x/").unwrap(),
            vec!["badges".to_string(), "x".to_string()]
        );
        assert_eq!(
            safe_segments("/zh%2DCN/").unwrap(),
            vec!["zh-CN".to_string()]
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/x",
            "/a\\..\\b",
            "x",
            "/%zz",
            "/C:/x",
        ] {
            assert!(safe_segments(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn headers_file_rules_apply_by_pattern() {
        let rules = parse_headers(
            "/*.json\n  Content-Type: application/ld+json\n/.well-known/did.json\n  Content-Type: application/did+json\n/*\n  X-A: b\n",
        );
        assert_eq!(rules.len(), 3);
        assert!(glob_match("/*.json", "/badges/x.json"));
        assert!(!glob_match("/*.json", "/badges/x.png"));
        assert!(glob_match("/*", "/"));
        assert!(glob_match("/.well-known/did.json", "/.well-known/did.json"));
        assert!(!glob_match("/a*b*c", "/acb"));
    }

    #[test]
    fn script_goes_into_the_head() {
        let out = inject(
            b"<html><head><title>x</title></HEAD><body></body></html>",
            "b-1",
        );
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("<script src=\"/__accolade/livereload.js\" defer></script></HEAD>"),
            "{out}"
        );
        assert!(out.contains("content=\"b-1\""));
    }
}
