//! Serving a preview (`accolade serve`): builds the site into a temporary directory, serves it
//! on a local address, and rebuilds when `content/`, `themes/` or `keys/`
//! change; open pages reload themselves.
//!
//! - **Build.** `build::build`, with the base URL replaced by the preview
//!   address so every link works there, into a directory under the OS temp
//!   dir (removed on exit); the site's own `public/` is never touched.
//! - **Errors.** A failed build keeps the server running: every page then
//!   shows the diagnostics `check` would print (and the terminal shows the
//!   build's), until a change fixes them.
//! - **Reload.** Served HTML (never the built files) gets
//!   `<script src="/__accolade/livereload.js" defer>` and a
//!   `<meta name="accolade-build">` naming the build it shows. The script
//!   listens on `/__accolade/events` (server-sent events; the server sends
//!   the current build id on connect and after every rebuild) and reloads
//!   when the id differs. It is a same-origin script file, so it runs under
//!   the site's strict CSP (`script-src 'self'`), which the server sends
//!   like the host would, from the built `_headers`.
//! - **HTTP.** A small HTTP/1.1 server on `std::net`: GET and HEAD, one
//!   thread per connection, `Connection: close`; `index.html` for
//!   directories, `404.html` for missing files, no way out of the output.
//! - **Watching.** File modification times and sizes, polled every 300 ms.
//!   The first look is taken before the first build, so an edit saved while
//!   that build runs is seen. A file modified in the last two seconds is also
//!   hashed: a second write within the same timestamp tick and of the same
//!   size would otherwise go unseen (git's "racily clean" files).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};
use crate::text::xml_escape;

/// How often the watcher looks for changes.
const POLL: Duration = Duration::from_millis(300);
/// What the site's `_headers` says for pages; also sent with our own pages.
use crate::render::CSP;

/// Builds, serves and rebuilds until Ctrl-C.
pub fn run(root: &Path, bind: &str, port: u16) -> Result<()> {
    if !root.join("content").is_dir() {
        let (_, diags) = crate::content::load(root);
        return Err(Error::invalid(diags, "there is no site to serve"));
    }
    let (listener, base_url) = listen(bind, port)?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    let work = std::env::temp_dir().join(format!("accolade-serve-{}-{port}", site_hash(root)));
    let state = Arc::new(State {
        out: work.join("site"),
        site: RwLock::new(SiteState::Building),
        generation: Mutex::new(0),
        changed: Condvar::new(),
        build_prefix: format!(
            "{:x}",
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
                ^ u128::from(std::process::id())
        ),
        connections: AtomicUsize::new(0),
    });
    let stop = stop_on_ctrl_c();
    {
        let state = state.clone();
        std::thread::spawn(move || accept(listener, state));
    }
    // Looked at before the build reads anything: what changes from here on
    // is a change to what that build saw.
    let seen = scan(root, &Snapshot::new());
    eprintln!("Building `{}` for {base_url}/ …", root.display());
    rebuild(&state, root, &base_url, None);
    eprintln!(
        "Serving `{}` at {base_url}/ (watching content/, themes/ and keys/; Ctrl-C to stop)",
        root.display()
    );
    watch(root, seen, &stop, |what| {
        rebuild(&state, root, &base_url, Some(what))
    });
    eprintln!("Stopped.");
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// The listening socket and the base URL pages link to.
fn listen(bind: &str, port: u16) -> Result<(TcpListener, String)> {
    let addrs: Vec<SocketAddr> = (bind, port)
        .to_socket_addrs()
        .map_err(|e| Error::usage(format!("cannot use `--bind {bind}`: {e}"), None))?
        .collect();
    let listener = TcpListener::bind(&addrs[..]).map_err(|e| {
        Error::refused(
            format!("cannot listen on {bind}:{port}: {e}"),
            Some("pick another port with `--port N`, or `--port 0` for any free one"),
        )
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::refused(format!("cannot listen: {e}"), None))?
        .port();
    let host = match bind.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        Ok(ip) if ip.is_unspecified() => "[::1]".to_string(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        Ok(ip) => ip.to_string(),
        Err(_) => bind.to_string(),
    };
    Ok((listener, format!("http://{host}:{port}")))
}

/// A flag Ctrl-C sets; a second Ctrl-C stops at once, even mid-build.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let presses = AtomicUsize::new(0);
    let _ = ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        if presses.fetch_add(1, Ordering::SeqCst) > 0 {
            std::process::exit(130);
        }
    });
    stop
}

