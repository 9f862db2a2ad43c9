//! The `events` group: Notify messages per second parsed and delivered by the push listener,
//! and client memory per live subscription.

use std::time::{Duration, Instant};

use onvif::events::{EventSession, PushConfig, SessionConfig, SessionItem};
use onvif::proto::Message;
use onvif::proto::ops::events::{NotificationMessage, Notify, PropertyOperation, SimpleItem};
use onvif::proto::{Envelope, soap};
use onvif::{Camera, Config, Credentials};

use onvif_testkit::{PASSWORD, USER};

/// Messages per Notify, and Notify posts.
const PER_NOTIFY: usize = 10;
const POSTS: usize = 2000;
/// Live pull-point sessions for the memory figure (the simulator allows 32).
const SESSIONS: usize = 30;

fn notify_body() -> String {
    let t = jiff::Timestamp::now();
    let messages = (0..PER_NOTIFY)
        .map(|i| {
            NotificationMessage::onvif(
                "RuleEngine/CellMotionDetector/Motion",
                t,
                PropertyOperation::Changed,
                vec![SimpleItem::new("Rule", "bench")],
                vec![SimpleItem::new(
                    "IsMotion",
                    if i % 2 == 0 { "true" } else { "false" },
                )],
            )
        })
        .collect();
    let mut w = onvif::proto::xml::Writer::new();
    Notify { messages }.write(&mut w);
    soap::envelope(None, w.as_str())
}

/// Resident memory of this process, in bytes (from /proc/self/statm).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

pub fn bench_events(host: &str) {
    println!("\n== events: Notify through the push listener; memory per live subscription");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let creds = Some(Credentials::new(USER, PASSWORD));
        let cam = Camera::connect(host, creds, Config::default())
            .await
            .unwrap();
        let body = notify_body();

        // Baseline: parsing alone.
        let started = Instant::now();
        for _ in 0..POSTS {
            let env = Envelope::parse(body.as_bytes()).unwrap();
            let n = Notify::read(env.payload().unwrap()).unwrap();
            assert_eq!(n.messages.len(), PER_NOTIFY);
        }
        let parse = started.elapsed();
        let total = (POSTS * PER_NOTIFY) as f64;
        let parse_rate = total / parse.as_secs_f64();

        let push = PushConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..PushConfig::default()
        };
        let (session, mut rx) = EventSession::push(cam.clone(), SessionConfig::default(), push)
            .await
            .unwrap();
        let (addr, path) = session.push_endpoint().unwrap();
        let url = format!("http://{addr}{path}");
        let counter = tokio::spawn(async move {
            let mut n = 0;
            while n < POSTS * PER_NOTIFY {
                match rx.recv().await {
                    Some(SessionItem::Event(e))
                        if e.source.first().is_some_and(|s| s.value == "bench") =>
                    {
                        n += 1;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            n
        });
        let http = reqwest::Client::new();
        let started = Instant::now();
        let workers: Vec<_> = (0..8)
            .map(|w| {
                let http = http.clone();
                let url = url.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    for _ in (w..POSTS).step_by(8) {
                        let s = http
                            .post(&url)
                            .header("content-type", "application/soap+xml")
                            .body(body.clone())
                            .send()
                            .await
                            .unwrap()
                            .status();
                        assert_eq!(s.as_u16(), 202);
                    }
                })
            })
            .collect();
        for w in workers {
            w.await.unwrap();
        }
        let delivered = tokio::time::timeout(Duration::from_secs(60), counter)
            .await
            .unwrap()
            .unwrap();
        let took = started.elapsed();
        session.close().await;
        let rate = delivered as f64 / took.as_secs_f64();
        println!(
            "Notify parsed and delivered: {rate:.0} messages/s ({POSTS} posts of {PER_NOTIFY}, 8 \
             concurrent)   baseline parse alone {parse_rate:.0} messages/s   ratio {:.2}x",
            parse_rate / rate
        );

        let before = rss();
        let mut live = Vec::new();
        for _ in 0..SESSIONS {
            live.push(
                EventSession::pull(cam.clone(), SessionConfig::default())
                    .await
                    .unwrap(),
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = rss();
        println!(
            "live pull-point sessions: {SESSIONS}, client memory {:.1} KiB each (RSS delta)",
            after.saturating_sub(before) as f64 / 1024.0 / SESSIONS as f64
        );
        for (h, _rx) in live {
            h.close().await;
        }
    });
}
