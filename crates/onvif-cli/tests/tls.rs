//! HTTPS cameras, over real TLS: a certificate this machine does not trust is refused with a
//! clear way out; `--insecure` lets it through; `trust` pins it in the config, after which it
//! is checked (and a changed one refused); `doctor` names what is wrong with a certificate.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;

use onvif_sim::TlsIdentity;
use onvif_testkit::tls::TestCa;
use onvif_testkit::{Sim, cli, scratch_dir, stderr, stdout};
use serde_json::Value;

async fn https_sim(identity: TlsIdentity) -> Sim {
    Sim::builder().config(|c| c.tls(identity)).start().await
}

fn creds(sim: &Sim) -> Vec<String> {
    vec![
        "-u".into(),
        sim.user().into(),
        "-p".into(),
        sim.password().into(),
    ]
}

async fn run(args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cli!().run(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_camera_is_refused_until_trusted_then_checked() {
    let sim = https_sim(TlsIdentity::self_signed().unwrap()).await;
    let url = sim.url();
    assert!(url.starts_with("https://"), "{url}");
    let mut args = vec!["-H".to_owned(), url.clone()];
    args.extend(creds(&sim));

    // Verified by default: refused, with the way out in the message.
    let mut a = args.clone();
    a.push("info".into());
    let o = run(&a).await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("certificate") && stderr(&o).contains("onvif trust"),
        "{}",
        stderr(&o)
    );
    let mut a = args.clone();
    a.extend(["--insecure".into(), "info".into()]);
    assert!(run(&a).await.status.success());

    // Trust on first use, through the config.
    let dir = scratch_dir("tls-trust");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "# my cameras\n[cameras.porch]\nhost = \"{url}\"\nuser = \"{}\"\npassword = \"{}\"\n",
            sim.user(),
            sim.password()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let c = config.to_str().unwrap();
    let o = cli!()
        .run(&["--config", c, "--camera", "porch", "--json", "trust"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let sha = sim.cert_sha256().unwrap().to_owned();
    assert_eq!(v["sha256"], sha);
    assert_eq!(v["verdict"], "unknown-issuer");
    assert_eq!(v["answers_when_pinned"], true);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with("# my cameras\n"), "{text}");
    assert!(text.contains(&format!("cert_sha256 = \"{sha}\"")), "{text}");
    let o = cli!()
        .run(&["--config", c, "--camera", "porch", "info"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));

    // Another certificate where the entry points (a new camera, or someone posing as it):
    // the entry now names another simulated camera, the pin stays.
    let other = https_sim(TlsIdentity::self_signed().unwrap()).await;
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace(&url, &other.url());
    std::fs::write(&config, text).unwrap();
    assert_ne!(other.cert_sha256().unwrap(), sha);
    let o = cli!()
        .run(&["--config", c, "--camera", "porch", "info"])
        .await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("not the pinned one"), "{}", stderr(&o));
    // `trust` then does not replace the pin by itself (it could be someone posing as the
    // camera): it shows both, and --replace is needed.
    let o = cli!()
        .run(&["--config", c, "--camera", "porch", "trust"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let other_sha = other.cert_sha256().unwrap().to_owned();
    for says in [sha.as_str(), other_sha.as_str(), "--replace"] {
        assert!(stderr(&o).contains(says), "{says}: {}", stderr(&o));
    }
    assert!(std::fs::read_to_string(&config).unwrap().contains(&sha));
    // -H naming another address than the entry's: nothing is pinned for the entry.
    let o = cli!()
        .run(&[
            "--config",
            c,
            "--camera",
            "porch",
            "-H",
            &url,
            "trust",
            "--replace",
        ])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not camera porch's address"),
        "{}",
        stderr(&o)
    );
    let o = cli!()
        .run(&["--config", c, "--camera", "porch", "trust", "--replace"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains(&other_sha) && !text.contains(&sha), "{text}");
    // Back to the old pin, for what follows.
    std::fs::write(&config, text.replace(&other_sha, &sha)).unwrap();
    // A pin given on the command line wins over the config's.
    let mut a = vec![
        "--config".to_owned(),
        c.into(),
        "--camera".into(),
        "porch".into(),
        "--cert-sha256".into(),
        other.cert_sha256().unwrap().into(),
        "info".into(),
    ];
    assert!(run(&a).await.status.success());
    a[5] = "not-hex".into();
    let o = run(&a).await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("64 hex digits"), "{}", stderr(&o));
}

/// The doctor's checks, from `doctor --json`.
/// The scheme mixed up (plain HTTP to a TLS port, TLS to a plain one): the error says which
/// to give instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_up_scheme_is_named_with_the_right_one() {
    let tls = https_sim(TlsIdentity::self_signed().unwrap()).await;
    let plain = Sim::start().await;
    for (host, sim, says) in [
        (tls.host(), &tls, "give the address as https://"),
        (
            format!("https://{}", plain.host()),
            &plain,
            "give the address as http://",
        ),
    ] {
        let mut args = vec!["-H".to_owned(), host.clone(), "--insecure".into()];
        args.extend(creds(sim));
        args.push("info".into());
        let o = run(&args).await;
        assert_eq!(o.status.code(), Some(5), "{host}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{host}: {}", stderr(&o));
    }
}

fn checks_of(o: &std::process::Output) -> Vec<Value> {
    let checks: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(o), stderr(o)));
    checks.as_array().unwrap().clone()
}

