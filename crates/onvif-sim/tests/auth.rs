//! Authentication: WS-UsernameToken, HTTP Digest, and the modes and quirks that combine them.

#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use onvif_proto::ops::Operation;
use onvif_proto::ops::device::{
    DeviceInformation, GetCapabilities, GetDeviceInformation, GetHostname, GetServices,
    GetSystemDateAndTime, Services, SystemDateAndTime,
};
use onvif_proto::wsse::{PasswordType, UsernameToken};
use onvif_sim::{AuthFailure, AuthMode, Quirk, default_device_info};
use onvif_testkit::http::digest::{self, param};
use onvif_testkit::http::{DEVICE, Req, Resp, call, envelope_of, token};
use onvif_testkit::{Sim, SimBuilder, USER};

/// A password with XML's special characters: tokens and Digest must carry it unchanged.
const PW: &str = "s3cret<&>";

fn cfg() -> SimBuilder {
    Sim::builder().password(PW)
}

fn at(offset_secs: i64) -> Timestamp {
    Timestamp::now()
        .checked_add(SignedDuration::from_secs(offset_secs))
        .unwrap()
}

#[tokio::test]
async fn get_system_date_and_time_is_open() {
    let cam = cfg().start().await;
    let r = call(cam.addr(), DEVICE, &GetSystemDateAndTime, None).await;
    let t: SystemDateAndTime = r.read();
    let utc = t.utc_timestamp().unwrap();
    assert!(utc.duration_since(Timestamp::now()).abs() < SignedDuration::from_secs(5));
    assert_eq!(cam.stats().operation("GetSystemDateAndTime"), 1);
    assert_eq!(cam.stats().auth_failures, 0);
}

#[tokio::test]
async fn a_protected_operation_without_credentials_is_not_authorized() {
    let cam = cfg().start().await;
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, None).await;
    r.assert_not_authorized();
    assert!(r.header("www-authenticate").is_none());
    let s = cam.stats();
    assert_eq!(s.auth_failures, 1);
    assert_eq!(s.auth_failures_of(AuthFailure::Missing), 1);
    assert_eq!(s.operation("GetDeviceInformation"), 0);
}

#[tokio::test]
async fn a_correct_username_token_gets_the_typed_answer() {
    let cam = cfg().start().await;
    let h = token(USER, PW, Timestamp::now());
    let info: DeviceInformation = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h))
        .await
        .read();
    assert_eq!(info, default_device_info());
    assert_eq!(info.manufacturer, "ONVIF Toolkit");
    assert_eq!(cam.stats().operation("GetDeviceInformation"), 1);
}

#[tokio::test]
async fn wrong_password_and_wrong_user_are_refused() {
    let cam = cfg().start().await;
    let h = token(USER, "wrong", Timestamp::now());
    call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h))
        .await
        .assert_not_authorized();
    let h = token("root", PW, Timestamp::now());
    call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h))
        .await
        .assert_not_authorized();
    let s = cam.stats();
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::UnknownUser), 1);
}

#[tokio::test]
async fn created_more_than_five_minutes_off_either_way_is_refused() {
    let cam = cfg().start().await;
    for off in [-360, 360] {
        let h = token(USER, PW, at(off));
        call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h))
            .await
            .assert_not_authorized();
    }
    assert_eq!(
        cam.stats().auth_failures_of(AuthFailure::CreatedOutOfRange),
        2
    );
    for off in [-240, 240] {
        let h = token(USER, PW, at(off));
        let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h)).await;
        assert_eq!(r.status, 200, "{off}: {}", r.body);
    }
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let cam = cfg().start().await;
    let body = envelope_of(
        &GetDeviceInformation,
        Some(&token(USER, PW, Timestamp::now())),
    );
    let first = Req::post(DEVICE, &body).send(cam.addr()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    Req::post(DEVICE, &body)
        .send(cam.addr())
        .await
        .assert_not_authorized();
    assert_eq!(cam.stats().auth_failures_of(AuthFailure::ReplayedNonce), 1);
}

