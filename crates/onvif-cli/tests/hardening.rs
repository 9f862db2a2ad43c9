//! What a hostile camera or a careless line must not achieve through the `onvif` binary:
//! device text that drives the terminal, device text without end on stderr, a password in any
//! output or file, and messages that leave the user guessing. Real sockets on 127.0.0.1 only,
//! a scrubbed environment (no ONVIF_* variables, private config and data directories).
#![allow(clippy::unwrap_used)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use base64::Engine as _;
use md5::{Digest, Md5};
use onvif_sim::{AuthMode, Quirk};
use onvif_testkit::peer::answering;
use onvif_testkit::{Sim, USER, cli, scratch_dir, stderr, stdout};

/// Distinctive, with characters that every encoding changes (`/ + =`).
const PASSWORD: &str = "Zq7-k8/Pw+x=yQ";

fn http(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const EVIL: &str = "Evil\x1b]0;pwned\x07\x1b[2J\x1b[31mred\r\nsecond line\u{9b}31m";

/// No byte that a terminal acts on (other than a line feed or tab) in `s`.
fn assert_inert(what: &str, s: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(bad.is_empty(), "{what} sends {bad:?} to the terminal:\n{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_text_is_escaped_in_tables_traces_and_the_shell() {
    let mut info = onvif_sim::default_device_info();
    info.manufacturer = EVIL.into();
    info.model = "M\x1b[2Jodel".into();
    let h = Sim::builder()
        .password(PASSWORD)
        .config(|c| c.device_info(info))
        .start()
        .await;
    let home = scratch_dir("evil");
    let host = h.addr().to_string();
    let base = ["-H", host.as_str(), "-u", USER, "-p", PASSWORD];
    for extra in [
        &["info"][..],
        &["--trace", "info"],
        &["-vv", "info"],
        &["raw", "GetDeviceInformation"],
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let o = cli!().home(&home).run(&args).await;
        assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
        assert_inert(&format!("{extra:?} stdout"), &stdout(&o));
        assert_inert(&format!("{extra:?} stderr"), &stderr(&o));
        if extra == ["info"] {
            // Shown escaped, on its own line of the table.
            let out = stdout(&o);
            assert!(
                out.contains("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{1b}[31mred\\r\\nsecond line"),
                "{out}"
            );
            assert_eq!(out.lines().count(), 5, "{out}");
        }
        if extra[0] == "--trace" {
            // The trace still shows everything, escaped.
            assert!(
                stderr(&o).contains("second line\\u{9b}31m"),
                "{}",
                stderr(&o)
            );
        }
    }
    // The shell, its `dump` included.
    let mut args = base.to_vec();
    args.push("shell");
    let o = cli!()
        .home(&home)
        .run_with_input(&args, "info\ndump\n")
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Evil\\u{1b}"), "{}", stdout(&o));
    assert_inert("shell stdout", &stdout(&o));
    assert_inert("shell stderr", &stderr(&o));
    // JSON escapes by itself.
    let mut args = base.to_vec();
    args.extend_from_slice(&["--json", "info"]);
    let o = cli!().home(&home).run(&args).await;
    assert_inert("json", &stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["manufacturer"], EVIL);
    h.shutdown().await;
}

/// `gateway set` keeps the camera's gateway of the family not given, and quotes it in its
/// confirmation (printed with --yes too): a camera's text there is escaped, on the one line.
/// The camera is a recording of the simulator, its gateway changed to something hostile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_quotes_the_camera_escaped() {
    let h = Sim::builder().password(PASSWORD).start().await;
    let dir = scratch_dir("gateway-confirm");
    let host = h.addr().to_string();
    let base = ["-H", host.as_str(), "-u", USER, "-p", PASSWORD];
    let mut args = base.to_vec();
    args.extend(["gateway", "set", "192.0.2.254", "--yes"]);
    let o = cli!().run(&args).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let har = dir.join("gateway.har");
    let har_s = har.to_str().unwrap();
    let mut args = base.to_vec();
    args.extend(["--capture", har_s, "gateway"]);
    let o = cli!().run(&args).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let recorded = std::fs::read_to_string(&har).unwrap();
    assert!(recorded.contains("192.0.2.254"), "{recorded}");
    // In the recording's JSON: a line break, then an escape sequence.
    std::fs::write(
        &har,
        recorded.replace("192.0.2.254", "192.0.2.254\\nerror: \\u001b[2Jfake"),
    )
    .unwrap();
    let replay = cli!().start_sim(&[
        "sim", "--port", "0", "--replay", har_s, "-u", USER, "-p", PASSWORD,
    ]);
    let replay_host = replay.host();
    let args = [
        "-H",
        replay_host.as_str(),
        "-u",
        USER,
        "-p",
        PASSWORD,
        "gateway",
        "set",
        "2001:db8::1",
        "--yes",
    ];
    let o = cli!().run(&args).await;
    let err = stderr(&o);
    assert_inert("gateway set stderr", &err);
    let about: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("About to set the camera's default gateway"))
        .collect();
    assert_eq!(about.len(), 1, "{err}");
    assert!(
        about[0].contains("to 192.0.2.254\\nerror: \\u{1b}[2Jfake, 2001:db8::1: a wrong"),
        "{err}"
    );
    h.shutdown().await;
}