/// The check named `name`.
fn named<'a>(checks: &'a [Value], name: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} in {checks:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_what_is_wrong_with_a_certificate() {
    let dir = scratch_dir("tls-doctor");
    let ca = TestCa::create(&dir);
    let cases = [
        (
            "private",
            vec!["127.0.0.1"],
            false,
            "warning",
            "unknown issuer",
        ),
        ("expired", vec!["127.0.0.1"], true, "problem", "expired"),
        (
            "elsewhere",
            vec!["camera.example"],
            false,
            "warning",
            "another name",
        ),
    ];
    for (name, names, expired, status, says) in cases {
        let (cert, key) = ca.issue(name, &names, expired);
        let sim = https_sim(TlsIdentity::from_pem(&cert, &key).unwrap()).await;
        let mut base = vec!["-H".to_owned(), sim.url()];
        base.extend(creds(&sim));
        let doctor = ["--json", "doctor", "--hold", "2s"].map(String::from);
        let a: Vec<String> = base.iter().cloned().chain(doctor.clone()).collect();

        // Not verified, and the user did not say --insecure: a problem, and nothing that
        // would log in is tried (the camera got no request at all).
        let o = run(&a).await;
        assert_eq!(o.status.code(), Some(4), "{name}: {}", stderr(&o));
        let checks = checks_of(&o);
        let c = named(&checks, "certificate");
        assert_eq!(c["status"], "problem", "{name}: {c:#}");
        assert!(
            c["detail"].as_str().unwrap().contains(says),
            "{name}: {c:#}"
        );
        let advice = c["advice"].as_str().unwrap();
        assert!(
            advice.contains("onvif trust") && advice.contains("--insecure"),
            "{name}: {c:#}"
        );
        let skipped = named(&checks, "other checks");
        assert_eq!(skipped["status"], "skipped", "{name}: {skipped:#}");
        assert!(
            skipped["detail"].as_str().unwrap().contains("credentials"),
            "{name}: {skipped:#}"
        );
        assert!(
            !checks.iter().any(|c| c["check"] == "profiles"),
            "{name}: {checks:#?}"
        );
        let stats = sim.stats();
        assert_eq!(stats.requests, 0, "{name}: the camera was asked something");
        assert_eq!(stats.auth_failures, 0, "{name}");

        // `capture` probes the same way: it stops there too, and says why.
        if name == "private" {
            let har = dir.join("private.har");
            let mut c = base.clone();
            c.extend(["capture".into(), "-o".into(), har.display().to_string()]);
            let o = run(&c).await;
            assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
            assert!(
                stderr(&o).contains("unknown issuer") && stderr(&o).contains("--insecure"),
                "{}",
                stderr(&o)
            );
            assert_eq!(
                sim.stats().requests,
                0,
                "capture asked the camera something"
            );
        }

        // With --insecure, as the user asked: the certificate is named, and the rest checked
        // without verifying it.
        let mut a = base.clone();
        a.push("--insecure".into());
        a.extend(doctor);
        let checks = checks_of(&run(&a).await);
        let c = named(&checks, "certificate");
        assert_eq!(c["status"], status, "{name}: {c:#}");
        assert!(
            c["detail"].as_str().unwrap().contains(says),
            "{name}: {c:#}"
        );
        assert!(
            c["advice"].as_str().unwrap().contains("onvif trust"),
            "{c:#}"
        );
        assert!(
            checks
                .iter()
                .any(|c| c["check"] == "profiles" && c["status"] == "ok"),
            "{name}: {checks:#?}"
        );
        assert!(sim.stats().requests > 0, "{name}");
    }
}