#[tokio::test]
async fn a_refused_token_does_not_burn_its_nonce() {
    let cam = cfg().start().await;
    // Same nonce, first with the wrong password, then with the right one.
    let nonce = [9u8; 16];
    let bad = UsernameToken::digest(USER, "wrong", Timestamp::now(), &nonce);
    let good = UsernameToken::digest(USER, PW, Timestamp::now(), &nonce);
    call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&bad.to_header()),
    )
    .await
    .assert_not_authorized();
    let r = call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&good.to_header()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

fn text_token(password: &str) -> String {
    UsernameToken {
        username: USER.into(),
        password: password.into(),
        password_type: PasswordType::Text,
        nonce: None,
        created: None,
    }
    .to_header()
}

#[tokio::test]
async fn password_text_is_refused_unless_allowed() {
    let cam = cfg().start().await;
    call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&text_token(PW)),
    )
    .await
    .assert_not_authorized();
    assert_eq!(
        cam.stats()
            .auth_failures_of(AuthFailure::PasswordTextRefused),
        1
    );

    let cam = cfg().config(|c| c.accept_password_text(true)).start().await;
    let r = call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&text_token(PW)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&text_token("nope")),
    )
    .await
    .assert_not_authorized();
}

#[tokio::test]
async fn a_digest_token_without_nonce_or_created_is_refused() {
    let cam = cfg().start().await;
    let mut t = UsernameToken::digest_now(USER, PW, Timestamp::now());
    t.created = None;
    call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&t.to_header()),
    )
    .await
    .assert_not_authorized();
    assert_eq!(
        cam.stats()
            .auth_failures_of(AuthFailure::MissingNonceOrCreated),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP Digest, computed by hand

/// An Authorization header answering `challenge` for `POST uri`.
fn authorization(challenge: &str, alg: &str, password: &str, uri: &str, nc: u32) -> String {
    digest::authorization(challenge, alg, "POST", uri, password, nc)
}

async fn challenge_of(cam: &onvif_sim::SimHandle) -> Resp {
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    r
}

fn plain_request(auth: &str) -> Req {
    Req::post(DEVICE, &envelope_of(&GetDeviceInformation, None)).header("Authorization", auth)
}

#[tokio::test]
async fn digest_mode_challenges_and_accepts_md5_and_sha256() {
    let cam = cfg().auth(AuthMode::HttpDigest).start().await;
    let r = challenge_of(&cam).await;
    let challenges = r.headers_all("www-authenticate");
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(challenges[0].starts_with("Digest "));
    assert!(challenges[0].contains("algorithm=MD5"));
    assert!(challenges[1].contains("algorithm=SHA-256"));
    assert!(challenges[0].contains(r#"realm="onvif-sim""#));
    assert!(challenges[0].contains(r#"qop="auth""#));
    assert_eq!(param(challenges[0], "nonce"), param(challenges[1], "nonce"));
    // The 401 carries a NotAuthorized fault as well.
    assert!(r.fault().is_not_authorized());

    for (i, c) in challenges.iter().enumerate() {
        let alg = if i == 0 { "MD5" } else { "SHA-256" };
        let auth = authorization(c, alg, PW, DEVICE, i as u32 + 1);
        let info: DeviceInformation = plain_request(&auth).send(cam.addr()).await.read();
        assert_eq!(info.model, "onvif-sim");
    }
    // A UsernameToken alone does not do in digest mode.
    let h = token(USER, PW, Timestamp::now());
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h)).await;
    assert_eq!(r.status, 401);
    let s = cam.stats();
    assert_eq!(s.operation("GetDeviceInformation"), 2);
    assert_eq!(s.digest_challenges, 2);
}

#[tokio::test]
async fn digest_refuses_wrong_password_replay_wrong_uri_and_foreign_nonces() {
    let cam = cfg().auth(AuthMode::HttpDigest).start().await;
    let r = challenge_of(&cam).await;
    let c = r.header("www-authenticate").unwrap().to_owned();

    let wrong = authorization(&c, "MD5", "nope", DEVICE, 1);
    let r = plain_request(&wrong).send(cam.addr()).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").is_some());

    let good = authorization(&c, "MD5", PW, DEVICE, 2);
    assert_eq!(plain_request(&good).send(cam.addr()).await.status, 200);
    assert_eq!(plain_request(&good).send(cam.addr()).await.status, 401);

    let other_uri = authorization(&c, "MD5", PW, "/onvif/media_service", 3);
    assert_eq!(plain_request(&other_uri).send(cam.addr()).await.status, 401);

    let foreign = authorization(
        &c.replace(param(&c, "nonce"), "00112233445566778899aabbccddeeff"),
        "MD5",
        PW,
        DEVICE,
        1,
    );
    assert_eq!(plain_request(&foreign).send(cam.addr()).await.status, 401);

    let s = cam.stats();
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::ReplayedDigest), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::DigestUriMismatch), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::UnknownDigestNonce), 1);
    assert_eq!(s.operation("GetDeviceInformation"), 1);
}

