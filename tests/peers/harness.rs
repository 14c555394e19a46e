//! Shared by the `invite_*` and `mail_*` integration tests: finding and running the real peers
//! installed by `tests/peers/install.sh`, an SMTP sink process, an ICS lint and fixtures.
//!
//! Included as a module of each crate's test binary; not every test uses every helper.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use scheduler_core::invite::{Attendee, Invitation, Method, Person};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The repository's root: this harness is compiled into the service's tests and into the core
/// crate's (`crates/scheduler-core`), and the peers are installed once, at the root.
fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("tests/peers/install.sh").exists())
        .expect("the harness lives under tests/peers of an ancestor")
}

pub fn peers_dir() -> PathBuf {
    repo_root().join("tests").join("peers")
}

fn venv_python() -> PathBuf {
    match std::env::var_os("PEERS_VENV") {
        Some(venv) => PathBuf::from(venv).join("bin").join("python"),
        None => repo_root().join(".venv/bin/python"),
    }
}

/// True when the peer can run. Otherwise prints why and returns false, except under `CI=true`,
/// where a missing peer is a failure: CI installs them, so their absence is a broken pipeline.
pub fn available(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    let note = format!("missing: {what}; run tests/peers/install.sh");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{note}");
    }
    eprintln!("SKIPPED: {note}");
    false
}

pub fn python_peers() -> bool {
    let python = venv_python();
    let ok = python.exists()
        && Command::new(&python)
            .args([
                "-c",
                "import aiosmtpd, icalendar, recurring_ical_events, vobject",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    available(
        "the Python peers (aiosmtpd, icalendar, recurring-ical-events, vobject)",
        ok,
    )
}

pub fn node_peers() -> bool {
    let ok = peers_dir()
        .join("node_modules/ical.js/package.json")
        .exists()
        && Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    available("ical.js (npm) or node", ok)
}

pub fn all_peers() -> bool {
    // Both checks run so both notes are printed.
    let python = python_peers();
    let node = node_peers();
    python && node
}

/// Runs one parser over ICS files; one JSON object per file, in order.
pub fn parse_with(
    parser: &str,
    files: &[PathBuf],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Value> {
    let window = [
        "--from".to_owned(),
        from.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "--to".to_owned(),
        to.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    ];
    let mut command = if parser == "ical.js" {
        let mut c = Command::new("node");
        c.arg(peers_dir().join("ics_icaljs.mjs"));
        c
    } else {
        let mut c = Command::new(venv_python());
        c.arg(peers_dir().join("ics_python.py"))
            .args(["--parser", parser]);
        c
    };
    let output = command
        .args(window)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {parser}: {e}"));
    assert!(
        output.status.success(),
        "{parser} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{parser} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let results = parsed.as_array().cloned().expect("a JSON array");
    assert_eq!(
        results.len(),
        files.len().max(1),
        "{parser}: one result per file"
    );
    results
}

pub const PARSERS: [&str; 3] = ["icalendar", "vobject", "ical.js"];

/// Writes `ics` to a file in `dir` and returns the path.
pub fn write_ics(dir: &Path, name: &str, ics: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, ics).expect("write ics");
    path
}

/// The RFC 5545 / iTIP rules none of the parsers enforce strictly; empty when clean.
pub fn lint_ics(ics: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !ics.ends_with("\r\n") {
        problems.push("does not end with CRLF".to_owned());
    }
    let bytes = ics.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            problems.push(format!("bare CR at byte {i}"));
        }
        if *b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') {
            problems.push(format!("bare LF at byte {i}"));
        }
    }
    let lines: Vec<&str> = ics.split("\r\n").filter(|l| !l.is_empty()).collect();
    for line in &lines {
        if line.len() > 75 {
            problems.push(format!("line of {} octets: {line}", line.len()));
        }
        if line.chars().any(|c| c.is_control() && c != '\t') {
            problems.push(format!("control character in {line:?}"));
        }
    }
    let unfolded = unfold(ics);
    let count = |prefix: &str| unfolded.iter().filter(|l| l.starts_with(prefix)).count();
    for (prefix, expected) in [
        ("PRODID:", 1),
        ("VERSION:", 1),
        ("METHOD:", 1),
        ("BEGIN:VCALENDAR", 1),
        ("END:VCALENDAR", 1),
        ("BEGIN:VEVENT", 1),
        ("UID:", 1),
        ("DTSTAMP:", 1),
        ("SEQUENCE:", 1),
        ("ORGANIZER", 1),
    ] {
        let n = count(prefix);
        if n != expected {
            problems.push(format!("{prefix} occurs {n} times"));
        }
    }
    let mut tzids: Vec<String> = unfolded
        .iter()
        .filter_map(|l| l.split_once(";TZID=").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split([':', ';']).next())
        .map(str::to_owned)
        .collect();
    tzids.sort();
    tzids.dedup();
    for tzid in tzids {
        if !unfolded.iter().any(|l| *l == format!("TZID:{tzid}")) {
            problems.push(format!("TZID {tzid} has no VTIMEZONE"));
        }
    }
    if let Some(rule) = unfolded
        .iter()
        .find(|l| l.starts_with("RRULE:FREQ=") && !l.contains("YEARLY;BYMONTH"))
        && let Some(until) = rule.split(';').find_map(|p| p.strip_prefix("UNTIL="))
        && !until.ends_with('Z')
    {
        problems.push(format!("UNTIL is not UTC: {rule}"));
    }
    problems
}

