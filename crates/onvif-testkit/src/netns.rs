//! Tests that change the network (multicast routes, addresses that come and go) inside a
//! network namespace of their own, never on the machine's interfaces.
//!
//! The outer test ([`run_inside`]) re-runs its own test binary under `unshare --net`, asking
//! for one inner test by name; the inner test returns at once unless [`inside`] says it runs
//! there, sets the namespace up with [`ip`] (it starts with only `lo`, down) and calls
//! [`done`] last. Where no namespace can be made (not root, no `unshare` or `ip`) the outer
//! test says SKIPPED and passes, unless `ONVIF_REQUIRE_NETNS` is set (CI runs as root and
//! sets it: there a skip would hide a lost test).

use std::process::Command;

/// Set in the re-run test binary: it runs inside the namespace.
const INNER: &str = "ONVIF_TEST_INSIDE_NETNS";
/// What an inner test prints when it got to its end.
const MARKER: &str = "NETNS-TEST-DONE";

fn succeeds(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Run the test `inner` (its full name in this binary) inside a fresh network namespace and
/// fail when it fails; `what` says what would be skipped.
pub fn run_inside(inner: &str, what: &str) {
    if inside() {
        return;
    }
    let required = std::env::var_os("ONVIF_REQUIRE_NETNS").is_some();
    for (cmd, args, missing) in [
        (
            "unshare",
            &["--net", "true"][..],
            "cannot create a network namespace (`unshare --net` needs root and the unshare tool)",
        ),
        (
            "ip",
            &["-V"][..],
            "no `ip` tool to set up the network namespace",
        ),
    ] {
        if !succeeds(cmd, args) {
            assert!(!required, "ONVIF_REQUIRE_NETNS is set, but {missing}");
            eprintln!("SKIPPED: {missing}; {what} runs only there");
            return;
        }
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("unshare")
        .arg("--net")
        .arg("--")
        .arg(exe)
        .args([inner, "--exact", "--nocapture", "--test-threads=1"])
        .env(INNER, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(MARKER),
        "the test inside the namespace failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// Whether this is the re-run test binary, inside the namespace.
pub fn inside() -> bool {
    std::env::var_os(INNER).is_some()
}

/// Run `ip` with these arguments; a failure fails the test.
pub fn ip(args: &[&str]) {
    let o = Command::new("ip").args(args).output().unwrap();
    assert!(
        o.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Check the namespace is fresh and bring `lo` up. A fresh one has `lo` and, on some
/// kernels, the tunnels' fallback devices (`tunl0@NONE`, `sit0@NONE`, ...), all down.
pub fn bring_up_lo() {
    let links = Command::new("ip").args(["-o", "link"]).output().unwrap();
    let links = String::from_utf8_lossy(&links.stdout);
    let fresh = links.lines().all(|l| {
        let name = l.split(": ").nth(1).unwrap_or("");
        name == "lo" || (name.ends_with("@NONE") && l.contains(" state DOWN "))
    });
    assert!(fresh, "not a fresh namespace: {links}");
    ip(&["link", "set", "lo", "up"]);
}

/// Say the inner test got to its end.
pub fn done() {
    println!("{MARKER}");
}