#[tokio::test]
async fn basic_is_refused_unless_allowed() {
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PW}"))
    );
    let cam = cfg().auth(AuthMode::HttpDigest).start().await;
    let r = plain_request(&basic).send(cam.addr()).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.headers_all("www-authenticate").len(), 2);
    assert_eq!(cam.stats().auth_failures_of(AuthFailure::BasicRefused), 1);

    let cam = cfg()
        .auth(AuthMode::HttpDigest)
        .config(|c| c.allow_basic(true))
        .start()
        .await;
    let r = challenge_of(&cam).await;
    assert!(
        r.headers_all("www-authenticate")
            .iter()
            .any(|c| c.starts_with("Basic "))
    );
    assert_eq!(plain_request(&basic).send(cam.addr()).await.status, 200);
}

#[tokio::test]
async fn both_mode_needs_digest_and_token() {
    let cam = cfg().auth(AuthMode::Both).start().await;
    let r = challenge_of(&cam).await;
    let c = r.header("www-authenticate").unwrap().to_owned();

    // Digest alone: the HTTP layer passes, the SOAP layer refuses with a fault.
    plain_request(&authorization(&c, "MD5", PW, DEVICE, 1))
        .send(cam.addr())
        .await
        .assert_not_authorized();

    let h = token(USER, PW, Timestamp::now());
    let r = Req::post(DEVICE, &envelope_of(&GetDeviceInformation, Some(&h)))
        .header("Authorization", &authorization(&c, "MD5", PW, DEVICE, 2))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn either_mode_takes_one_or_the_other() {
    let cam = cfg().auth(AuthMode::Either).start().await;
    let r = challenge_of(&cam).await;
    let c = r.header("www-authenticate").unwrap().to_owned();
    let h = token(USER, PW, Timestamp::now());
    assert_eq!(
        call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&h))
            .await
            .status,
        200
    );
    let auth = authorization(&c, "SHA-256", PW, DEVICE, 1);
    assert_eq!(plain_request(&auth).send(cam.addr()).await.status, 200);
    let bad = token(USER, "wrong", Timestamp::now());
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&bad)).await;
    assert_eq!(r.status, 401);
    assert_eq!(cam.stats().auth_failures_of(AuthFailure::WrongPassword), 1);
}

#[tokio::test]
async fn fault_instead_of_401_never_challenges() {
    let cam = cfg()
        .auth(AuthMode::HttpDigest)
        .quirk(Quirk::FaultInsteadOf401)
        .start()
        .await;
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, None).await;
    r.assert_not_authorized();
    assert!(r.header("www-authenticate").is_none());
    assert_eq!(cam.stats().digest_challenges, 0);
}