/// A camera that writes a user name and password into the service addresses it reports:
/// `services`, `capabilities` and `doctor` show the addresses without them, as text and as
/// JSON. The camera is a recording of the simulator (reporting another host, so that the
/// doctor repairs the addresses and quotes them), given credentials in its addresses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_addresses_are_shown_without_their_credentials() {
    const XADDR_SECRET: &str = "Xaddr-S3cret";
    // Open operations: the doctor's GetCapabilities without credentials is answered, so the
    // recording holds an answer for `capabilities`.
    let h = Sim::builder()
        .password(PASSWORD)
        .quirks(&[Quirk::LyingXAddrsOtherHost, Quirk::OpenOperations])
        .start()
        .await;
    let dir = scratch_dir("xaddr-credentials");
    let har = dir.join("doctor.har");
    let har_s = har.to_str().unwrap();
    let host = h.addr().to_string();
    let o = cli!()
        .run(&[
            "-H",
            &host,
            "-u",
            USER,
            "-p",
            PASSWORD,
            "--capture",
            har_s,
            "doctor",
            "--hold",
            "1s",
        ])
        .await;
    assert!(har.exists(), "{}", stderr(&o));
    let recorded = std::fs::read_to_string(&har).unwrap();
    assert!(recorded.contains(">http://192.0.2.1:"), "{recorded}");
    std::fs::write(
        &har,
        recorded.replace(
            ">http://192.0.2.1:",
            &format!(">http://admin:{XADDR_SECRET}@192.0.2.1:"),
        ),
    )
    .unwrap();
    let replay = cli!().start_sim(&[
        "sim", "--port", "0", "--replay", har_s, "-u", USER, "-p", PASSWORD,
    ]);
    let replay_host = replay.host();
    let again = dir.join("again.har");
    let again_s = again.to_str().unwrap();
    for rest in [
        &["services"][..],
        &["--json", "services"],
        &["capabilities"],
        &["--json", "capabilities"],
        &["doctor", "--hold", "1s"],
        &["--json", "doctor", "--hold", "1s"],
        // Errors and log lines that name a service address (the recording answers no
        // events question), and a capture's JSON with the doctor's checks.
        &["-vv", "events", "properties"],
        &["-vv", "--json", "capture", "-o", again_s],
    ] {
        let mut args = vec!["-H", replay_host.as_str(), "-u", USER, "-p", PASSWORD];
        args.extend_from_slice(rest);
        let o = cli!().run(&args).await;
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(
            !out.contains(XADDR_SECRET) && !err.contains(XADDR_SECRET),
            "{rest:?}:\n{out}\n{err}"
        );
        assert!(!out.contains("admin:"), "{rest:?}:\n{out}");
        if rest[0] == "-vv" {
            assert!(err.contains("DEBUG"), "{rest:?}:\n{err}");
            if rest.contains(&"capture") {
                let recorded = std::fs::read_to_string(&again).unwrap();
                assert!(!recorded.contains(XADDR_SECRET), "{recorded}");
                assert!(out.contains("\"doctor\""), "{out}");
            }
        } else if rest.contains(&"doctor") {
            assert!(
                out.contains("reported as http://[credentials]@192.0.2.1:"),
                "{rest:?}:\n{out}\n{err}"
            );
        } else {
            assert!(o.status.success(), "{rest:?}: {err}");
            assert!(
                out.contains("http://[credentials]@192.0.2.1:"),
                "{rest:?}:\n{out}"
            );
        }
    }
    h.shutdown().await;
}

