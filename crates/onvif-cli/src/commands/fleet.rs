//! `onvif sim --cameras N`: many simulated cameras in one process, for fleet tests and
//! benchmarks of the bridge.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use onvif_sim::SimHandle;

use crate::args::sim::SimArgs;
use crate::failure::{Failure, exit};

/// One camera of the fleet: its name and handle.
struct Member {
    name: String,
    handle: SimHandle,
}

/// Start the fleet, print it, obey `reboot` lines on stdin until Ctrl-C (or stdin closes and
/// Ctrl-C comes).
pub async fn serve(
    args: &SimArgs,
    config: impl Fn(u32) -> onvif_sim::SimConfig,
    user: &str,
    password: &str,
) -> Result<(), Failure> {
    let n = args.cameras;
    let period = args.events.as_ref().and_then(|e| e.motion_every);
    let mut fleet = Vec::with_capacity(n as usize);
    for i in 1..=n {
        let name = format!("cam-{i:04}");
        let port = if args.port == 0 {
            0
        } else {
            args.port
                .checked_add(u16::try_from(i - 1).unwrap_or(u16::MAX))
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--port {} + {n} cameras goes past 65535",
                        args.port
                    ))
                })?
        };
        let mut info = onvif_sim::default_device_info();
        info.serial_number = format!("SIM-{i:06}");
        info.hardware_id = format!("sim-{i}");
        let mut c = config(i)
            .bind(std::net::SocketAddr::new(args.bind, port))
            .name(&name)
            .device_info(info);
        if !args.same_clock && args.clock_skew.is_none() {
            // Each its own clock: up to a minute either way.
            c = c.clock_skew_secs(i64::from(i * 7919 % 121) - 60);
        }
        if let Some(p) = period {
            // Spread over the period, so the fleet's events do not all come at once.
            c = c.events_offset(p.mul_f64(f64::from(i % 97) / 97.0));
        }
        let handle = c.start().await.map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("cannot start camera {name} on {}:{port}: {e}", args.bind),
        })?;
        println!("{name} {}", handle.url());
        fleet.push(Member { name, handle });
    }
    if let Some(path) = &args.fleet_config {
        write_config(path, &fleet, user, password)?;
        eprintln!("fleet config written to {}", path.display());
    }
    eprintln!(
        "{n} simulated cameras listening; user {user:?}; stdin: `reboot 10%` or `reboot NAME [30s]` \
         (Ctrl-C stops)"
    );
    let fleet = Arc::new(fleet);
    // Standard input is read by a thread of its own (a blocking read), line by line.
    let (tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut stdin_open = true;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            line = lines.recv(), if stdin_open => match line {
                Some(l) => command(&fleet, &l),
                None => stdin_open = false,
            },
        }
    }
    // Reboots still pending hold the fleet: then dropping it stops the cameras at once.
    if let Some(fleet) = Arc::into_inner(fleet) {
        for m in fleet {
            m.handle.shutdown().await;
        }
    }
    Ok(())
}

fn write_config(
    path: &std::path::Path,
    fleet: &[Member],
    user: &str,
    password: &str,
) -> Result<(), Failure> {
    let mut text = String::from("# Written by `onvif sim --cameras`.\n");
    for m in fleet {
        let _ = write!(
            text,
            "\n[cameras.{}]\nhost = \"{}\"\nuser = {:?}\npassword = {:?}\n",
            m.name,
            m.handle.addr(),
            user,
            password
        );
    }
    let fail = |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    let mut opts = std::fs::OpenOptions::new();
    // A new file, never one found there (a leftover, or a link planted in a shared folder,
    // would keep its own mode or lead elsewhere: this file holds the password).
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write as _;
    // Written beside it and renamed into place: whoever waits for the file (a script, the
    // fleet benchmark) never reads half of it.
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}.partial", std::process::id()));
    let partial = std::path::PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    opts.open(&partial)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            fail(e)
        })
}

/// `reboot 10% [5s]` or `reboot NAME [5s]`: power the cameras off, and on again after the
/// duration; `stats`: print `emitted N`, the event changes the fleet emitted so far.
fn command(fleet: &Arc<Vec<Member>>, line: &str) {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words == ["stats"] {
        let emitted: u64 = fleet.iter().map(|m| m.handle.events_emitted()).sum();
        println!("emitted {emitted}");
        return;
    }
    let (which, down) = match words.as_slice() {
        ["reboot", which] => (*which, Duration::from_secs(5)),
        ["reboot", which, d] => match crate::words::parse_duration(d) {
            Ok(d) => (*which, d.abs),
            Err(e) => return eprintln!("fleet: {e}"),
        },
        [] => return,
        _ => return eprintln!("fleet: expected `reboot 10%` or `reboot NAME [DURATION]`"),
    };
    let chosen: Vec<usize> = match which.strip_suffix('%').map(str::parse::<f64>) {
        Some(Ok(p)) if (0.0..=100.0).contains(&p) => {
            let k = ((fleet.len() as f64) * p / 100.0).round() as usize;
            // Spread over the fleet: every (len / k)-th camera.
            let step = fleet.len().checked_div(k).unwrap_or(1).max(1);
            (0..fleet.len()).step_by(step).take(k).collect()
        }
        Some(_) => return eprintln!("fleet: {which:?}: a percentage from 0 to 100"),
        None => match fleet.iter().position(|m| m.name == which) {
            Some(i) => vec![i],
            None => return eprintln!("fleet: no camera named {which:?}"),
        },
    };
    eprintln!(
        "fleet: rebooting {} camera(s) for {:.0} s",
        chosen.len(),
        down.as_secs_f64()
    );
    for i in chosen {
        fleet[i].handle.power_cycle(down, false);
    }
}
