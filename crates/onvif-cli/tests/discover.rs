//! `onvif discover` against simulated cameras answering on 127.0.0.1 (unicast probes only:
//! nothing here sends multicast).
#![allow(clippy::unwrap_used)]

use onvif_testkit::{Sim, cli};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discover_lists_the_simulated_cameras() {
    let a = Sim::discoverable("Front door").await;
    let b = Sim::discoverable("Back yard").await;
    let ua = a.discovery_addr().unwrap().to_string();
    let ub = b.discovery_addr().unwrap().to_string();

    let o = cli!()
        .run(&[
            "discover",
            "--unicast",
            &ua,
            "--unicast",
            &ub,
            "--timeout",
            "700ms",
            "--json",
        ])
        .await;
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2, "{v:#}");
    for (h, name) in [(&a, "Front door"), (&b, "Back yard")] {
        let d = list
            .iter()
            .find(|d| d["endpoint"] == h.endpoint_reference().unwrap())
            .unwrap_or_else(|| panic!("{name} not listed: {v:#}"));
        assert_eq!(d["name"], name);
        assert_eq!(d["host"], h.addr().to_string());
        assert_eq!(d["xaddrs"][0], h.url());
        assert_eq!(d["profiles"], serde_json::json!(["S", "T"]));
    }
    // No spinner when stderr is not a terminal.
    assert!(!stderr.contains('⠋'), "{stderr}");

    // The table, with the -H value to use; the port of a bare address defaults to --port.
    let port = a.discovery_addr().unwrap().port().to_string();
    let o = cli!()
        .run(&[
            "discover",
            "--unicast",
            "127.0.0.1",
            "--port",
            &port,
            "--timeout",
            "500ms",
        ])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for col in ["NAME", "HARDWARE", "LOCATION", "PROFILES", "-H", "UUID"] {
        assert!(header.contains(col), "{text}");
    }
    let row = lines.next().unwrap();
    assert!(row.contains("Front door"), "{text}");
    assert!(row.contains(&a.addr().to_string()), "{text}");
    assert!(row.contains("S,T"), "{text}");
    assert!(
        row.contains(
            a.endpoint_reference()
                .unwrap()
                .trim_start_matches("urn:uuid:")
        )
    );
    assert_eq!(lines.next(), None, "{text}");

    // The -H value works as it is shown.
    let host = a.addr().to_string();
    let (user, password) = (a.user(), a.password());
    let o = cli!()
        .run(&["-H", &host, "-u", user, "-p", password, "info"])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_answering_is_not_an_error() {
    // A port where nothing listens: nothing answers.
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let silent = sock.local_addr().unwrap().to_string();
    drop(sock);
    let o = cli!()
        .run(&[
            "discover",
            "--unicast",
            &silent,
            "--timeout",
            "300ms",
            "--json",
        ])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));

    let o = cli!()
        .run(&["discover", "--unicast", &silent, "--timeout", "300ms"])
        .await;
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("No camera answered"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_usage_errors() {
    for args in [
        &["discover", "--unicast", "cam.local"][..],
        &["discover", "--interface", "no-such-interface0"],
        &["discover", "--watch", "--unicast", "127.0.0.1"],
    ] {
        let o = cli!().run(args).await;
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // A name is no discovery target (it is not looked up), and it is not called a camera.
    let o = cli!()
        .run(&["discover", "--unicast", "localhost:3702"])
        .await;
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--unicast \"localhost:3702\""), "{err}");
    assert!(!err.contains("camera address"), "{err}");
}
