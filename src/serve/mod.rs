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
//! - **HTTP** (`http`). A small HTTP/1.1 server on `std::net`: GET and HEAD, one
//!   thread per connection, `Connection: close`; `index.html` for
//!   directories, `404.html` for missing files, no way out of the output.
//! - **Watching** (`watch`). File modification times and sizes, polled every 300 ms.
//!   The first look is taken before the first build, so an edit saved while
//!   that build runs is seen. A file modified in the last two seconds is also
//!   hashed: a second write within the same timestamp tick and of the same
//!   size would otherwise go unseen (git's "racily clean" files).

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Instant, SystemTime};

use crate::error::{Error, Result};
use http::accept;
use http::{HeaderRule, parse_headers};
// For the fuzz targets.
#[doc(hidden)]
pub use http::{read_request, safe_segments};
use watch::{Snapshot, scan, watch};

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

/// A short stable name for the site directory, so each site (and port) has
/// its own build directory.
fn site_hash(root: &Path) -> String {
    use sha2::{Digest, Sha256};
    let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let digest = Sha256::digest(canon.to_string_lossy().as_bytes());
    crate::openbadges::hex(&digest[..6])
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
            exits_after: false,
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