#[tokio::test]
async fn auth_none_opens_everything() {
    let cam = cfg().auth(AuthMode::None).start().await;
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

// ---------------------------------------------------------------------------------------------
// Which operations are open

async fn status_without_auth<O: Operation>(cam: &onvif_sim::SimHandle, op: &O) -> u16 {
    call(cam.addr(), &cam_path(cam), op, None).await.status
}

fn cam_path(cam: &onvif_sim::SimHandle) -> String {
    let url = cam.url();
    let after_scheme = url.trim_start_matches("http://");
    after_scheme[after_scheme.find('/').unwrap()..].to_owned()
}

#[tokio::test]
async fn discovery_operations_need_auth_unless_a_quirk_opens_them() {
    let plain = cfg().start().await;
    assert_eq!(
        status_without_auth(&plain, &GetSystemDateAndTime).await,
        200
    );
    assert_eq!(
        status_without_auth(&plain, &GetCapabilities::default()).await,
        400
    );
    let gs = GetServices {
        include_capability: false,
    };
    assert_eq!(status_without_auth(&plain, &gs).await, 400);

    let open = cfg().quirk(Quirk::OpenOperations).start().await;
    assert_eq!(
        status_without_auth(&open, &GetCapabilities::default()).await,
        200
    );
    assert_eq!(status_without_auth(&open, &gs).await, 200);
    // Core's other PRE_AUTH operations of the device service are open with it too.
    assert_eq!(status_without_auth(&open, &GetHostname).await, 200);
    assert_eq!(status_without_auth(&plain, &GetHostname).await, 400);
    let caps = onvif_proto::ops::device::GetServiceCapabilities;
    assert_eq!(status_without_auth(&open, &caps).await, 200);
    assert_eq!(status_without_auth(&open, &GetDeviceInformation).await, 400);

    let axis = cfg().quirk(Quirk::AllAuth).start().await;
    assert_eq!(status_without_auth(&axis, &GetSystemDateAndTime).await, 400);
    let h = token(USER, PW, Timestamp::now());
    let r = call(axis.addr(), DEVICE, &GetSystemDateAndTime, Some(&h)).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn tapo_serves_everything_at_one_path_and_opens_discovery() {
    let cam = cfg().quirk(Quirk::Tapo).start().await;
    assert!(cam.url().ends_with("/onvif/service"), "{}", cam.url());
    let r = call(cam.addr(), DEVICE, &GetSystemDateAndTime, None).await;
    assert_eq!(r.status, 404);
    let gs = GetServices {
        include_capability: false,
    };
    let services: Services = call(cam.addr(), "/onvif/service", &gs, None).await.read();
    assert_eq!(services.services[0].xaddr, cam.url());
    let h = token(USER, PW, Timestamp::now());
    let info: DeviceInformation = call(
        cam.addr(),
        "/onvif/service",
        &GetDeviceInformation,
        Some(&h),
    )
    .await
    .read();
    assert_eq!(info.model, "onvif-sim");
}

/// The client answers Digest with the http-auth crate: both implementations must agree, for
/// several requests on one challenge (nc counting up) and for a user name that needs RFC 8187
/// encoding.
#[tokio::test]
async fn digest_cross_checks_with_the_http_auth_crate() {
    for user in [USER, "Jäsøn \"the\" user"] {
        let cam = Sim::builder()
            .credentials(user, PW)
            .auth(AuthMode::HttpDigest)
            .start()
            .await;
        let r = challenge_of(&cam).await;
        let mut builder = http_auth::PasswordClient::builder();
        for c in r.headers_all("www-authenticate") {
            builder = builder.challenges(c);
        }
        let mut client = builder.build().unwrap();
        for _ in 0..3 {
            let auth = client
                .respond(&http_auth::PasswordParams {
                    username: user,
                    password: PW,
                    uri: DEVICE,
                    method: "POST",
                    body: None,
                })
                .unwrap();
            let r = plain_request(&auth).send(cam.addr()).await;
            assert_eq!(r.status, 200, "{user}: {}", r.body);
        }
        assert_eq!(cam.stats().operation("GetDeviceInformation"), 3);
    }
}

// ---------------------------------------------------------------------------------------------
// Replay cache, nonce bounds, duplicate Security blocks (issue 11, defect 3)

/// Send `n` logins with fresh tokens, a few connections at a time.
async fn logins(cam: &onvif_sim::SimHandle, n: usize) {
    let addr = cam.addr();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        tasks.spawn(async move {
            for _ in (worker..n).step_by(8) {
                let h = token(USER, PW, Timestamp::now());
                let r = call(addr, DEVICE, &GetDeviceInformation, Some(&h)).await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
}

#[tokio::test]
async fn a_captured_token_is_still_refused_after_4100_other_logins() {
    let cam = cfg().start().await;
    let captured = envelope_of(
        &GetDeviceInformation,
        Some(&token(USER, PW, Timestamp::now())),
    );
    let first = Req::post(DEVICE, &captured).send(cam.addr()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    logins(&cam, 4100).await;
    // Still inside its 5-minute window: a replay must be refused.
    Req::post(DEVICE, &captured)
        .send(cam.addr())
        .await
        .assert_not_authorized();
    assert_eq!(cam.stats().auth_failures_of(AuthFailure::ReplayedNonce), 1);
}

/// A PasswordDigest token whose nonce is `nonce_b64` (not necessarily valid Base64).
fn token_with_nonce_text(nonce_b64: &str) -> String {
    let t = UsernameToken::digest_now(USER, PW, Timestamp::now());
    let real = t.nonce.clone().unwrap();
    t.to_header().replace(&real, nonce_b64)
}

#[tokio::test]
async fn nonces_longer_than_64_bytes_are_refused_with_a_fault_that_says_so() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let cam = cfg().start().await;
    // 64 bytes is the most a token may carry; the digest is computed over the real nonce.
    let nonce = [7u8; 64];
    let t = UsernameToken::digest(USER, PW, Timestamp::now(), &nonce);
    let r = call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&t.to_header()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for len in [65usize, 100_000] {
        let t = UsernameToken::digest(USER, PW, Timestamp::now(), &vec![1u8; len]);
        let r = call(
            cam.addr(),
            DEVICE,
            &GetDeviceInformation,
            Some(&t.to_header()),
        )
        .await;
        assert_eq!(r.status, 400, "{}", r.body);
        let f = r.fault();
        assert!(f.is_not_authorized(), "{f}");
        assert!(f.reason.contains("longer than 64 bytes"), "{}", f.reason);
    }
    // Not even decoded when the text alone is too long.
    let r = call(
        cam.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&token_with_nonce_text(&b64.encode([0u8; 200]))),
    )
    .await;
    assert!(
        r.fault().reason.contains("longer than 64 bytes"),
        "{}",
        r.body
    );
    assert_eq!(cam.stats().operation("GetDeviceInformation"), 1);
}

#[tokio::test]
async fn a_digest_token_without_a_nonce_is_refused() {
    for strict in [true, false] {
        let cam = cfg().strict(strict).start().await;
        let mut t = UsernameToken::digest_now(USER, PW, Timestamp::now());
        t.nonce = None;
        call(
            cam.addr(),
            DEVICE,
            &GetDeviceInformation,
            Some(&t.to_header()),
        )
        .await
        .assert_not_authorized();
        assert_eq!(
            cam.stats()
                .auth_failures_of(AuthFailure::MissingNonceOrCreated),
            1,
            "strict {strict}"
        );
    }
}

/// A Header with two Security blocks: a good token, then another (`second`).
fn two_security_blocks(second: &str) -> String {
    format!("{}{second}", token(USER, PW, Timestamp::now()))
}

#[tokio::test]
async fn two_security_blocks_are_refused_when_strict_and_the_first_read_otherwise() {
    let second = token(USER, "wrong", Timestamp::now());
    let strict = cfg().start().await;
    let r = call(
        strict.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&two_security_blocks(&second)),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert!(f.is_not_authorized(), "{f}");
    assert!(
        f.reason.contains("more than one wsse:Security"),
        "{}",
        f.reason
    );
    assert_eq!(strict.stats().operation("GetDeviceInformation"), 0);

    // A gSOAP-generated camera reads the first block and skips the rest.
    let lax = Sim::builder()
        .strict(false)
        .credentials(USER, PW)
        .start()
        .await;
    let r = call(
        lax.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&two_security_blocks(&second)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Blocks for different roles are allowed by WS-Security, strict or not.
    let other_role = token(USER, PW, Timestamp::now()).replacen(
        "<wsse:Security ",
        r#"<wsse:Security s:role="urn:example:relay" "#,
        1,
    );
    let r = call(
        strict.addr(),
        DEVICE,
        &GetDeviceInformation,
        Some(&two_security_blocks(&other_role)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_digest_nonce_forgotten_after_1100_challenges_is_answered_stale() {
    let cam = cfg().auth(AuthMode::HttpDigest).start().await;
    let c = challenge_of(&cam)
        .await
        .header("www-authenticate")
        .unwrap()
        .to_owned();
    let good = authorization(&c, "MD5", PW, DEVICE, 1);
    assert_eq!(plain_request(&good).send(cam.addr()).await.status, 200);
    // Others' challenges push it out of the camera's table.
    let addr = cam.addr();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        tasks.spawn(async move {
            for _ in 0..1100 / 8 + 1 {
                let r = call(addr, DEVICE, &GetDeviceInformation, None).await;
                assert_eq!(r.status, 401);
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let next = authorization(&c, "MD5", PW, DEVICE, 2);
    let r = plain_request(&next).send(cam.addr()).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let fresh = r.header("www-authenticate").unwrap();
    assert!(fresh.contains("stale=true"), "{fresh}");
    // The fresh nonce works at once.
    let again = authorization(fresh, "MD5", PW, DEVICE, 1);
    assert_eq!(plain_request(&again).send(cam.addr()).await.status, 200);
    // A wrong password on the forgotten nonce is still a wrong password, not stale.
    let wrong = authorization(&c, "MD5", "nope", DEVICE, 3);
    let r = plain_request(&wrong).send(cam.addr()).await;
    assert_eq!(r.status, 401);
    assert!(!r.header("www-authenticate").unwrap().contains("stale"));
}

// ---------------------------------------------------------------------------------------------
// Lockout (issue 11, defect 9)

#[tokio::test(start_paused = true)]
async fn five_wrong_passwords_lock_the_account_for_ten_minutes() {
    let ten = std::time::Duration::from_secs(600);
    let cam = cfg().lockout(5, ten).start().await;
    let good = || token(USER, PW, Timestamp::now());
    let wrong = || token(USER, "wrong", Timestamp::now());
    // Four guesses, spread over more than the window, never lock.
    for _ in 0..4 {
        call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&wrong()))
            .await
            .assert_not_authorized();
        tokio::time::sleep(ten / 3).await;
    }
    tokio::time::sleep(ten).await;
    // Requests without credentials are not guesses.
    for _ in 0..10 {
        call(cam.addr(), DEVICE, &GetDeviceInformation, None)
            .await
            .assert_not_authorized();
    }
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&good())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(cam.stats().lockouts, 0);
    for _ in 0..5 {
        call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&wrong()))
            .await
            .assert_not_authorized();
    }
    assert_eq!(cam.stats().lockouts, 1);
    // Locked: even the right password is refused, with a reason that says why.
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&good())).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().reason.contains("locked"), "{}", r.body);
    tokio::time::sleep(ten - std::time::Duration::from_secs(1)).await;
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&good())).await;
    assert_eq!(r.status, 400, "{}", r.body);
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&good())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(cam.stats().auth_failures_of(AuthFailure::LockedOut), 2);
}

#[tokio::test(start_paused = true)]
async fn a_locked_account_refuses_http_digest_too() {
    let ten = std::time::Duration::from_secs(600);
    let cam = cfg()
        .auth(AuthMode::HttpDigest)
        .lockout(2, ten)
        .start()
        .await;
    for nc in 1..=2 {
        let c = challenge_of(&cam)
            .await
            .header("www-authenticate")
            .unwrap()
            .to_owned();
        let wrong = authorization(&c, "MD5", "nope", DEVICE, nc);
        assert_eq!(plain_request(&wrong).send(cam.addr()).await.status, 401);
    }
    let c = challenge_of(&cam)
        .await
        .header("www-authenticate")
        .unwrap()
        .to_owned();
    let good = authorization(&c, "MD5", PW, DEVICE, 1);
    assert_eq!(plain_request(&good).send(cam.addr()).await.status, 401);
    tokio::time::sleep(ten).await;
    let c = challenge_of(&cam)
        .await
        .header("www-authenticate")
        .unwrap()
        .to_owned();
    let good = authorization(&c, "MD5", PW, DEVICE, 1);
    assert_eq!(plain_request(&good).send(cam.addr()).await.status, 200);
}
