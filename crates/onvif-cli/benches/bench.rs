//! `cargo bench`: the figures in BENCHMARKS.md. A plain harness (no criterion: it would add
//! its build cost to every `cargo clippy --all-targets`). Every figure is printed with a
//! baseline measured in the same run, and the ratio between them.
//!
//! Only 127.0.0.1 is contacted: the simulator runs as a child process bound to loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use onvif::proto::ops::{Operation, device};
use onvif::proto::{Envelope, soap, wsse};
use onvif::{Camera, Config, Credentials};
use onvif_testkit::captures::{captures_dir, index};
use onvif_testkit::cli::SimProcess;
use onvif_testkit::{PASSWORD, USER, cli, scratch_dir};

mod events_bench;

fn main() {
    // `cargo bench -- <filter>` passes the filter; `--bench` is passed by cargo.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    println!("onvif benchmarks (release build, {} cores)", cores());
    if want("build") {
        bench_build();
    }
    if want("parse") {
        bench_parse();
    }
    if want("roundtrip") || want("cli") || want("events") {
        let sim = start_sim();
        let host = sim.host();
        if want("events") {
            events_bench::bench_events(&host);
        }
        if want("roundtrip") {
            bench_roundtrip(&host);
        }
        if want("cli") {
            bench_cli(&host);
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Our own CPU time (user + system) from /proc/self/stat, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of the file (utime, stime), counted after the ')' from field 3.
    (ticks(11) + ticks(12)) / 100.0
}

fn per_iter(total: Duration, n: u64) -> f64 {
    total.as_secs_f64() * 1e9 / n as f64
}

fn bench_build() {
    println!("\n== building requests");
    let n = 200_000u64;
    // Baseline: the envelope of an empty-bodied request without a security header.
    let t = Instant::now();
    let mut sink = 0usize;
    for _ in 0..n {
        let body = device::GetDeviceInformation.body();
        sink += soap::envelope(None, &body).len();
    }
    let base = per_iter(t.elapsed(), n);
    let t = Instant::now();
    for _ in 0..n {
        let tok = wsse::UsernameToken::digest_now(USER, PASSWORD, jiff::Timestamp::now());
        let body = device::GetDeviceInformation.body();
        sink += soap::envelope(Some(&tok.to_header()), &body).len();
    }
    let full = per_iter(t.elapsed(), n);
    std::hint::black_box(sink);
    println!("envelope alone                 {base:>9.0} ns/request");
    println!(
        "envelope + UsernameToken       {full:>9.0} ns/request   ({:.1}x the envelope alone)",
        full / base
    );
}

fn bench_parse() {
    println!("\n== parsing the captures");
    let Some(dir) = captures_dir() else {
        println!("skipped: ../shared/captures not found (set ONVIF_CAPTURES)");
        return;
    };
    let files: Vec<Vec<u8>> = index(&dir)
        .iter()
        .filter_map(|r| std::fs::read(dir.join(&r.file)).ok())
        .collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let rounds = 50u32;
    // Baseline: a pass over the bytes that only finds '<' (the least any parser must do).
    let t = Instant::now();
    let mut lt = 0usize;
    for _ in 0..rounds {
        for f in &files {
            lt += f.iter().filter(|b| **b == b'<').count();
        }
    }
    let scan = t.elapsed() / rounds;
    std::hint::black_box(lt);
    let t = Instant::now();
    let mut ok = 0usize;
    for _ in 0..rounds {
        for f in &files {
            if let Ok(env) = Envelope::parse(f) {
                ok += 1;
                if let Some(first) = env.body.first_child()
                    && let Some(d) = onvif::proto::decode::decoder_for(first)
                {
                    let _ = std::hint::black_box((d.decode)(first));
                }
            }
        }
    }
    let parse = t.elapsed() / rounds;
    println!(
        "{} files, {} KiB; {} parse as envelopes",
        files.len(),
        bytes / 1024,
        ok / rounds as usize
    );
    println!(
        "byte scan for '<' (baseline)   {:>9.2} ms for all",
        scan.as_secs_f64() * 1e3
    );
    println!(
        "parse + typed decode           {:>9.2} ms for all   ({:.0}x the byte scan; aim < 20 ms)",
        parse.as_secs_f64() * 1e3,
        parse.as_secs_f64() / scan.as_secs_f64()
    );
}

/// The simulator as a child process on 127.0.0.1, so its CPU is not counted as ours.
fn start_sim() -> SimProcess {
    cli!().start_sim(&["sim", "--port", "0", "--user", USER, "--password", PASSWORD])
}

fn bench_roundtrip(host: &str) {
    println!("\n== authenticated GetDeviceInformation round trips against the simulator");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let cam = Camera::connect(host, Some(Credentials::new(USER, PASSWORD)), Config::default())
            .await
            .unwrap();
        let url = cam.device_url().clone();
        // Baseline: the same HTTP exchange with a prebuilt request and no parsing (a plain
        // POST of the bytes on the HTTP client `Camera` uses, hyper-util's; the simulator
        // still checks auth and answers in full).
        let raw: hyper_util::client::legacy::Client<_, http_body_util::Full<bytes::Bytes>> =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http();
        for conc in [1usize, 64] {
            let n_per = if conc == 1 { 3000 } else { 150 };
            let total = (n_per * conc) as u64;
            let (base_wall, base_cpu) = measure(conc, n_per, |_| {
                let raw = raw.clone();
                let url = url.clone();
                async move {
                    let tok = wsse::UsernameToken::digest(
                        USER,
                        PASSWORD,
                        jiff::Timestamp::now(),
                        &fresh_nonce(),
                    );
                    let body = soap::envelope(Some(&tok.to_header()), "<tds:GetDeviceInformation/>");
                    let req = http::Request::post(url.as_str())
                        .header("content-type", "application/soap+xml")
                        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                        .unwrap();
                    let r = raw.request(req).await.unwrap();
                    let _ = http_body_util::BodyExt::collect(r.into_body())
                        .await
                        .unwrap()
                        .to_bytes();
                }
            })
            .await;
            let (wall, cpu) = measure(conc, n_per, |_| {
                let cam = cam.clone();
                async move {
                    let i = cam.device_information().await.unwrap();
                    std::hint::black_box(i);
                }
            })
            .await;
            println!(
                "concurrency {conc:>2}: {:>7.0} req/s, client CPU {:>5.1} us/req | raw POST baseline {:>7.0} req/s, {:>5.1} us/req | ratio {:.2}x CPU, {:.2}x throughput",
                total as f64 / wall,
                cpu * 1e6 / total as f64,
                total as f64 / base_wall,
                base_cpu * 1e6 / total as f64,
                cpu / base_cpu,
                (total as f64 / wall) / (total as f64 / base_wall)
            );
        }
    });
}

