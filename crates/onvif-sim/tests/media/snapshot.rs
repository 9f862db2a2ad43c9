//! The snapshot URL

use super::*;

#[tokio::test]
async fn snapshot_needs_digest_and_serves_a_jpeg() {
    // The SOAP side is open; the snapshot URL still asks for Digest.
    let cam = Sim::builder()
        .credentials(USER, PASSWORD)
        .auth(AuthMode::None)
        .start()
        .await;
    let j: media::SnapshotUri = call(
        cam.addr(),
        MEDIA,
        &media::GetSnapshotUri {
            profile_token: "Profile_1".into(),
        },
        None,
    )
    .await
    .read();
    let path = path_of(&j.media_uri.uri);
    assert_eq!(path, "/onvif/snapshot?profile=Profile_1");

    let r = get(&cam, &path, None).await;
    assert_eq!(r.status, 401);
    let challenges = r.headers_all("www-authenticate");
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(challenges.iter().all(|c| c.starts_with("Digest ")));
    assert!(challenges[1].contains("algorithm=SHA-256"));

    let md5 = get_with_digest(&cam, &path, "MD5", PASSWORD).await;
    assert_jpeg(&md5);
    let sha = get_with_digest(&cam, &path, "SHA-256", PASSWORD).await;
    assert_jpeg(&sha);
    assert_eq!(md5.body, sha.body, "encoded once, served the same");

    let wrong = get_with_digest(&cam, &path, "MD5", "wrong").await;
    assert_eq!(wrong.status, 401);
    assert!(!wrong.headers_all("www-authenticate").is_empty());
    // Basic is not taken in Digest mode.
    let basic = format!("Basic {}", B64.encode(format!("{USER}:{PASSWORD}")));
    assert_eq!(get(&cam, &path, Some(&basic)).await.status, 401);

    let s = cam.stats();
    assert_eq!(s.snapshot_requests, 8);
    assert_eq!(s.snapshots_served, 2);
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::BasicRefused), 1);
    assert_eq!(s.requests, 1, "snapshots are not SOAP requests");
}

#[tokio::test]
async fn each_profile_has_its_own_picture() {
    let cam = Sim::builder()
        .snapshot_auth(SnapshotAuth::None)
        .start()
        .await;
    let mut bodies = Vec::new();
    for p in ["Profile_1", "Profile_2", "Profile_3"] {
        let r = get(&cam, &path_of(&cam.snapshot_url(p)), None).await;
        assert_jpeg(&r);
        bodies.push(r.body);
    }
    assert_ne!(bodies[0], bodies[1]);
    assert_ne!(bodies[1], bodies[2]);
    // No profile named: the first.
    let r = get(&cam, "/onvif/snapshot", None).await;
    assert_jpeg(&r);
    assert_eq!(r.body, bodies[0]);
    let r = get(&cam, "/onvif/snapshot?profile=Profile_9", None).await;
    assert_eq!(r.status, 404);
    // Only GET (and HEAD).
    let r = Req::new("POST", "/onvif/snapshot", "")
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(cam.stats().snapshots_served, 4);
}

#[tokio::test]
async fn snapshot_with_basic() {
    let cam = Sim::builder()
        .snapshot_auth(SnapshotAuth::Basic)
        .start()
        .await;
    let path = path_of(&cam.snapshot_url("Profile_2"));
    let r = get(&cam, &path, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.headers_all("www-authenticate"),
        [r#"Basic realm="onvif-sim""#]
    );
    let good = format!("Basic {}", B64.encode(format!("{USER}:{PASSWORD}")));
    assert_jpeg(&get(&cam, &path, Some(&good)).await);
    let bad = format!("Basic {}", B64.encode(format!("{USER}:nope")));
    let r = get(&cam, &path, Some(&bad)).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic "));
    // Digest is not taken where Basic is asked for.
    let fake = digest(
        r#"Digest realm="onvif-sim", nonce="abc", opaque="def""#,
        "MD5",
        PASSWORD,
        &path,
    );
    assert_eq!(get(&cam, &path, Some(&fake)).await.status, 401);
    let s = cam.stats();
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::SchemeRefused), 1);
    assert_eq!(s.digest_challenges, 0);
    assert_eq!(s.snapshots_served, 1);
}

#[tokio::test]
async fn snapshot_html_error_quirk() {
    let cam = Sim::builder().quirk(Quirk::SnapshotHtmlError).start().await;
    let path = path_of(&cam.snapshot_url("Profile_1"));
    // Authentication still comes first.
    assert_eq!(get(&cam, &path, None).await.status, 401);
    let r = get_with_digest(&cam, &path, "SHA-256", PASSWORD).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html"));
    let body = String::from_utf8(r.body).unwrap();
    assert!(body.contains("<html>"), "{body}");
    assert_eq!(cam.stats().snapshots_served, 0);
}

#[tokio::test]
async fn the_snapshot_url_takes_the_password_as_it_is_now() {
    // The password changed (SetUser, the camera's web page): the snapshot URL takes the new
    // one and refuses the old one, as the SOAP side does.
    let cam = Sim::builder()
        .credentials(USER, PASSWORD)
        .auth(AuthMode::None)
        .start()
        .await;
    let path = "/onvif/snapshot?profile=Profile_1";
    assert_jpeg(&get_with_digest(&cam, path, "MD5", PASSWORD).await);
    cam.set_password("n3w-Snap-Pass");
    assert_eq!(
        get_with_digest(&cam, path, "MD5", PASSWORD).await.status,
        401
    );
    assert_jpeg(&get_with_digest(&cam, path, "MD5", "n3w-Snap-Pass").await);
}