/// A camera that answers everything with a SOAP fault giving `reason`: its host.
async fn faulting(reason: &str) -> String {
    let body = format!(
        r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#
    );
    let answer = http(
        "500 Internal Server Error",
        "Content-Type: application/soap+xml\r\n",
        &body,
    );
    answering(answer).await.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_fault_reason_is_cut_on_stderr() {
    let host = faulting(&format!("{EVIL} {}", "A".repeat(7 * 1024 * 1024))).await;
    let home = scratch_dir("fault");
    let o = cli!().home(&home).run(&["-H", &host, "info"]).await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 1000, "{} bytes on stderr", err.len());
    assert!(err.contains("SOAP fault Receiver: Evil\\u{1b}"), "{err}");
    assert!(err.contains(" more bytes)"), "{err}");
    assert_inert("stderr", &err);
}

/// Log lines quote device text in their fields (an error's fault reason, say): escaped too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_reason_in_a_log_line_is_escaped() {
    let host = faulting(EVIL).await;
    let home = scratch_dir("fault-log");
    let o = cli!()
        .home(&home)
        .run(&["-vv", "-H", &host, "events"])
        .await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    // Logged (not only the final error), and inert.
    assert!(err.matches("Evil\\u{1b}").count() >= 2, "{err}");
    assert_inert("stderr", &err);
}

/// Every spelling of the password a log, trace or file could hold.
fn encodings() -> Vec<(&'static str, String)> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let ha1 = Md5::digest(format!("{USER}:{}:{PASSWORD}", onvif_sim::DIGEST_REALM));
    let ha1: String = ha1.iter().map(|b| format!("{b:02x}")).collect();
    let url: String = PASSWORD
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    vec![
        ("plain", PASSWORD.to_owned()),
        ("a distinctive part", "Pw+x=yQ".to_owned()),
        ("base64", b64.encode(PASSWORD)),
        (
            "base64 of user:password",
            b64.encode(format!("{USER}:{PASSWORD}")),
        ),
        ("URL-encoded", url.clone()),
        ("URL-encoded, lower case", url.to_lowercase()),
        ("HA1", ha1.clone()),
        ("HA1, upper case", ha1.to_uppercase()),
    ]
}

