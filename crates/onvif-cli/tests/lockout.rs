//! The `onvif` binary with a wrong password against a simulated camera that locks the account
//! after 5 wrong passwords in 10 minutes (`onvif sim --lockout 5/10m`): a mistyped password
//! costs one guess per command, so a user who tries a few commands is not locked out.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};
use std::time::Duration;

use onvif_sim::{AuthFailure, SimConfig, SimHandle};

const USER: &str = "admin";
const PASSWORD: &str = "Sup3r-s3cret!";
const WRONG: &str = "Wr0ng-pa55";

fn onvif(h: &SimHandle, password: &str, rest: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_onvif"));
    let host = h.addr().to_string();
    c.args(["-H", &host, "-u", USER, "-p", password]).args(rest);
    for (k, _) in std::env::vars() {
        if k.starts_with("ONVIF_") {
            c.env_remove(k);
        }
    }
    c.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join(format!("onvif-lockout-cli-{}", std::process::id())),
    );
    c.env("NO_COLOR", "1");
    c
}

/// Run without blocking the runtime that serves the simulator.
async fn run(mut c: Command) -> Output {
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

fn guesses(h: &SimHandle) -> u64 {
    let s = h.stats();
    s.auth_failures_of(AuthFailure::WrongPassword) + s.auth_failures_of(AuthFailure::UnknownUser)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_exit_3_at_one_guess_a_command_and_never_lock_the_account() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .lockout(5, Duration::from_secs(600))
        .start()
        .await
        .unwrap();
    let commands: [&[&str]; 4] = [
        &["info"],
        &["info"],
        &["events", "--for", "2s"],
        &["events", "--json", "--for", "2s"],
    ];
    for (i, args) in commands.iter().enumerate() {
        let o = run(onvif(&h, WRONG, args)).await;
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(!err.contains("locked"), "{args:?}: {err}");
        assert_eq!(guesses(&h), i as u64 + 1, "{args:?}: {:?}", h.stats());
    }
    assert_eq!(h.stats().lockouts, 0);
    let o = run(onvif(&h, PASSWORD, &["info"])).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
