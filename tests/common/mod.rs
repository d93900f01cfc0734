//! Test helpers: small fixture sites in temporary directories, and running
//! the real `accolade` binary on them.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SITE: &str = "title: Test Credentials
base_url: https://cred.example.org
languages: [en, zh-CN]
issuer:
  name: Test Issuer
  url: https://issuer.example.org
  email: credentials@cred.example.org
signing:
  key_file: keys/test.ed25519
";

/// A site.yaml with `award_files: full` added (before `signing:`, so lines
/// appended to the signing block stay in it): what `Fixture::new` writes,
/// for the tests that read hosted baked images and QR files. [`SITE`]
/// itself is lean, the default.
pub fn full(site: &str) -> String {
    assert!(site.contains("\nsigning:"), "{site}");
    site.replacen("\nsigning:", "\naward_files: full\nsigning:", 1)
}

/// Award-file lines for a revoked award (`REVK2222AAAA`) and an award that
/// expired before [`NOW`] (`EXPX2222AAAA`) of `earner`, both of `exam-1`.
pub fn revoked_and_expired(earner: &str) -> String {
    format!(
        "- {{ id: REVK2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-01-10, revoked: {{ on: 2025-06-01, reason: Misconduct }} }}\n\
         - {{ id: EXPX2222AAAA, badge: exam-1, earner: {earner}, issued_on: 2025-01-10, expires_on: 2026-01-01 }}\n"
    )
}

pub const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600"><circle cx="300" cy="300" r="280" fill="#2a6"/></svg>"##;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    /// A small valid site: one exam, one certification requiring it, an
    /// earner of each visibility, and a few awards.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.write("content/site.yaml", &full(SITE));
        f.write_key("keys/test.ed25519");
        f.write("content/images/exam-1.svg", SVG);
        f.write("content/images/cert-1.svg", SVG);
        f.write(
            "content/badges/exam-1.yaml",
            "id: exam-1\nkind: exam\nname: { en: First Exam, zh-CN: 第一场考试 }\ndescription: { en: An exam., zh-CN: 一场考试。 }\ncriteria: { en: \"Pass **it**.\", zh-CN: 通过。 }\nimage: images/exam-1.svg\nskills: [testing]\n",
        );
        f.write(
            "content/badges/cert-1.yaml",
            "id: cert-1\nkind: certification\nname: { en: First Cert, zh-CN: 第一个认证 }\ndescription: { en: A cert., zh-CN: 一个认证。 }\ncriteria: { en: Hold the exam., zh-CN: 持有考试。 }\nimage: images/cert-1.svg\nvalidity: 1y\nrequires: [exam-1]\n",
        );
        f.write(
            "content/earners/people.yaml",
            "- { id: pub-ann, name: Ann Public, email: ann@example.com, profile: public, auto_accept: true }\n\
             - { id: unl-bob, name: Bob Unlisted, email: bob@example.com, auto_accept: true }\n\
             - { id: prv-cy, name: Cy Private, email: cy@example.com, profile: private, auto_accept: true }\n\
             - { id: slow-di, name: Di Slow, email: di@example.com, profile: public }\n",
        );
        f.write(
            "content/awards/a.yaml",
            "- { id: AAAA2222BBBB, badge: exam-1, earner: pub-ann, issued_on: 2026-01-10 }\n\
             - { id: CCCC3333DDDD, badge: exam-1, earner: unl-bob, issued_on: 2026-01-10 }\n\
             - { id: EEEE4444FFFF, badge: exam-1, earner: prv-cy, issued_on: 2026-01-10 }\n\
             - { id: GGGG5555HHHH, badge: exam-1, earner: slow-di, issued_on: 2026-01-10 }\n",
        );
        f.write("content/faq/en.md", "## What is this?\nA test.\n");
        f.write("content/faq/zh-CN.md", "## 这是什么？\n测试。\n");
        f
    }

    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A fixed test key, so two builds of a fixture are byte-identical.
    pub fn write_key(&self, rel: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        accolade::signing::Key::from_seed([7; 32])
            .write_key(&path)
            .unwrap();
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn append(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        let mut old = std::fs::read_to_string(&p).unwrap_or_default();
        old.push_str(text);
        std::fs::write(p, old).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join("public").join(rel).exists()
    }
}

/// The fixed build date of the tests: 2026-11-01T00:00:00Z.
pub const NOW: i64 = 1_793_491_200;

/// Builds the example site into `out` as of [`NOW`], and returns the model
/// the build used (as of the same moment).
pub fn build_example(out: &Path) -> accolade::site::Site {
    build_example_at(out, None, NOW)
}

