//! The example site on a real web server: nginx (Debian package) with the
//! project's `deploy/nginx/accolade.conf`, on a free loopback port. Checks
//! over HTTP what a host must get right (content types, CORS, the security
//! headers of `_headers`, 404 page, directory URLs, both languages), then
//! runs `accolade verify` and the Chromium tests against it.
//! Needs nginx and the browser tools `scripts/test` installs: `#[ignore]`d.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::common::*;
use accolade::site::Status;
use serde_json::json;

/// nginx running in the foreground for one test; stopped when dropped.
struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The project's server block, pointed at `public` on `port`, wrapped in a
/// minimal main configuration that keeps every nginx file under `dir`.
fn nginx_conf(dir: &Path, public: &Path, port: u16) -> PathBuf {
    let server = std::fs::read_to_string(example_root().join("deploy/nginx/accolade.conf"))
        .unwrap()
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("/var/www/accolade/public", public.to_str().unwrap());
    assert!(server.contains(&format!("listen 127.0.0.1:{port};")));
    let d = dir.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n  client_body_temp_path {d}/tmp-body;\n  proxy_temp_path {d}/tmp-proxy;\n  fastcgi_temp_path {d}/tmp-fastcgi;\n  uwsgi_temp_path {d}/tmp-uwsgi;\n  scgi_temp_path {d}/tmp-scgi;\n{server}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

fn start_nginx(dir: &Path, public: &Path, port: u16) -> Nginx {
    let bin = std::env::var("ACCOLADE_TEST_NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into());
    let conf = nginx_conf(dir, public, port);
    let test = Command::new(&bin)
        .args(["-t", "-p"])
        .arg(dir)
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(dir.join("error.log"))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {bin} (scripts/install-test-tools installs nginx): {e}")
        });
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let child = Command::new(&bin)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(dir.join("error.log"))
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Nginx { child }
}

/// One HTTP/1.1 response: status, headers (names lowercased), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// GET `path` from the server, plainly (no compression, connection closed).
fn get(port: u16, path: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    Response {
        status,
        headers,
        body,
    }
}

/// The headers `_headers` gives every path (`/*`), as (name, value).
fn headers_for_all(public: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(public.join("_headers")).unwrap();
    let block = text.split("\n/*\n").nth(1).expect("a /* block");
    block
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect()
}

/// Content types, CORS on JSON, and `_headers`' security headers on every
/// kind of file, with the file's own bytes.
fn check_headers(port: u16, public: &Path, id: &str, badge: &str) {
    let all = headers_for_all(public);
    assert!(all.iter().any(|(n, _)| n == "content-security-policy"));
    for (path, content_type, cors) in [
        (
            format!("/verify/{id}/assertion.json"),
            "application/ld+json; charset=utf-8",
            true,
        ),
        (
            format!("/verify/{id}/credential.json"),
            "application/ld+json; charset=utf-8",
            true,
        ),
        (
            "/issuer.json".to_string(),
            "application/ld+json; charset=utf-8",
            true,
        ),
        // The scripts' strings: JSON, like every other .json file.
        (
            "/static/strings/en.json".to_string(),
            "application/ld+json; charset=utf-8",
            true,
        ),
        (
            "/static/strings/zh-CN.json".to_string(),
            "application/ld+json; charset=utf-8",
            true,
        ),
        (
            "/.well-known/did.json".to_string(),
            "application/did+json; charset=utf-8",
            true,
        ),
        (
            format!("/badges/{badge}.svg"),
            "image/svg+xml; charset=utf-8",
            false,
        ),
        (format!("/badges/{badge}-220.png"), "image/png", false),
        (format!("/verify/{id}/"), "text/html; charset=utf-8", false),
        (
            "/static/download.js".to_string(),
            "application/javascript; charset=utf-8",
            false,
        ),
    ] {
        let r = get(port, &path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), content_type, "{path}");
        let acao = r.header("access-control-allow-origin");
        assert_eq!(acao, if cors { "*" } else { "" }, "{path}: CORS");
        for (name, value) in &all {
            assert_eq!(r.header(name), value, "{path}: {name} as in _headers");
        }
        let file = public.join(path.trim_start_matches('/'));
        let file = if path.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        assert_eq!(
            r.body,
            std::fs::read(file).unwrap(),
            "{path}: the file's bytes"
        );
    }
}