fn fresh_nonce() -> [u8; 16] {
    let mut n = [0u8; 16];
    wsse::fill_random(&mut n);
    n
}

async fn measure<F, Fut>(conc: usize, n_per: usize, make: F) -> (f64, f64)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let futs: Vec<Fut> = (0..n_per).map(&make).collect();
        tasks.push(tokio::spawn(async move {
            for f in futs {
                f.await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (t.elapsed().as_secs_f64(), cpu_seconds() - cpu0)
}

fn bench_cli(host: &str) {
    println!("\n== the cold CLI: `onvif info` against a running simulator");
    // One home for every run, made before any is timed.
    let home = scratch_dir("bench");
    let onvif = cli!().home(&home).var("ONVIF_REPORT_PEAK_RSS", "1");
    let run = |args: &[&str]| -> (Duration, Option<u64>) {
        let mut c = onvif.command(args);
        let t = Instant::now();
        let out = c.output().unwrap();
        let el = t.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rss = String::from_utf8_lossy(&out.stderr).lines().find_map(|l| {
            l.strip_prefix("peak-rss-kib: ")
                .and_then(|v| v.trim().parse().ok())
        });
        (el, rss)
    };
    let n = 30;
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut base = Vec::new();
    let mut info = Vec::new();
    let mut base_rss = 0;
    let mut info_rss = 0;
    for _ in 0..n {
        let (d, r) = run(&["--version"]);
        base.push(d);
        base_rss = base_rss.max(r.unwrap_or(0));
        let (d, r) = run(&["-H", host, "-u", USER, "-p", PASSWORD, "info"]);
        info.push(d);
        info_rss = info_rss.max(r.unwrap_or(0));
    }
    let (b, i) = (median(base), median(info));
    // clap exits the process itself on --version, before the peak is reported.
    let base_rss = if base_rss == 0 {
        "n/a".to_string()
    } else {
        format!("{base_rss} KiB")
    };
    println!(
        "onvif --version (baseline)     {:>7.2} ms, peak RSS {base_rss}",
        b.as_secs_f64() * 1e3,
    );
    println!(
        "onvif info                     {:>7.2} ms, peak RSS {} KiB   ({:.1}x the baseline time; aims: < 10 ms, < 8 MiB)",
        i.as_secs_f64() * 1e3,
        info_rss,
        i.as_secs_f64() / b.as_secs_f64()
    );
}
