//! Cameras lock an account after a few wrong passwords (Hikvision's "illegal login lock",
//! Dahua, Reolink; docs/QUIRKS.md): the client must never storm. Against the simulated camera
//! with `SimConfig::lockout(5, 10 min)`, neither one-off calls nor an event session with a
//! wrong password come near it, over an hour of tokio's paused clock where time matters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif::events::{EventSession, Lifecycle, SessionConfig, SessionItem};
use onvif::{Camera, Config, Credentials, ErrorKind};
use onvif_sim::{AuthMode, Quirk};
use onvif_testkit::{Sim, SimBuilder, USER};

const WRONG: &str = "not-the-secret";
const WINDOW: Duration = Duration::from_secs(600);
/// Virtual time on the paused clock: generous, since the clock jumps over every wait.
const VIRTUAL_LIMIT: Duration = Duration::from_secs(2 * 3600);

fn locking() -> SimBuilder {
    Sim::builder().lockout(5, WINDOW)
}

/// A client that has the camera's address right and its password wrong.
async fn with_wrong_password(h: &Sim) -> Camera {
    h.try_connect(Some(Credentials::new(USER, WRONG)), Config::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn two_one_off_calls_with_a_wrong_password_do_not_lock_the_account() {
    let cameras = [
        ("wsse", locking(), 1),
        ("digest", locking().auth(AuthMode::HttpDigest), 1),
        ("both", locking().auth(AuthMode::Both), 1),
        // The token of the first request is refused with a 401 that reads "Digest wanted".
        ("either", locking().auth(AuthMode::Either), 2),
        // The clock needs credentials too: connecting costs the guess, and says so.
        ("all-auth", locking().quirk(Quirk::AllAuth), 1),
    ];
    for (name, cfg, per_run) in cameras {
        let h = cfg.start().await;
        for run in 1..=2 {
            let e = match h
                .try_connect(Some(Credentials::new(USER, WRONG)), Config::default())
                .await
            {
                Ok(cam) => cam.device_information().await.unwrap_err(),
                Err(e) => e,
            };
            assert_eq!(e.kind(), ErrorKind::Auth, "{name}: {e:?}");
            assert_eq!(h.guesses(), run * per_run, "{name}: {:?}", h.stats());
        }
        assert_eq!(h.stats().lockouts, 0, "{name}");
        let cam = h.connect().await;
        cam.device_information().await.unwrap();
    }
}

#[tokio::test]
async fn the_lockout_is_real_for_a_client_that_storms() {
    // The same camera does lock a client that keeps guessing: the tests above are not
    // passing for want of a lock.
    let h = locking().start().await;
    for _ in 0..5 {
        let cam = with_wrong_password(&h).await;
        let _ = cam.device_information().await;
    }
    assert_eq!(h.stats().lockouts, 1);
    let cam = h.connect().await;
    let e = cam.device_information().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e:?}");
    assert!(e.to_string().contains("locked"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn an_event_session_with_a_wrong_password_does_not_lock_the_account() {
    let h = locking().start().await;
    let cam = with_wrong_password(&h).await;
    let e = match EventSession::pull(cam, SessionConfig::default()).await {
        Ok(_) => panic!("a session with a wrong password started"),
        Err(e) => e,
    };
    assert_eq!(e.kind(), ErrorKind::Auth, "{e:?}");
    // An hour later nothing more was tried.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(h.guesses() <= 2, "{:?}", h.stats());
    assert_eq!(h.stats().lockouts, 0);
}

#[tokio::test(start_paused = true)]
async fn a_session_whose_password_was_changed_gives_up_before_the_lock() {
    let h = locking().start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, SessionConfig::default())
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    // The user changes the password in the camera's web page; the session does not know it.
    h.set_password("changed-in-the-web-page");
    let mut closed = false;
    let hour = tokio::time::sleep_until(started + Duration::from_secs(3600));
    tokio::pin!(hour);
    loop {
        tokio::select! {
            () = &mut hour => break,
            item = tokio::time::timeout(VIRTUAL_LIMIT, rx.recv()) => match item.expect("in time") {
                Some(SessionItem::Lifecycle(Lifecycle::Closed)) | None => {
                    closed = true;
                    // Keep the hour running: nothing may be sent after the session ended.
                    hour.as_mut().await;
                    break;
                }
                Some(_) => {}
            },
        }
    }
    assert!(
        closed,
        "the session went on for an hour with refused credentials"
    );
    let n = h.guesses();
    assert!(
        n < 5,
        "{n} wrong-password requests in an hour: {:?}",
        h.stats()
    );
    assert_eq!(h.stats().lockouts, 0);
    session.close().await;
}
