//! The `onvif` binary with a wrong password against a simulated camera that locks the account
//! after 5 wrong passwords in 10 minutes (`onvif sim --lockout 5/10m`): a mistyped password
//! costs one guess per command, so a user who tries a few commands is not locked out.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif_testkit::{Sim, USER, cli, stderr};

const WRONG: &str = "Wr0ng-pa55";

/// Each of `commands`, with the wrong password, exits 3 saying `says` (and not `not`), at one
/// more guess each on `h`.
async fn one_guess_each(h: &Sim, commands: &[&[&str]], says: &str, not: &str) {
    let host = h.host();
    for (i, args) in commands.iter().enumerate() {
        let mut with_wrong = vec!["-H", &host, "-u", USER, "-p", WRONG];
        with_wrong.extend_from_slice(args);
        let o = cli!().run(&with_wrong).await;
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(says) && !err.contains(not), "{args:?}: {err}");
        assert_eq!(h.guesses(), i as u64 + 1, "{args:?}: {:?}", h.stats());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_exit_3_at_one_guess_a_command_and_never_lock_the_account() {
    let h = Sim::builder()
        .lockout(5, Duration::from_secs(600))
        .start()
        .await;
    let commands: [&[&str]; 4] = [
        &["info"],
        &["info"],
        &["events", "--for", "2s"],
        &["events", "--json", "--for", "2s"],
    ];
    one_guess_each(&h, &commands, "", "locked").await;
    assert_eq!(h.stats().lockouts, 0);
    let o = cli!().run_on(&h, &["info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The doctor and a capture stop at the refusal: every check or question after it would be
/// one more guess.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_and_a_capture_stop_at_a_wrong_password() {
    let h = Sim::builder()
        .lockout(5, Duration::from_secs(600))
        .start()
        .await;
    let har = onvif_testkit::scratch_dir("lockout").join("capture.har");
    let commands: [&[&str]; 3] = [
        &["doctor"],
        &["--json", "doctor"],
        &["capture", "-o", har.to_str().unwrap()],
    ];
    one_guess_each(&h, &commands, "refused the credentials", "locked").await;
    assert!(har.exists(), "the recording of the refusal is written");
    let o = cli!().run_on(&h, &["info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A locked account is told as locked, with the advice to wait: not to check the password,
/// which is right.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_is_told_to_wait_not_to_check_the_password() {
    let h = Sim::builder()
        .lockout(2, Duration::from_secs(600))
        .start()
        .await;
    let host = h.host();
    for _ in 0..2 {
        let o = cli!()
            .run(&["-H", &host, "-u", USER, "-p", WRONG, "info"])
            .await;
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    }
    let o = cli!().run_on(&h, &["info"]).await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("wait until the camera unlocks the account"),
        "{err}"
    );
    assert!(!err.contains("wrong user name or password"), "{err}");
    let o = cli!().run_on(&h, &["doctor"]).await;
    let out = onvif_testkit::stdout(&o);
    assert!(out.contains("-> wait until the camera unlocks"), "{out}");
    assert!(!out.contains("check the user name and password"), "{out}");
}