/// Directory URLs with and without the slash, the zh-CN pages, and 404.
fn check_directories_and_404(port: u16, public: &Path, id: &str) {
    for dir in [
        format!("/verify/{id}"),
        "/zh-CN".into(),
        format!("/zh-CN/verify/{id}"),
    ] {
        let r = get(port, &dir);
        assert_eq!(r.status, 301, "{dir}");
        assert_eq!(r.header("location"), format!("{dir}/"));
        let r = get(port, &format!("{dir}/"));
        assert_eq!(r.status, 200, "{dir}/");
    }
    let zh = get(port, &format!("/zh-CN/verify/{id}/"));
    assert!(String::from_utf8_lossy(&zh.body).contains("lang=zh-CN"));
    let missing = get(port, "/verify/NOSUCHAWARD2/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        std::fs::read(public.join("404.html")).unwrap()
    );
    assert!(!missing.header("content-security-policy").is_empty());
}

#[test]
#[ignore = "needs nginx, headless Chromium and playwright-core installed by scripts/test"]
fn the_example_site_works_on_nginx() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let root = example_copy(tmp.path(), |t| {
        let t = t.replace("https://credentials.example.org", &base);
        format!("{t}\ncertificate_pages: true\n")
    });
    let r = run_in(&root, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = root.join("public");
    let (loaded, _) = accolade::build::resolve(&root, None, NOW);
    let site = loaded.unwrap().1;
    let valid = site
        .awards
        .iter()
        .find(|a| a.status == Status::Valid)
        .unwrap();
    let badge = &site.badges[valid.badge].id;
    let nginx_dir = tmp.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir).unwrap();
    let _nginx = start_nginx(&nginx_dir, &public, port);

    let id = &valid.id;
    check_headers(port, &public, id, badge);
    check_directories_and_404(port, &public, id);

    // `accolade verify` over HTTP against nginx.
    let r = run_in(&root, &["verify", &format!("{base}/verify/{id}/")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("GENUINE AND VALID"), "{}", r.stdout);

    // The Chromium tests through nginx: downloads, the verifier page (with
    // the image the browser baked), and pages, their print view and the old
    // certificate addresses under the CSP nginx sends.
    let png = crate::browser::check_downloads(&root, &public, valid, &base, Some(port), NOW);
    let result = crate::browser::run_script_on(
        "verifier.mjs",
        &public,
        json!({
            "files": [{ "name": "downloaded", "path": png }],
            "email": { "path": png, "right": site.earners[valid.earner].email, "wrong": "someone@example.com" },
            "id": valid.id,
            "now": NOW,
        }),
        Some(port),
    );
    assert_eq!(result["files"]["downloaded"]["result"], "valid", "{result}");
    assert_eq!(result["email"]["right"], "yes");
    assert_eq!(result["problems"], json!([]));
    let result = crate::browser::run_script_on(
        "print.mjs",
        &public,
        json!({
            "prints": [format!("verify/{id}/"), format!("zh-CN/verify/{id}/")],
            "stubs": [format!("verify/{id}/certificate/"), format!("zh-CN/verify/{id}/certificate/")],
            "pages": ["", "verify/", "faq/"],
            "share": [format!("verify/{id}/"), format!("zh-CN/verify/{id}/")],
        }),
        Some(port),
    );
    // The sharing kit is built from the strings nginx serves, in each language.
    for (p, lang) in [("verify", "en"), ("zh-CN/verify", "zh-CN")] {
        let got = &result["share"][format!("{p}/{id}/")];
        let strings = script_strings(&public, lang);
        for (key, shown) in got["labels"].as_object().unwrap() {
            assert_eq!(shown, &strings[key], "{lang}: {key}");
        }
        assert_eq!(got["labels"].as_object().unwrap().len(), 8, "{lang}");
        assert_eq!(got["fields"][0][0], strings["linkedin_field_name"]);
    }
    assert_eq!(result["pdf"].as_object().unwrap().len(), 4);
    for (name, pages) in result["pdf"].as_object().unwrap() {
        assert_eq!(pages, 1, "{name} printed on {pages} pages");
    }
    for (stub, s) in result["stubs"].as_object().unwrap() {
        assert_eq!(s["prints"], 1, "{stub} leads to the page and prints: {s}");
    }
    assert_eq!(result["stubs"].as_object().unwrap().len(), 2);
    assert_eq!(result["problems"], json!([]), "errors under nginx's CSP");
}