/// Polls the site's files until `stop`, calling `changed` with a short
/// description once each change (against `snapshot`, what the last build
/// saw) has settled.
fn watch(root: &Path, mut snapshot: Snapshot, stop: &AtomicBool, mut changed: impl FnMut(&str)) {
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = scan(root, &snapshot);
        if same(&now, &snapshot) {
            continue;
        }
        // Let an editor finish saving (several files, or write then rename).
        let mut settled = now;
        for _ in 0..10 {
            std::thread::sleep(Duration::from_millis(100));
            let again = scan(root, &settled);
            if same(&again, &settled) {
                break;
            }
            settled = again;
        }
        let what = describe_change(root, &snapshot, &settled);
        snapshot = settled;
        changed(&what);
    }
}

/// A short stable name for the site directory, so each site (and port) has
/// its own build directory.
fn site_hash(root: &Path) -> String {
    use sha2::{Digest, Sha256};
    let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let digest = Sha256::digest(canon.to_string_lossy().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

enum SiteState {
    Building,
    Ok {
        headers: Vec<HeaderRule>,
    },
    /// The build failed: the diagnostics, as text.
    Broken {
        report: String,
        errors: usize,
    },
}

struct State {
    out: PathBuf,
    /// Held for writing while a build runs, so no request sees half a site.
    site: RwLock<SiteState>,
    generation: Mutex<u64>,
    changed: Condvar,
    build_prefix: String,
    connections: AtomicUsize,
}

impl State {
    fn build_id(&self, generation: u64) -> String {
        format!("{}-{generation}", self.build_prefix)
    }

    fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn rebuild(state: &State, root: &Path, base_url: &str, change: Option<&str>) {
    let started = Instant::now();
    {
        let mut site = state.site.write().unwrap_or_else(|e| e.into_inner());
        if let Some(what) = change {
            eprintln!("{what}: rebuilding…");
        }
        let opts = crate::build::Options {
            root,
            out: &state.out,
            base_url: Some(base_url),
            quiet: true,
            force: false,
            shard: None,
            // A preview is seen by no earner: what it showed before binds nothing.
            undated: crate::build::Undated::Publish,
            allow_removal: true,
        };
        let result = crate::build::now().and_then(|now| crate::build::build(&opts, now));
        *site = match result {
            Ok(built) => {
                eprint!("{}", built.warnings.render(root));
                let headers = std::fs::read_to_string(state.out.join("_headers"))
                    .map(|t| parse_headers(&t))
                    .unwrap_or_default();
                eprintln!("Built in {} ms.", started.elapsed().as_millis());
                SiteState::Ok { headers }
            }
            Err(diags) => {
                eprint!("{}", diags.render(root));
                let errors = diags.errors().max(1);
                eprintln!(
                    "The build failed; the browser shows the {} until {} fixed.",
                    crate::text::plural(errors, "error"),
                    if errors == 1 { "it is" } else { "they are" }
                );
                SiteState::Broken {
                    report: diags.render(root),
                    errors,
                }
            }
        };
        // Still under the write lock, so no page is served with the new
        // content and the old build id.
        let mut g = state.generation.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        state.changed.notify_all();
    }
}

/// What the watcher knows of every file that affects the build.
type Snapshot = BTreeMap<PathBuf, Seen>;

/// A file as one scan saw it.
#[derive(Clone, Copy)]
struct Seen {
    modified: Option<SystemTime>,
    len: u64,
    /// The bytes' hash, for a file modified within [`RACY`] of the scan:
    /// file systems stamp times in ticks of up to a few milliseconds, so a
    /// rewrite of the same size right after a scan can keep the time it saw.
    digest: Option<[u8; 32]>,
}

/// How long after its last modification a file is hashed on every scan.
const RACY: Duration = Duration::from_secs(2);

impl Seen {
    /// Whether two scans saw the same file. A hash only one of them has
    /// is no difference: [`scan`] keeps the last hash until it has checked
    /// the bytes once more.
    fn same(&self, other: &Seen) -> bool {
        self.modified == other.modified
            && self.len == other.len
            && match (self.digest, other.digest) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

fn same(a: &Snapshot, b: &Snapshot) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((pa, sa), (pb, sb))| pa == pb && sa.same(sb))
}

/// Scans the site's files; `before` is the previous scan, whose hashes are
/// checked once more when a file stops being recent.
fn scan(root: &Path, before: &Snapshot) -> Snapshot {
    let started = SystemTime::now();
    let mut out = Snapshot::new();
    for dir in ["content", "themes", "keys"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .follow_links(true)
            .into_iter()
            .filter_map(std::result::Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            // Editors' swap and backup files.
            if name.ends_with('~')
                || name.starts_with(".#")
                || name.ends_with(".swp")
                || name.ends_with(".swx")
                || name.ends_with(".accolade-tmp")
            {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let (modified, len) = (meta.modified().ok(), meta.len());
            let recent =
                modified.is_none_or(|m| started.duration_since(m).map_or(true, |age| age < RACY));
            let last = before
                .get(entry.path())
                .filter(|s| s.modified == modified && s.len == len)
                .and_then(|s| s.digest);
            let digest = if recent || last.is_some() {
                hash_file(entry.path())
            } else {
                None
            };
            // Past its recent window a file's hash is dropped once the bytes
            // are seen unchanged; a changed hash is kept, so the change shows.
            let digest = match (recent, last, digest) {
                (false, Some(a), Some(b)) if a == b => None,
                (_, _, d) => d,
            };
            out.insert(
                entry.path().to_path_buf(),
                Seen {
                    modified,
                    len,
                    digest,
                },
            );
        }
    }
    out
}

fn hash_file(path: &Path) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    std::fs::read(path).ok().map(|b| Sha256::digest(b).into())
}

fn describe_change(root: &Path, before: &Snapshot, after: &Snapshot) -> String {
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, v)| !before.get(*p).is_some_and(|b| b.same(v)))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)))
        .collect();
    let first = changed
        .first()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    match changed.len() {
        0 => "files changed".into(),
        1 => format!("`{first}` changed"),
        n => format!("`{first}` and {} more changed", n - 1),
    }
}

