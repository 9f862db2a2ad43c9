//! The bridge's fleet benchmark (BENCHMARKS.md): a simulated fleet (`onvif sim --cameras N`),
//! mosquitto, and `onvif bridge` as three processes on 127.0.0.1; a subscriber here measures
//! what arrives. Reported as one JSON line: events emitted and delivered in the window, the
//! latency from each event's camera time to its arrival at the subscriber (p50, p99, max),
//! the bridge's RSS (now and peak, bytes) and CPU (share of one core).
//!
//! ```text
//! cargo build --release -p onvif-cli
//! cargo run --release -p onvif-bridge --example fleet_bench -- --cameras 1000 --seconds 120
//!     [--mode pull|auto] [--reboot 10] [--broker-restart] [--onvif target/release/onvif]
//! ```
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use onvif_testkit::mqtt::{Mosquitto, Subscriber};

struct Args {
    onvif: String,
    cameras: u32,
    seconds: u64,
    mode: String,
    reboot: u32,
    broker_restart: bool,
}

fn args() -> Args {
    let mut a = Args {
        onvif: "target/release/onvif".into(),
        cameras: 100,
        seconds: 60,
        mode: "pull".into(),
        reboot: 0,
        broker_restart: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--onvif" => a.onvif = it.next().unwrap(),
            "--cameras" => a.cameras = it.next().unwrap().parse().unwrap(),
            "--seconds" => a.seconds = it.next().unwrap().parse().unwrap(),
            "--mode" => a.mode = it.next().unwrap(),
            "--reboot" => a.reboot = it.next().unwrap().parse().unwrap(),
            "--broker-restart" => a.broker_restart = true,
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// utime + stime of a process, in seconds.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// VmRSS and VmHWM, in bytes.
fn rss(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let get = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (get("VmRSS:"), get("VmHWM:"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Fleet {
    child: Child,
    stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Fleet {
    fn emitted(&mut self) -> u64 {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "stats").unwrap();
        loop {
            let l = self.stdout.next().unwrap().unwrap();
            if let Some(n) = l.strip_prefix("emitted ") {
                return n.parse().unwrap();
            }
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.child.stdin.as_mut().unwrap(), "{line}").unwrap();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("onvif-fleet-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("fleet.toml");
    let bin = Mosquitto::binary().expect("mosquitto (apt-get install mosquitto)");
    let mut broker = Mosquitto::start(&bin).await;

    // The fleet: motion every 20 s (on, then off 10 s later: one change per camera per 10 s).
    let mut child = Command::new(&a.onvif)
        .args([
            "sim",
            "--cameras",
            &a.cameras.to_string(),
            "--port",
            "0",
            "--same-clock",
            "--events",
            "motion-every=20s",
            "--fleet-config",
            config.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..a.cameras {
        stdout.next().unwrap().unwrap();
    }
    let mut fleet = Fleet { child, stdout };
    // The config file is written right after the last line.
    while !config.exists() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("\n[mqtt]\nurl = \"{}\"\n", broker.url()));
    let names: Vec<String> = (1..=a.cameras).map(|i| format!("cam-{i:04}")).collect();
    for n in &names {
        text.push_str(&format!(
            "\n[cameras.{n}.bridge]\nevents = \"{}\"\n",
            a.mode
        ));
    }
    // Tables of a camera may come in any order in TOML, but `[mqtt]` after the cameras'
    // sub-tables is fine too.
    std::fs::write(&config, text).unwrap();

    let mut sub =
        Subscriber::connect(broker.addr, &["onvif/+/event", "onvif/+/availability"]).await;
    let started = Instant::now();
    let mut bridge = Command::new(&a.onvif)
        .args(["bridge", "--config", config.to_str().unwrap()])
        .env("ONVIF_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = bridge.id();
    let mut online: HashSet<String> = HashSet::new();
    while online.len() < names.len() {
        let m = sub
            .wait_for("availability", |m| {
                m.topic.ends_with("/availability") && m.payload == b"online"
            })
            .await;
        online.insert(m.topic.clone());
        sub.seen.clear();
    }
    let ready = started.elapsed();
    sub.forget();

    let t0 = jiff::Timestamp::now();
    let emitted0 = fleet.emitted();
    let cpu0 = cpu_secs(pid);
    let w0 = Instant::now();
    let window = Duration::from_secs(a.seconds);
    let mut latencies: Vec<f64> = Vec::new();
    let mut delivered = 0u64;
    let mut rebooted = false;
    let mut restarted = false;
    let deadline = w0 + window;
    let mut restart_back: Option<Instant> = None;
    let count = |m: &onvif_testkit::mqtt::Received,
                 lat: &mut Vec<f64>,
                 n: &mut u64,
                 t0: jiff::Timestamp| {
        let v = m.json();
        if v["property_operation"] != "Changed" {
            return;
        }
        let Some(t) = v["time"]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        else {
            return;
        };
        if t < t0 {
            return;
        }
        *n += 1;
        let now = jiff::Timestamp::now();
        lat.push(now.duration_since(t).as_secs_f64() * 1000.0);
    };
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        if a.reboot > 0 && !rebooted && now >= w0 + window / 3 {
            fleet.send(&format!("reboot {}% 10s", a.reboot));
            rebooted = true;
        }
        if a.broker_restart && !restarted && now >= w0 + window / 2 {
            broker.stop();
            restart_back = Some(now + Duration::from_secs(5));
            restarted = true;
        }
        if restart_back.is_some_and(|back| now >= back) {
            broker.start_again().await;
            restart_back = None;
        }
        let wait = deadline.min(now + Duration::from_millis(200));
        if let Ok(Some(m)) = tokio::time::timeout_at(wait.into(), sub.next()).await
            && m.topic.ends_with("/event")
        {
            count(&m, &mut latencies, &mut delivered, t0);
        }
    }
    let cpu = cpu_secs(pid) - cpu0;
    let (rss_now, rss_peak) = rss(pid);
    let emitted = fleet.emitted() - emitted0;
    let t1 = jiff::Timestamp::now();
    // What was emitted in the window and is still on its way.
    let grace = Instant::now() + Duration::from_secs(5);
    while let Ok(Some(m)) = tokio::time::timeout_at(grace.into(), sub.next()).await {
        if m.topic.ends_with("/event") {
            let v = m.json();
            let in_window = v["time"]
                .as_str()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .is_some_and(|t| t <= t1);
            if in_window {
                count(&m, &mut latencies, &mut delivered, t0);
            }
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{}",
        serde_json::json!({
            "cameras": a.cameras,
            "mode": a.mode,
            "window_s": a.seconds,
            "reboot_percent": a.reboot,
            "broker_restart": a.broker_restart,
            "all_online_after_s": (ready.as_secs_f64() * 10.0).round() / 10.0,
            "emitted": emitted,
            "delivered": delivered,
            "latency_ms": {
                "p50": (percentile(&latencies, 0.5) * 10.0).round() / 10.0,
                "p99": (percentile(&latencies, 0.99) * 10.0).round() / 10.0,
                "max": (latencies.last().copied().unwrap_or(f64::NAN) * 10.0).round() / 10.0,
            },
            "bridge_rss_bytes": rss_now,
            "bridge_rss_peak_bytes": rss_peak,
            "bridge_cpu_share_of_one_core": (cpu / window.as_secs_f64() * 1000.0).round() / 1000.0,
        })
    );
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = bridge.wait();
    let _ = fleet.child.kill();
    let _ = fleet.child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