/// [`build_example`] with `certificate_pages: true` (the old certificate
/// addresses), from a copy in `dir`: its output is `dir/example-copy/public`.
pub fn build_example_with_certificate_pages(dir: &Path) -> (PathBuf, accolade::site::Site) {
    let root = example_copy(dir, |t| format!("{t}\ncertificate_pages: true\n"));
    let r = run_at(&root, &["build"], NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (loaded, diags) = accolade::build::resolve(&root, None, NOW);
    let site = loaded
        .unwrap_or_else(|| panic!("{}", diags.render(&root)))
        .1;
    (root.join("public"), site)
}

/// [`build_example`] with another base URL and "now" (seconds since 1970).
pub fn build_example_at(out: &Path, base_url: Option<&str>, now: i64) -> accolade::site::Site {
    let root = example_root();
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_accolade"))
        .args(&args)
        .env("SOURCE_DATE_EPOCH", now.to_string())
        .env_remove("ACCOLADE_SIGNING_KEY")
        .output()
        .expect("run accolade");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (loaded, diags) = accolade::build::resolve(&example_root(), base_url, now);
    loaded
        .unwrap_or_else(|| panic!("example site: {}", diags.render(&example_root())))
        .1
}

/// A copy of the example site (content and key) in `dir`, its site.yaml
/// changed by `edit`; returns its root.
pub fn example_copy(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let root = dir.join("example-copy");
    for sub in ["content", "keys"] {
        copy_dir(&example_root().join(sub), &root.join(sub));
    }
    let yaml = root.join("content/site.yaml");
    let text = edit(std::fs::read_to_string(&yaml).unwrap());
    std::fs::write(&yaml, text).unwrap();
    root
}

/// A copy of the example site with `award_files: full`, for tests that
/// need hosted baked images and QR files; returns its root.
pub fn full_example(dir: &Path) -> PathBuf {
    example_copy(dir, |text| {
        assert!(text.contains("award_files: lean"));
        text.replace("award_files: lean", "award_files: full")
    })
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Builds the example site with `award_files: full` (see [`full_example`])
/// into `out`, as of `now`; returns the model.
pub fn build_full_example_at(
    dir: &Path,
    out: &Path,
    base_url: Option<&str>,
    now: i64,
) -> accolade::site::Site {
    let root = full_example(dir);
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    let r = run_at(&root, &args, now);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (loaded, diags) = accolade::build::resolve(&root, base_url, now);
    loaded
        .unwrap_or_else(|| panic!("example site: {}", diags.render(&root)))
        .1
}

/// Runs the binary with `--root dir` and a fixed build date ([`NOW`]).
pub fn run_in(root: &Path, args: &[&str]) -> Run {
    run_at(root, args, NOW)
}

/// [`run_in`] as of another moment (seconds since 1970).
pub fn run_at(root: &Path, args: &[&str], now: i64) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_accolade"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", now.to_string())
        .env_remove("ACCOLADE_SIGNING_KEY")
        .output()
        .expect("run accolade");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs an external tool that prints one JSON value per line; fails the test
/// with its output if it fails.
pub fn json_lines(cmd: &mut std::process::Command, what: &str) -> Vec<serde_json::Value> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{what}: {e}: {l}")))
        .collect()
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The repository's example site.
pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A PNG's image data chunks: equal for two PNGs whose pixels were not
/// re-encoded (baking only inserts text chunks).
pub fn idat(png: &[u8]) -> Vec<Vec<u8>> {
    accolade::openbadges::bake::png_chunks(png)
        .unwrap()
        .into_iter()
        .filter(|c| &c.0 == b"IDAT")
        .map(|c| c.1.to_vec())
        .collect()
}

/// The sharing kit as Rust computes it for award `id` of the site at
/// `root` (as of [`NOW`]), in `lang`: what `static/share.js` must build.
pub fn share_kit(root: &Path, id: &str, lang: &str) -> accolade::render::share::ShareView {
    let (loaded, diags) = accolade::build::resolve(root, None, NOW);
    let (content, site) = loaded.unwrap_or_else(|| panic!("{}", diags.render(root)));
    let Ok(strings) = accolade::render::i18n::Strings::load(&content.theme, lang) else {
        panic!("no strings for {lang}");
    };
    let award = site.awards.iter().find(|a| a.id == id).expect("award");
    accolade::render::share::share_view(&site, award, &strings)
}

/// The data block a verification page carries for `static/share.js`, or
/// `None` when it has no sharing kit.
pub fn share_data(page: &str) -> Option<serde_json::Value> {
    let start = page.find("<script type=application/json id=share-data>")?;
    let body = &page[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    assert!(
        !body.contains('<'),
        "nothing in the data block can close it"
    );
    Some(serde_json::from_str(body).expect("the share data is JSON"))
}

/// The strings file the site in `public` publishes for its scripts in
/// `lang` (`static/strings/<lang>.json`).
pub fn script_strings(public: &Path, lang: &str) -> serde_json::Value {
    let path = public.join(accolade::paths::script_strings(lang));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example theme's interface strings in `lang`, as JSON.
pub fn theme_strings(lang: &str) -> serde_json::Value {
    let root = example_root();
    let (loaded, diags) = accolade::build::resolve(&root, None, NOW);
    let (content, _) = loaded.unwrap_or_else(|| panic!("{}", diags.render(&root)));
    let Ok(strings) = accolade::render::i18n::Strings::load(&content.theme, lang) else {
        panic!("no strings for {lang}");
    };
    serde_json::to_value(&strings.all).unwrap()
}

/// A test CA, and a server certificate for 127.0.0.1 and localhost signed
/// by it (PEM for files, DER for rustls).
pub struct TestCa {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
}

pub fn test_ca() -> TestCa {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "accolade test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    TestCa {
        ca_pem: ca.pem(),
        cert_pem: leaf.pem(),
        key_pem: key.serialize_pem(),
        cert_der: leaf.der().to_vec(),
        key_der: key.serialize_der(),
    }
}
