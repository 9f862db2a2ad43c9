//! The real `onvif` binary's account and network settings commands against the simulated
//! camera on 127.0.0.1 (scrubbed environment, no terminal): every command with and without
//! --json, the state read back, and the refusals (a name the camera refuses, the tool's own
//! account, a change that can cut the tool off without --yes, an invalid address).
//! Nothing here opens a socket to these addresses: 192.0.2.x, 198.51.100.x and 2001:db8:: are
//! documentation values stored as settings; the only peer is the simulator on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::process::Output;

use onvif_proto::ops::device::UserLevel;
use onvif_testkit::{PASSWORD, Sim, USER, cli, json, stderr, stdout};

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// `onvif -H sim -u USER REST` with the user's password in ONVIF_PASSWORD.
async fn run_as(sim: &Sim, user: &str, password: &str, rest: &[&str]) -> Output {
    let host = sim.host();
    let mut args = vec!["-H", host.as_str(), "-u", user];
    args.extend_from_slice(rest);
    cli!().var("ONVIF_PASSWORD", password).run(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_listed_added_given_a_password_and_removed() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["users"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("USER") && stdout(&o).contains(USER),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("Administrator"));
    assert!(!stdout(&o).contains(PASSWORD));
    let v = json(&cli!().run_on(&h, &["--json", "users"]).await);
    assert_eq!(v[0]["username"], USER);
    assert_eq!(v[0]["level"], "Administrator");
    assert!(v[0].get("password").is_none(), "{v}");

    // add: the password from the environment, never an argument.
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "op-Pass-1")
        .run_on(
            &h,
            &["--json", "users", "add", "op1", "--level", "operator"],
        )
        .await;
    let v = json(&o);
    assert_eq!(v["action"], "added");
    assert_eq!(v["users"][1]["username"], "op1");
    assert_eq!(v["users"][1]["level"], "Operator");
    assert!(!stdout(&o).contains("op-Pass-1") && !stderr(&o).contains("op-Pass-1"));
    assert_eq!(h.users()[1], ("op1".to_owned(), UserLevel::Operator));
    // The new account logs in.
    let o = run_as(&h, "op1", "op-Pass-1", &["hostname"]).await;
    assert!(o.status.success(), "{}", stderr(&o));

    // passwd: the old password stops working, the new one works.
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "op-Pass-2")
        .run_on(&h, &["users", "passwd", "op1"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("op1: password changed"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        code(&run_as(&h, "op1", "op-Pass-1", &["hostname"]).await),
        3
    );
    let o = run_as(&h, "op1", "op-Pass-2", &["--json", "hostname"]).await;
    assert_eq!(json(&o)["name"], "onvif-sim");

    // An Operator may not change accounts: the camera's refusal, exit 3, its reason shown.
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "x-Pass-123")
        .var("ONVIF_PASSWORD", "op-Pass-2")
        .run(&["-H", &h.host(), "-u", "op1", "users", "add", "intruder"])
        .await;
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("needs an Administrator"),
        "{}",
        stderr(&o)
    );
    // Cameras refuse a wrong password with the same fault: the message does not say which.
    assert!(
        stderr(&o).contains("or an account not allowed to do this"),
        "{}",
        stderr(&o)
    );
    assert_eq!(h.users().len(), 2);

    // level, then remove.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "users", "level", "op1", "user"])
            .await,
    );
    assert_eq!(v["level"], "User");
    let o = cli!().run_on(&h, &["users", "remove", "op1"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("op1: removed"), "{}", stdout(&o));
    assert_eq!(h.users().len(), 1);
    assert_eq!(
        code(&run_as(&h, "op1", "op-Pass-2", &["hostname"]).await),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_accounts_name_the_cameras_reason_and_the_tools_own_needs_force() {
    let h = Sim::builder().start().await;
    // A name the camera refuses: exit 4 with its fault and reason.
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "good-Pass-1")
        .run_on(&h, &["users", "add", "bad name"])
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("InvalidUsername"), "{}", stderr(&o));
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "good-Pass-1")
        .run_on(&h, &["users", "add", USER])
        .await;
    assert_eq!(code(&o), 4);
    assert!(stderr(&o).contains("UsernameClash"), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    // No password and no terminal: a usage error naming the variable; nothing sent.
    let o = cli!().run_on(&h, &["users", "add", "op2"]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ONVIF_NEW_PASSWORD"), "{}", stderr(&o));
    // The tool's own account: --force first.
    let o = cli!().run_on(&h, &["users", "remove", USER]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = cli!()
        .run_on(&h, &["users", "level", USER, "operator"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("DeleteUsers"), 0);
    assert_eq!(h.stats().operation("SetUser"), 0);
    // With --force, the camera still keeps its last Administrator.
    let o = cli!()
        .run_on(&h, &["users", "remove", USER, "--force"])
        .await;
    assert_eq!(code(&o), 4);
    assert!(stderr(&o).contains("FixedUser"), "{}", stderr(&o));
    // An unknown user is named, whatever is asked of it.
    for action in [
        &["passwd", "ghost"][..],
        &["level", "ghost", "user"],
        &["remove", "ghost"],
    ] {
        let mut args = vec!["users"];
        args.extend_from_slice(action);
        let o = cli!()
            .var("ONVIF_NEW_PASSWORD", "good-Pass-1")
            .run_on(&h, &args)
            .await;
        assert_eq!(code(&o), 2, "{action:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no user named \"ghost\""),
            "{action:?}: {}",
            stderr(&o)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_ntp_and_hostname_are_set_and_read_back() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["dns"]).await;
    assert!(
        o.status.success() && stdout(&o).contains("From DHCP"),
        "{}",
        stderr(&o)
    );
    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "dns",
                    "set",
                    "--server",
                    "192.0.2.1",
                    "--server",
                    "2001:db8::53",
                    "--search-domain",
                    "example.com",
                ],
            )
            .await,
    );
    assert_eq!(v["manual"][0]["address"], "192.0.2.1");
    assert_eq!(v["manual"][1]["kind"], "IPv6");
    assert_eq!(v["search_domains"][0], "example.com");
    let o = cli!().run_on(&h, &["dns"]).await;
    assert!(
        stdout(&o).contains("192.0.2.1, 2001:db8::53"),
        "{}",
        stdout(&o)
    );

    // An address that does not parse: a usage error naming it, nothing sent.
    let o = cli!()
        .run_on(&h, &["dns", "set", "--server", "192.0.2.300"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("192.0.2.300"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetDNS"), 1);
    // Servers and DHCP together make no sense: refused before anything is sent.
    let o = cli!()
        .run_on(&h, &["dns", "set", "--server", "192.0.2.1", "--dhcp"])
        .await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    // New servers alone keep the search domains.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "dns", "set", "--server", "192.0.2.2"])
            .await,
    );
    assert_eq!(v["manual"][0]["address"], "192.0.2.2");
    assert_eq!(v["search_domains"][0], "example.com");
    // New search domains alone keep the servers.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "dns", "set", "--search-domain", "lan"])
            .await,
    );
    assert_eq!(v["manual"][0]["address"], "192.0.2.2");
    assert_eq!(v["search_domains"], serde_json::json!(["lan"]));
    let o = cli!().run_on(&h, &["dns", "set"]).await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));

    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "ntp",
                    "set",
                    "--server",
                    "pool.example",
                    "--server",
                    "198.51.100.7",
                ],
            )
            .await,
    );
    assert_eq!(v["manual"][0]["kind"], "DNS");
    assert_eq!(v["manual"][1]["kind"], "IPv4");
    let o = cli!().run_on(&h, &["ntp"]).await;
    assert!(stdout(&o).contains("pool.example"), "{}", stdout(&o));
    let o = cli!()
        .run_on(&h, &["ntp", "set", "--server", "bad_host!"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad_host!"), "{}", stderr(&o));

    let v = json(
        &cli!()
            .run_on(&h, &["--json", "hostname", "set", "porch-cam"])
            .await,
    );
    assert_eq!(v["name"], "porch-cam");
    let o = cli!().run_on(&h, &["hostname"]).await;
    assert!(stdout(&o).contains("porch-cam"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["hostname", "set", "not valid"]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not valid"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_that_can_cut_the_tool_off_need_yes_without_a_terminal() {
    let h = Sim::builder().start().await;
    let v = json(&cli!().run_on(&h, &["--json", "protocols"]).await);
    assert_eq!(v[0]["name"], "HTTP");
    assert_eq!(v[0]["ports"][0], h.addr().port());
    let o = cli!().run_on(&h, &["protocols"]).await;
    assert!(
        stdout(&o).contains("PROTOCOL") && stdout(&o).contains("RTSP"),
        "{}",
        stdout(&o)
    );

    // Without --yes: says what it would do, refuses, sends nothing.
    let o = cli!().run_on(&h, &["protocols", "set", "rtsp=8554"]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("RTSP on, port 8554"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetNetworkProtocols"), 0);
    // A port out of range or an unknown protocol: usage errors naming it.
    let o = cli!()
        .run_on(&h, &["protocols", "set", "http=70000", "--yes"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("http=70000"), "{}", stderr(&o));
    let o = cli!()
        .run_on(&h, &["protocols", "set", "ftp=21", "--yes"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("\"ftp\""), "{}", stderr(&o));
    // With --yes.
    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "protocols",
                    "set",
                    "rtsp=8554",
                    "--disable",
                    "https",
                    "--yes",
                ],
            )
            .await,
    );
    let rtsp = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "RTSP")
        .unwrap();
    assert_eq!(rtsp["ports"][0], 8554);
    // The simulator still listens where it did.
    assert!(cli!().run_on(&h, &["hostname"]).await.status.success());

    let o = cli!().run_on(&h, &["gateway", "set", "192.0.2.254"]).await;
    assert_eq!(code(&o), 2);
    let o = cli!()
        .run_on(&h, &["gateway", "set", "192.0.2.999", "--yes"])
        .await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("192.0.2.999"), "{}", stderr(&o));
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "gateway", "set", "192.0.2.254", "--yes"])
            .await,
    );
    assert_eq!(v["ipv4"][0], "192.0.2.254");
    let o = cli!().run_on(&h, &["gateway"]).await;
    assert!(stdout(&o).contains("192.0.2.254"), "{}", stdout(&o));
    // An IPv6 gateway alone keeps the IPv4 one.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "gateway", "set", "2001:db8::1", "--yes"])
            .await,
    );
    assert_eq!(v["ipv4"][0], "192.0.2.254");
    assert_eq!(v["ipv6"][0], "2001:db8::1");

    let v = json(&cli!().run_on(&h, &["--json", "discovery-mode"]).await);
    assert_eq!(v, "Discoverable");
    let o = cli!()
        .run_on(&h, &["discovery-mode", "set", "non-discoverable"])
        .await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetDiscoveryMode"), 0);
    let o = cli!()
        .run_on(&h, &["discovery-mode", "set", "non-discoverable", "--yes"])
        .await;
    assert!(stdout(&o).contains("NonDiscoverable"), "{}", stderr(&o));
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "discovery-mode", "set", "discoverable"])
            .await,
    );
    assert_eq!(v, "Discoverable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_and_factory_reset() {
    let h = Sim::builder().start().await;
    assert!(
        cli!()
            .run_on(&h, &["hostname", "set", "renamed"])
            .await
            .status
            .success()
    );
    let o = cli!().run_on(&h, &["logs"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("host name set to renamed"),
        "{}",
        stdout(&o)
    );
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "op-Pass-1")
        .run_on(&h, &["users", "add", "op1"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&cli!().run_on(&h, &["--json", "logs", "--access"]).await);
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("user op1 created"), "{text}");
    assert!(!text.contains("op-Pass-1"));
    let v = json(&cli!().run_on(&h, &["--json", "logs", "--system"]).await);
    assert!(v["text"].as_str().unwrap().contains("renamed"));
    let file = onvif_testkit::scratch_dir("logs").join("system.log");
    let o = cli!()
        .run_on(&h, &["logs", "-o", file.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("bytes written to"), "{}", stdout(&o));
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "logs", "-o", file.to_str().unwrap()])
            .await,
    );
    assert!(v["bytes"].as_u64().unwrap() > 0, "{v}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("host name set to renamed")
    );

    let o = cli!().run_on(&h, &["factory-reset"]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = cli!().run_on(&h, &["factory-reset", "--force"]).await;
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetSystemFactoryDefault"), 0);
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "factory-reset", "--force", "--yes"])
            .await,
    );
    assert_eq!(v["factory_default"], "Soft");
    assert_eq!(h.users().len(), 1);
    let o = cli!().run_on(&h, &["hostname"]).await;
    assert!(stdout(&o).contains("onvif-sim"), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_runs_the_settings_commands() {
    let h = Sim::builder().start().await;
    let o = cli!()
        .run_on_with_input(
            &h,
            &["shell"],
            "users\ndns set --server 192.0.2.1\nprotocols set http=81\nprotocols\n",
        )
        .await;
    let out = stdout(&o);
    assert!(out.contains("Administrator"), "{out}");
    assert!(out.contains("192.0.2.1"), "{out}");
    // The protocol change was refused (no terminal, no --yes); the listing still ran.
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert!(out.contains("PROTOCOL"), "{out}");
    assert_eq!(h.stats().operation("SetNetworkProtocols"), 0);
}

/// Read the terminal until `want` shows, for at most 20 s; everything read so far.
fn wait_for(output: &std::sync::mpsc::Receiver<Vec<u8>>, seen: &mut String, want: &str) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !seen.contains(want) {
        let left = until.saturating_duration_since(std::time::Instant::now());
        match output.recv_timeout(left) {
            Ok(chunk) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            Err(_) => panic!("{want:?} never showed; the terminal shows:\n{seen}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_is_typed_at_the_terminal_without_echo() {
    let h = Sim::builder().start().await;
    let host = h.host();
    let shown = tokio::task::spawn_blocking(move || {
        let mut pty = cli!()
            .var("ONVIF_PASSWORD", PASSWORD)
            .var("TERM", "xterm")
            .pty(&[
                "-H", &host, "-u", USER, "users", "add", "op1", "--level", "operator",
            ]);
        let mut seen = String::new();
        wait_for(&pty.output, &mut seen, "New password for op1: ");
        pty.writer.write_all(b"pty-Pass-1\r").unwrap();
        wait_for(&pty.output, &mut seen, "Again: ");
        pty.writer.write_all(b"pty-Pass-1\r").unwrap();
        wait_for(&pty.output, &mut seen, "op1: added");
        let status = pty.child.wait().unwrap();
        assert!(status.success(), "{seen}");
        seen
    })
    .await
    .unwrap();
    assert!(
        !shown.contains("pty-Pass-1"),
        "the password was echoed:\n{shown}"
    );
    assert_eq!(h.users()[1], ("op1".to_owned(), UserLevel::Operator));
    // And it is the password typed.
    let o = run_as(&h, "op1", "pty-Pass-1", &["hostname"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_a_risky_change_is_asked_about_first() {
    let h = Sim::builder().start().await;
    let host = h.host();
    let answers = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for answer in ["n", "y"] {
            let mut pty = cli!()
                .var("ONVIF_PASSWORD", PASSWORD)
                .var("TERM", "xterm")
                .pty(&["-H", &host, "-u", USER, "protocols", "set", "rtsp=8554"]);
            let mut seen = String::new();
            wait_for(&pty.output, &mut seen, "Proceed? [y/N] ");
            assert!(seen.contains("RTSP on, port 8554"), "{seen}");
            pty.writer
                .write_all(format!("{answer}\r").as_bytes())
                .unwrap();
            let status = pty.child.wait().unwrap();
            out.push(status.exit_code());
        }
        out
    })
    .await
    .unwrap();
    assert_eq!(answers, [2, 0]);
    assert_eq!(h.stats().operation("SetNetworkProtocols"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_stays_out_of_traces_and_recordings() {
    let h = Sim::builder().start().await;
    let har = onvif_testkit::scratch_dir("settings-capture").join("users.har");
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "rec<Pass>&1")
        .run_on(
            &h,
            &[
                "--trace",
                "--capture",
                har.to_str().unwrap(),
                "users",
                "add",
                "op1",
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("CreateUsers"),
        "the trace shows the call"
    );
    let recording = std::fs::read_to_string(&har).unwrap();
    assert!(recording.contains("CreateUsers"), "{recording}");
    for shown in [stdout(&o), stderr(&o), recording] {
        assert!(!shown.contains("rec<Pass>&1") && !shown.contains("rec&lt;Pass&gt;&amp;1"));
    }
    assert_eq!(h.users().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_types_the_captured_settings_answers() {
    let Some(dir) = onvif_testkit::captures::captures_dir() else {
        return;
    };
    for (file, check) in [
        ("agsh-onvif/device.GetUsers.xml", "\"level\": \"Operator\""),
        (
            "easy_onvif/GX728MF-IR28/device_management/GetDNSResponse.xml",
            "\"search_domains\"",
        ),
        (
            "easy_onvif/SUNBA/device_management/GetSystemLogResponse.xml",
            "\"href\"",
        ),
    ] {
        let path = dir.join(file);
        let o = cli!().run(&["decode", path.to_str().unwrap()]).await;
        let v = json(&o);
        assert_eq!(v["kind"], "typed", "{file}: {v}");
        let text = stdout(&o);
        assert!(text.contains(check), "{file}: {text}");
        // A password a camera sent back is not printed.
        assert!(!text.contains("\"password\""), "{file}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_a_camera_sends_in_get_users_are_never_shown() {
    let h = Sim::builder()
        .quirk(onvif_sim::Quirk::UsersInDeviceNamespace)
        .start()
        .await;
    let o = cli!().run_on(&h, &["users"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(USER), "{}", stdout(&o));
    let v = json(&cli!().run_on(&h, &["--json", "users"]).await);
    assert_eq!(v[0]["username"], USER);
    assert_eq!(v[0]["level"], "Administrator");
    assert!(v[0].get("password").is_none(), "{v}");
    let o = cli!().run_on(&h, &["-vv", "--json", "users"]).await;
    for out in [stdout(&o), stderr(&o)] {
        assert!(!out.contains(PASSWORD), "{out}");
    }
    // The camera's answer as traced and recorded: its passwords redacted there too.
    let har = onvif_testkit::scratch_dir("users-quirk").join("users.har");
    let o = cli!()
        .run_on(
            &h,
            &["--trace", "--capture", har.to_str().unwrap(), "users"],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("<tds:Password>[redacted]</tds:Password>"));
    let recording = std::fs::read_to_string(&har).unwrap();
    assert!(recording.contains("GetUsersResponse"), "{recording}");
    for out in [stdout(&o), stderr(&o), recording] {
        assert!(!out.contains(PASSWORD), "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_sent_as_an_mtom_attachment_is_shown_and_written() {
    let h = Sim::builder()
        .quirk(onvif_sim::Quirk::SystemLogAttachment)
        .start()
        .await;
    let o = cli!().run_on(&h, &["hostname", "set", "renamed"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!().run_on(&h, &["logs"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("host name set to renamed"),
        "{}",
        stdout(&o)
    );
    let file = onvif_testkit::scratch_dir("logs-mtom").join("system.log");
    let o = cli!()
        .run_on(&h, &["logs", "-o", file.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("host name set to renamed"), "{written}");
}

/// `scopes name` and `scopes location` replace their category's configurable scopes (the
/// value encoded); `add`, `remove` and `set` take URIs or `category/value`; the camera's
/// refusal of a fixed scope is a device error naming it, a scope with a space a usage error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_are_named_located_added_and_removed() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["scopes", "name", "Front door"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let row = stdout(&o)
        .lines()
        .find(|l| l.starts_with("name"))
        .unwrap()
        .to_owned();
    assert!(
        row.contains("Front door") && row.contains("configurable") && row.contains("Front%20door"),
        "{}",
        stdout(&o)
    );
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "scopes", "location", "garden/north"])
            .await,
    );
    let items: Vec<&str> = v["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["item"].as_str().unwrap())
        .collect();
    assert!(
        items.contains(&"onvif://www.onvif.org/location/garden/north"),
        "{v}"
    );
    assert!(!items.iter().any(|i| i.ends_with("city/loopback")), "{v}");
    assert!(
        items.contains(&"onvif://www.onvif.org/name/Front%20door"),
        "{v}"
    );

    let o = cli!().run_on(&h, &["scopes", "add", "location/shed"]).await;
    assert!(stdout(&o).contains("location/shed"), "{}", stdout(&o));
    let o = cli!()
        .run_on(&h, &["scopes", "remove", "location/shed"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("location/shed"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["scopes", "set", "name/Porch"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("garden"), "{}", stdout(&o));

    let o = cli!()
        .run_on(&h, &["scopes", "remove", "onvif://www.onvif.org/Profile/T"])
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("FixedScope"), "{}", stderr(&o));
    // A bare category/value is written as `scopes` shows it: encoded.
    let o = cli!()
        .run_on(&h, &["scopes", "add", "name/Two words"])
        .await;
    assert!(stdout(&o).contains("name/Two%20words"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["scopes", "add", "garden"]).await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a scope"), "{}", stderr(&o));
}