/// Content lines with folding undone (CRLF + one space or tab removed).
pub fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A real SMTP server (aiosmtpd) on loopback writing each message to `dir`; killed on drop.
pub struct SmtpSink {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
}

impl SmtpSink {
    pub fn start(dir: &Path, port: u16) -> Self {
        Self::start_with(dir, port, &[])
    }

    /// Offers STARTTLS with this certificate and refuses mail without it; with `auth`
    /// (`user:pass`) it also requires those credentials.
    pub fn start_tls(dir: &Path, port: u16, cert: &Path, key: &Path, auth: Option<&str>) -> Self {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--tls-cert".as_ref(),
            cert.as_os_str(),
            "--tls-key".as_ref(),
            key.as_os_str(),
        ];
        if let Some(auth) = auth {
            args.push("--auth".as_ref());
            args.push(auth.as_ref());
        }
        Self::start_with(dir, port, &args)
    }

    fn start_with(dir: &Path, port: u16, extra: &[&std::ffi::OsStr]) -> Self {
        let mut child = Command::new(venv_python())
            .arg(peers_dir().join("smtp_sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink");
        let stdout = child.stdout.take().expect("sink stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("sink announces itself");
        assert!(
            line.starts_with("READY"),
            "SMTP sink did not start: {line:?}"
        );
        Self {
            child: Some(child),
            port,
            dir: dir.to_owned(),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, in arrival order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read(p).expect("read eml"))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A throwaway CA and a leaf certificate for 127.0.0.1 made with the openssl CLI (rustls
/// refuses a self-signed leaf that is also a CA). Returns (ca.pem, leaf.pem, leaf.key).
pub fn test_certificates(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
    )
    .ok()?;
    let made = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=webex-scheduler test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    made.then(|| {
        (
            dir.join("ca.pem"),
            dir.join("leaf.pem"),
            dir.join("leaf.key"),
        )
    })
}

pub fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("an unambiguous local time")
}

pub fn person(name: Option<&str>, email: &str) -> Person {
    Person::new(name, email)
}

/// A realistic one-off meeting; tests change what they exercise.
pub fn sample_invitation(tz: Tz) -> Invitation {
    Invitation {
        uid: "7d3c7e0e-2b8e-4a53-9f61-0d5d3c1c9a10@webex-scheduler".to_owned(),
        sequence: 0,
        method: Method::Request,
        dtstamp: Utc
            .with_ymd_and_hms(2026, 2, 20, 12, 0, 0)
            .single()
            .expect("dtstamp"),
        organizer: person(Some("Hanna Host"), "host@example.com"),
        attendees: vec![
            Attendee {
                person: person(Some("Ann Example"), "ann@example.com"),
                cohost: false,
            },
            Attendee {
                person: person(Some("Bob \"B\" Smith, Jr."), "bob@example.org"),
                cohost: true,
            },
        ],
        title: "Weekly planning".to_owned(),
        agenda: Some("Review the board; pick next items, assign owners.".to_owned()),
        join_url: Some("https://example.webex.com/meet/j.php?MTID=m1234&x=1".to_owned()),
        meeting_number: Some("2550 123 4567".to_owned()),
        dial_in: Some("+1-415-555-0100,,25501234567##".to_owned()),
        start: local(tz, 2026, 3, 3, 9, 30),
        end: local(tz, 2026, 3, 3, 10, 30),
        rrule: None,
        recurrence_id: None,
        exdates: Vec::new(),
        moved_from: None,
    }
}

/// Every header an invitation e-mail has, sorted: an injected header would show up beside them.
pub const INVITATION_HEADERS: [&str; 8] = [
    "Content-Type",
    "Date",
    "From",
    "MIME-Version",
    "Message-ID",
    "Reply-To",
    "Subject",
    "To",
];

/// The top-level header names of a parsed message, sorted.
pub fn header_names<'a>(message: &'a mail_parser::Message<'_>) -> Vec<&'a str> {
    let mut names: Vec<&str> = message.headers().iter().map(|h| h.name()).collect();
    names.sort_unstable();
    names
}