fn accept(listener: TcpListener, state: Arc<State>) {
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

pub fn content_type(ext: &str) -> &'static str {
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
pub struct HeaderRule {
    pub pattern: String,
    pub headers: Vec<(String, String)>,
}

pub fn parse_headers(text: &str) -> Vec<HeaderRule> {
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
pub fn glob_match(pattern: &str, path: &str) -> bool {
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

    /// A rewrite of the same size that keeps the file's modification time
    /// (as one within the same timestamp tick does) is still a change.
    #[test]
    fn a_same_size_rewrite_in_the_same_tick_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/site.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "title: A\n").unwrap();
        let stamp = std::fs::metadata(&file).unwrap().modified().unwrap();
        let first = scan(dir.path(), &Snapshot::new());
        assert!(same(&first, &scan(dir.path(), &first)), "nothing changed");

        std::fs::write(&file, "title: B\n").unwrap();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(stamp).unwrap();
        assert!(!same(&first, &scan(dir.path(), &first)));
    }

    /// Files untouched for a while are not read on every scan; a hash kept
    /// from a recent scan is checked once more, then dropped.
    #[test]
    fn old_files_are_hashed_only_to_close_a_recent_window() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/site.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "title: A\n").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let plain = scan(dir.path(), &Snapshot::new());
        assert_eq!(plain[&file].digest, None);

        let mut hashed = plain.clone();
        hashed.get_mut(&file).unwrap().digest = hash_file(&file);
        let after = scan(dir.path(), &hashed);
        assert!(same(&hashed, &after));
        assert_eq!(after[&file].digest, None, "dropped once seen unchanged");

        let mut stale = plain.clone();
        stale.get_mut(&file).unwrap().digest = Some([0; 32]);
        let after = scan(dir.path(), &stale);
        assert!(!same(&stale, &after), "bytes changed within the tick");
    }

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