fn assert_no_password(what: &str, haystack: &[u8]) {
    let s = String::from_utf8_lossy(haystack);
    for (name, needle) in encodings() {
        assert!(
            !s.contains(&needle),
            "{what} holds the password ({name}: {needle}):\n{}",
            &s[..s.len().min(4000)]
        );
    }
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, found);
        } else {
            found.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_or_error_shows_the_password_in_any_encoding() {
    // WS-Security and Digest both (so the trace carries a Digest exchange), credentials in the
    // camera's own URIs, and events.
    let h = Sim::builder()
        .password(PASSWORD)
        .auth(AuthMode::Both)
        .quirk(Quirk::SnapshotUriWithCredentials)
        .events_motion_every(std::time::Duration::from_millis(200))
        .start()
        .await;
    let other = Sim::builder()
        .credentials(USER, "something-else")
        .start()
        .await;
    let home = scratch_dir("sweep");
    let host = h.addr().to_string();
    let other_host = other.addr().to_string();
    let saved = scratch_dir("capture").join("answer.xml");
    let snap = home.join("snap.jpg");
    let with_creds = |host: &str, rest: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["-H", host, "-u", USER, "-p", PASSWORD]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(rest.iter().map(|s| s.to_string()));
        v
    };
    let userinfo_address = format!("{USER}:{PASSWORD}@127.0.0.1:1");
    let userinfo_url = format!("http://{USER}:{PASSWORD}@{host}/onvif/device_service");
    let runs: Vec<(Vec<String>, Option<i32>)> = vec![
        (with_creds(&host, &["info"]), Some(0)),
        (with_creds(&host, &["time"]), Some(0)),
        (with_creds(&host, &["profiles"]), Some(0)),
        (with_creds(&host, &["stream-uri"]), Some(0)),
        (with_creds(&host, &["snapshot-uri"]), Some(0)),
        (with_creds(&host, &["--trace", "snapshot-uri"]), Some(0)),
        (with_creds(&host, &["--json", "snapshot-uri"]), Some(0)),
        (
            with_creds(&host, &["snapshot", "-o", snap.to_str().unwrap()]),
            Some(0),
        ),
        (with_creds(&host, &["ptz", "status"]), Some(0)),
        (with_creds(&host, &["events", "--for", "1s"]), Some(0)),
        (with_creds(&host, &["--trace", "info"]), Some(0)),
        (with_creds(&host, &["-vv", "info"]), Some(0)),
        (
            with_creds(&host, &["--trace", "-vv", "raw", "GetStreamUri"]),
            None,
        ),
        (with_creds(&other_host, &["info"]), Some(3)),
        (
            with_creds(&other_host, &["--trace", "-vv", "info"]),
            Some(3),
        ),
        (with_creds("127.0.0.1:1", &["info"]), Some(5)),
        (with_creds(&userinfo_address, &["info"]), Some(2)),
        (with_creds(&userinfo_url, &["--trace", "info"]), Some(2)),
        (
            vec!["-H".into(), userinfo_address.clone(), "info".into()],
            Some(2),
        ),
        (
            vec![
                "-H".into(),
                format!("{USER}:{PASSWORD}@[::1"),
                "info".into(),
            ],
            Some(2),
        ),
        (
            vec![
                "-H".into(),
                format!("http://{USER}:{PASSWORD}x/@127.0.0.1:1/"),
                "info".into(),
            ],
            Some(2),
        ),
        (
            vec!["-p".into(), PASSWORD.into(), "sim".into(), "--help".into()],
            Some(0),
        ),
        (vec!["sim".into(), "--help".into()], Some(0)),
    ];
    for (args, code) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli!().home(&home).run(&args).await;
        if let Some(code) = code {
            assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        }
        assert_no_password(&format!("stdout of {args:?}"), &o.stdout);
        assert_no_password(&format!("stderr of {args:?}"), &o.stderr);
    }
    // An answer holding the camera's own user:password@, shown raw, as JSON, and in a saved
    // capture read by `decode` (the capture is the test's input, kept outside `home`).
    let body = home.join("snapshot-uri.xml");
    std::fs::write(
        &body,
        r#"<trt:GetSnapshotUri xmlns:trt="http://www.onvif.org/ver10/media/wsdl"><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetSnapshotUri>"#,
    )
    .unwrap();
    let body = body.to_str().unwrap().to_owned();
    for rest in [
        &["raw", body.as_str()][..],
        &["--json", "raw", body.as_str()],
    ] {
        let args = with_creds(&host, rest);
        let o = cli!()
            .home(&home)
            .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .await;
        assert!(o.status.success(), "{rest:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("[credentials]@"), "{}", stdout(&o));
        assert_no_password(&format!("stdout of {rest:?}"), &o.stdout);
        if rest[0] == "raw" {
            let capture = stdout(&o).replace(
                "[credentials]@",
                &format!(
                    "{USER}:{}@",
                    PASSWORD
                        .replace('/', "%2F")
                        .replace('+', "%2B")
                        .replace('=', "%3D")
                ),
            );
            std::fs::write(&saved, capture).unwrap();
        }
    }
    let o = cli!()
        .home(&home)
        .run(&["decode", saved.to_str().unwrap()])
        .await;
    assert!(
        std::fs::read_to_string(&saved)
            .unwrap()
            .contains("%2FPw%2Bx"),
        "the capture holds the password"
    );
    assert!(stdout(&o).contains("[credentials]@"), "{}", stdout(&o));
    assert_no_password("decode stdout", &o.stdout);
    assert_no_password("decode stderr", &o.stderr);
    // The shell on a pipe, with every way of giving a password on its lines.
    let lines = format!(
        "info\nconnect {host} -u {USER} -p {PASSWORD}\nconnect {USER}:{PASSWORD}@{host}\n\
         info --pasword {PASSWORD}\ninfo -u {USER} -p wrong\ntrace on\ninfo\n\
         raw {body}\ndump\n"
    );
    let mut args = with_creds(&host, &["shell"]);
    args.insert(0, "--trace".into());
    let o = cli!()
        .home(&home)
        .run_with_input(&args.iter().map(String::as_str).collect::<Vec<_>>(), &lines)
        .await;
    assert!(stdout(&o).contains("[credentials]@"), "{}", stdout(&o));
    assert_no_password("shell stdout", &o.stdout);
    assert_no_password("shell stderr", &o.stderr);
    // The simulated camera from the environment.
    let sim_err = sim_from_environment(&home).await;
    assert_no_password("sim stderr", sim_err.as_bytes());
    // Every file written.
    let mut files = Vec::new();
    files_under(&home, &mut files);
    assert!(files.iter().any(|f| f == &snap), "{files:?}");
    for f in files {
        assert_no_password(&f.display().to_string(), &std::fs::read(&f).unwrap());
    }
    // Asked for explicitly, the password is given: that is the point of --with-credentials.
    let o = cli!()
        .home(&home)
        .run(
            &with_creds(&host, &["stream-uri", "--with-credentials"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
        .await;
    assert!(
        stdout(&o).contains("Zq7-k8%2FPw%2Bx%3DyQ@"),
        "{}",
        stdout(&o)
    );
    h.shutdown().await;
    other.shutdown().await;
}

/// `onvif sim` with its password in ONVIF_PASSWORD (and user in ONVIF_USER): a client with that
/// password gets in, one without does not. Returns what the sim wrote on stderr.
async fn sim_from_environment(home: &Path) -> String {
    let mut c = cli!()
        .home(home)
        .command(&["sim", "--port", "0", "--strict"]);
    c.env("ONVIF_USER", "operator")
        .env("ONVIF_PASSWORD", PASSWORD);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        line.trim().to_owned()
    })
    .await
    .unwrap();
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let host = host.split('/').next().unwrap().to_owned();
    let ok = cli!()
        .home(home)
        .run(&["-H", &host, "-u", "operator", "-p", PASSWORD, "hostname"])
        .await;
    let refused = cli!()
        .home(home)
        .run(&["-H", &host, "-u", "admin", "-p", "admin", "hostname"])
        .await;
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    stderr(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_says_where_it_points_and_that_it_was_not_followed() {
    let host = answering(http(
        "302 Found",
        "Location: http://admin:Rd1r-pw@192.0.2.9:8080/onvif/device_service\r\n",
        "",
    ))
    .await
    .to_string();
    let home = scratch_dir("redirect");
    let o = cli!().home(&home).run(&["-H", &host, "info"]).await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("HTTP 302"), "{err}");
    assert!(
        err.contains("a redirect to http://[credentials]@192.0.2.9:8080/onvif/device_service"),
        "{err}"
    );
    assert!(err.contains("do not follow redirects"), "{err}");
    assert!(!err.contains("Rd1r-pw"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connect_timeout_says_no_connection_was_made() {
    // A listener whose accept queue is full and never drained: the system answers no further
    // SYN, so a new connection is never established.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        if let Ok(Ok(c)) =
            tokio::time::timeout(std::time::Duration::from_millis(200), s.connect(addr)).await
        {
            fillers.push(c);
        }
    }
    let home = scratch_dir("connect");
    let o = cli!()
        .home(&home)
        .run(&["-H", &addr.to_string(), "--connect-timeout", "1s", "info"])
        .await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(err.contains("could not connect to"), "{err}");
    assert!(err.contains("within 1.0 s"), "{err}");
    assert!(!err.contains("no complete answer"), "{err}");
    drop(listener);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_namespaces_is_said_in_plain_words() {
    let home = scratch_dir("ns");
    let mut doc = String::from(r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope""#);
    for i in 0..300 {
        doc.push_str(&format!(r#" xmlns:p{i}="urn:x:{i}""#));
    }
    doc.push_str("><s:Body/></s:Envelope>");
    let f = home.join("many.xml");
    std::fs::write(&f, doc).unwrap();
    let o = cli!()
        .home(&home)
        .run(&["decode", f.to_str().unwrap()])
        .await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("namespace declarations"), "{err}");
    assert!(!err.contains("NamespaceResolver"), "{err}");
    assert!(!err.contains("set_max"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_shell_credentials_on_a_line_use_the_connected_camera() {
    let h = Sim::builder().password(PASSWORD).start().await;
    let home = scratch_dir("shell");
    let host = h.addr().to_string();
    let lines = format!(
        "connect {host} -u {USER} -p {PASSWORD}\ninfo -u {USER} -p {PASSWORD}\n\
         info -u {USER} -p wrong\n"
    );
    let o = cli!().home(&home).run_with_input(&["shell"], &lines).await;
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(!err.contains("no camera given"), "{err}");
    assert!(out.contains("ONVIF Toolkit"), "{out}\n{err}");
    // The wrong password on the last line reached the camera (and was refused).
    assert!(err.contains("authentication failed"), "{err}");
    assert_eq!(o.status.code(), Some(3), "{err}");
    h.shutdown().await;
}
