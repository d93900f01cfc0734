//! Delivery over SMTP with lettre: one connection, kept open across
//! messages and opened again after a failure (lettre closes it then);
//! STARTTLS or TLS from the first byte through rustls, with the system's
//! web roots or a private CA (`--ca-file`). The password comes only from
//! `ACCOLADE_SMTP_PASSWORD`.
//!
//! Failures are sorted the way a batch must treat them: the server's 4xx
//! (try again later), its 5xx (this message will never go: record it,
//! go on), and no server at all (stop the run).

use std::path::Path;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use crate::content::SmtpSecurity;
use crate::site::Smtp;

/// The environment variable holding the SMTP password.
pub const PASSWORD_ENV: &str = "ACCOLADE_SMTP_PASSWORD";

#[derive(Debug)]
pub enum Failure {
    /// The server said "not now" (4xx).
    Temporary(String),
    /// The server refused this message for good (5xx).
    Permanent(String),
    /// No usable connection: unreachable, or TLS failed (worth another try).
    Connection(String),
    /// The server will not take messages from us: login refused.
    Refused(String),
}

pub struct Sender {
    host: String,
    port: u16,
    security: SmtpSecurity,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    conn: Option<SmtpConnection>,
}

impl Sender {
    pub fn new(smtp: &Smtp, ca_file: Option<&Path>, timeout: Duration) -> Result<Sender, String> {
        let tls = match smtp.security {
            SmtpSecurity::None => None,
            _ => {
                let mut b = TlsParameters::builder(smtp.host.clone());
                if let Some(ca) = ca_file {
                    let pem = std::fs::read(ca)
                        .map_err(|e| format!("cannot read `--ca-file {}`: {e}", ca.display()))?;
                    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
                        return Err(format!(
                            "`--ca-file {}` holds no PEM certificate",
                            ca.display()
                        ));
                    }
                    let cert = Certificate::from_pem(&pem)
                        .map_err(|e| format!("`--ca-file {}`: {e}", ca.display()))?;
                    b = b.add_root_certificate(cert);
                }
                Some(b.build().map_err(|e| format!("TLS settings: {e}"))?)
            }
        };
        let password = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty());
        let credentials = match (&smtp.user, password) {
            (Some(user), Some(p)) => Some(Credentials::new(user.clone(), p)),
            (Some(user), None) => {
                return Err(format!(
                    "`notify.smtp.user` is `{user}` but {PASSWORD_ENV} is not set: the password is only ever read from there"
                ));
            }
            (None, _) => None,
        };
        Ok(Sender {
            host: smtp.host.clone(),
            port: smtp.port,
            security: smtp.security,
            tls,
            credentials,
            hello: ClientId::Domain("accolade.localhost".into()),
            timeout,
            conn: None,
        })
    }

    fn connect(&mut self) -> Result<&mut SmtpConnection, Failure> {
        if self.conn.as_ref().is_some_and(|c| !c.has_broken()) {
            return Ok(self.conn.as_mut().expect("just checked"));
        }
        let at = format!("{}:{}", self.host, self.port);
        let fail = |what: &str, e: lettre::transport::smtp::Error| {
            Failure::Connection(format!("{what} {at}: {}", describe(&e)))
        };
        // TLS from the first byte, or (STARTTLS, none) plain until told.
        let wrapper = self
            .tls
            .as_ref()
            .filter(|_| self.security == SmtpSecurity::Tls);
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &self.hello,
            wrapper,
            None,
        )
        .map_err(|e| fail("cannot connect to", e))?;
        no_delay();
        if self.security == SmtpSecurity::Starttls {
            let tls = self.tls.as_ref().expect("STARTTLS has TLS settings");
            if !conn.can_starttls() {
                return Err(Failure::Connection(format!(
                    "{at} does not offer STARTTLS, and `security: starttls` requires it"
                )));
            }
            conn.starttls(tls, &self.hello)
                .map_err(|e| fail("STARTTLS failed with", e))?;
        }
        if let Some(c) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], c)
                .map_err(|e| {
                    Failure::Refused(format!("login refused by {at}: {}", describe(&e)))
                })?;
        }
        Ok(self.conn.insert(conn))
    }

    /// Sends one message to `to`.
    pub fn send(&mut self, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
        let conn = self.connect()?;
        conn.send(envelope, bytes).map(|_| ()).map_err(|e| {
            let text = describe(&e);
            if e.is_transient() {
                Failure::Temporary(text)
            } else if e.is_permanent() {
                Failure::Permanent(text)
            } else {
                Failure::Connection(text)
            }
        })
    }

    /// Says goodbye to the server, if connected.
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take()
            && !c.has_broken()
        {
            let _ = c.quit();
        }
    }
}

/// Turns Nagle's algorithm off on the process's TCP sockets (notify has
/// only its SMTP connection open). lettre 0.11.23 writes a message's final
/// `.` apart from its body and leaves Nagle on, so that five-byte write
/// waits for the server's delayed ACK: 40 ms a message, 22 messages a
/// second at most on loopback (measured). lettre fixed it (set_nodelay, PR
/// 1159) after its last release; remove this when a release has it.
#[cfg(target_os = "linux")]
fn no_delay() {
    use std::os::fd::FromRawFd;
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in fds.flatten() {
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"));
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if is_socket {
            // SAFETY: `fd` is an open socket of this process (just listed),
            // borrowed for one setsockopt and never closed here
            // (ManuallyDrop); on a socket that is not TCP it fails harmlessly.
            let stream =
                std::mem::ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
            let _ = stream.set_nodelay(true);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn no_delay() {}

/// An error with its causes (lettre's own text leaves the server's words
/// and the I/O reason in its sources).
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}
