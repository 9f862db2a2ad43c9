//! `onvif sim` (a simulated camera until Ctrl-C) and `onvif demo` (one, and a tour of the
//! tool against it).

use onvif::{Camera, Credentials};

use crate::args::events::{EventsArgs, Mode};
use crate::args::imaging::{ImagingAction, ImagingArgs, ImagingSet};
use crate::args::media::{ProfileArg, SnapshotArgs, StreamUriArgs, Transport};
use crate::args::ptz::{MoveArgs, PtzAction, PtzArgs};
use crate::args::settings::ScopesArgs;
use crate::args::sim::{SimArgs, SimAuth, SimSnapshotAuth};
use crate::args::{Command, Global};
use crate::connection::{Target, client_config, connect};
use crate::dispatch::Dispatch;
use crate::failure::{Failure, exit};
use crate::output::Out;
use crate::words::SignedDur;

/// The simulated camera `sim` starts: its options, with this user and password.
fn sim_config(args: &SimArgs, user: &str, password: &str) -> onvif_sim::SimConfig {
    use onvif_sim::{AuthMode, SimConfig, SnapshotAuth};
    let mut c = SimConfig::new()
        .bind(std::net::SocketAddr::new(args.bind, args.port))
        .credentials(user, password)
        .auth(match args.auth {
            SimAuth::Wsse => AuthMode::WsUsernameToken,
            SimAuth::Digest => AuthMode::HttpDigest,
            SimAuth::Both => AuthMode::Both,
            SimAuth::Either => AuthMode::Either,
            SimAuth::None => AuthMode::None,
        })
        .accept_password_text(args.accept_password_text)
        .strict(args.strict)
        .snapshot_auth(match args.snapshot_auth {
            SimSnapshotAuth::Digest => SnapshotAuth::Digest,
            SimSnapshotAuth::Basic => SnapshotAuth::Basic,
            SimSnapshotAuth::None => SnapshotAuth::None,
        });
    if let Some(skew) = args.clock_skew {
        c = c.clock_skew_secs(skew.as_secs_f64().round() as i64);
    }
    for q in &args.quirk {
        c = c.quirk(*q);
    }
    if let Some((n, d)) = args.lockout {
        c = c.lockout(n, d);
    }
    c = c.reboot_downtime(args.reboot_downtime);
    if let Some(ev) = &args.events {
        if let Some(every) = ev.input_every {
            c = c.events_input_every(every);
        }
        if let Some(every) = ev.tamper_every {
            c = c.events_tamper_every(every);
        }
        if let Some(every) = ev.motion_every {
            c = c.events_motion_every(every);
        }
        for q in &ev.quirks {
            c = c.event_quirk(*q);
        }
    }
    if let Some(port) = args.discovery_port {
        let ip = args.discovery_bind.unwrap_or(args.bind);
        c = c.discovery(std::net::SocketAddr::new(ip, port));
    }
    c
}

/// `sim`: serve until Ctrl-C. User and password come from -u/-p, else ONVIF_USER and
/// ONVIF_PASSWORD (so the password need not be an argument other local users can read),
/// else admin/admin. The config file is not read: it describes cameras to talk to.
pub async fn serve(args: &SimArgs, g: &Global) -> Result<(), Failure> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    // `onvif -u x -p y sim` (before the command) still works, as it did.
    let given_password = args
        .password
        .clone()
        .or_else(|| g.password.clone())
        .or_else(|| env("ONVIF_PASSWORD"));
    let user = args
        .user
        .clone()
        .or_else(|| g.user.clone())
        .or_else(|| env("ONVIF_USER"))
        .unwrap_or_else(|| "admin".into());
    let password = given_password.clone().unwrap_or_else(|| "admin".into());
    if args.cameras > 1 && args.replay.is_some() {
        return Err(Failure::usage(
            "--replay serves one camera: leave out --cameras",
        ));
    }
    if args.cameras > 1 {
        return super::fleet::serve(
            args,
            |_| sim_config(args, &user, &password),
            &user,
            &password,
        )
        .await;
    }
    if args.fleet_config.is_some() || args.same_clock {
        return Err(Failure::usage(
            "--fleet-config and --same-clock go with --cameras N (N > 1)",
        ));
    }
    let mut config = sim_config(args, &user, &password);
    if let Some(id) = tls_identity(args)? {
        eprintln!("HTTPS certificate SHA-256: {}", id.sha256);
        config = config.tls(id);
    }
    if let Some(path) = &args.replay {
        let replay = read_replay(path)?.with_speed(args.speed.unwrap_or(1.0));
        eprintln!("replaying {}: {}", path.display(), replay.summary());
        // The recorded camera's clock, unless one is given.
        if args.clock_skew.is_none()
            && let Some(offset) = replay.clock_offset_secs()
        {
            config = config.clock_skew_secs(offset);
        }
        config = config.auth(match (replay.digest_seen, replay.wsse_seen) {
            (true, true) => onvif_sim::AuthMode::Either,
            (true, false) => onvif_sim::AuthMode::HttpDigest,
            _ => onvif_sim::AuthMode::WsUsernameToken,
        });
        config = config.replay(replay);
    }
    let handle = config.start().await.map_err(|e| Failure {
        code: exit::NETWORK,
        message: format!(
            "cannot start the simulated camera on {}:{}: {e}",
            args.bind, args.port
        ),
    })?;
    println!("{}", handle.url());
    if let Some(a) = handle.discovery_addr() {
        eprintln!("WS-Discovery responder on udp://{a}; try: onvif discover --unicast {a}");
    }
    let shown = if given_password.is_none() {
        format!("password {password:?} (the default; set one with ONVIF_PASSWORD or -p)")
    } else {
        "the password given (ONVIF_PASSWORD or -p)".to_owned()
    };
    // Over TLS, its certificate is of its own making: the client is told to accept it.
    let host = if handle.url().starts_with("https:") {
        format!("https://{} --insecure", handle.addr())
    } else {
        handle.addr().to_string()
    };
    eprintln!(
        "simulated camera listening; user {user:?}, {shown}; try: onvif -H {host} -u {user} -p ... info   (Ctrl-C stops)"
    );
    eprintln!(
        "type `help` for the console's commands (digital inputs, motion, tamper, reboot, freeze)"
    );
    tokio::select! {
        () = crate::stop::requested() => {}
        () = console(&handle) => {}
    }
    handle.shutdown().await;
    Ok(())
}

/// The simulator's console: lines read from standard input change what the camera senses
/// (`input 2 on`, `motion off`...). At the end of input it stops reading; the camera runs on
/// until Ctrl-C.
async fn console(handle: &onvif_sim::SimHandle) {
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        match console_line(handle, &line) {
            Ok(Some(said)) => eprintln!("{said}"),
            Ok(None) => {}
            Err(e) => eprintln!("error: {e}"),
        }
    }
    std::future::pending::<()>().await;
}

/// One console line: what it did, or why it was refused.
fn console_line(handle: &onvif_sim::SimHandle, line: &str) -> Result<Option<String>, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let on_off = |w: Option<&&str>| match w.map(|w| w.to_ascii_lowercase()).as_deref() {
        Some("on" | "1" | "true" | "active") => Ok(true),
        Some("off" | "0" | "false" | "inactive") => Ok(false),
        _ => Err("say on or off".to_owned()),
    };
    match words.as_slice() {
        [] => Ok(None),
        ["help"] => Ok(Some(
            "input NAME|N on|off   a digital input changes (e.g. `input 2 on`)\n\
             motion on|off         motion starts or stops\n\
             tamper on|off         tamper starts or stops\n\
             status                the inputs and relays now\n\
             reboot [DURATION]     down (connections cut, subscriptions forgotten), back \
             after DURATION [default: --reboot-downtime]\n\
             freeze DURATION       hung: requests held unanswered, then cut; back after \
             DURATION"
                .to_owned(),
        )),
        ["reboot", rest @ ..] => {
            let down = match rest {
                [] if handle.reboot_downtime().is_zero() => {
                    return Err("give how long (e.g. `reboot 20s`): --reboot-downtime is 0".into());
                }
                [] => handle.reboot_downtime(),
                [d] => console_duration(d)?,
                _ => return Err("reboot [DURATION], e.g. `reboot 20s`".into()),
            };
            handle.power_cycle(down, false);
            Ok(Some(format!(
                "rebooting: down for {} s",
                down.as_secs_f64()
            )))
        }
        ["freeze", rest @ ..] => {
            let [d] = rest else {
                return Err("freeze DURATION, e.g. `freeze 60s`".into());
            };
            let down = console_duration(d)?;
            handle.power_cycle(down, true);
            Ok(Some(format!(
                "frozen: answering nothing for {} s",
                down.as_secs_f64()
            )))
        }
        ["input", name, rest @ ..] => {
            let on = on_off(rest.first())?;
            let token = if name.bytes().all(|b| b.is_ascii_digit()) {
                format!("DigitalInput_{name}")
            } else {
                (*name).to_owned()
            };
            handle.set_input(&token, on)?;
            Ok(Some(format!(
                "{token}: {}",
                if on { "active" } else { "inactive" }
            )))
        }
        ["motion", rest @ ..] => {
            let on = on_off(rest.first())?;
            handle.emit_motion(on);
            Ok(Some(format!("motion: {on}")))
        }
        ["tamper", rest @ ..] => {
            let on = on_off(rest.first())?;
            handle.emit_tamper(on);
            Ok(Some(format!("tamper: {on}")))
        }
        ["status"] => {
            let mut s = String::new();
            for t in handle.inputs() {
                let on = handle.input_state(&t).unwrap_or(false);
                s.push_str(&format!(
                    "{t}: {}\n",
                    if on { "active" } else { "inactive" }
                ));
            }
            for t in handle.relays() {
                let on = handle.relay_state(&t).unwrap_or(false);
                s.push_str(&format!(
                    "{t}: {}\n",
                    if on { "active" } else { "inactive" }
                ));
            }
            Ok(Some(s.trim_end().to_owned()))
        }
        [other, ..] => Err(format!("unknown command {other:?}; type `help`")),
    }
}

/// A console command's duration: longer than zero.
fn console_duration(word: &str) -> Result<std::time::Duration, String> {
    crate::words::parse_timeout(word).map(|d| d.abs)
}

/// The certificate `--tls` or `--cert/--key` asks for.
fn tls_identity(args: &SimArgs) -> Result<Option<onvif_sim::TlsIdentity>, Failure> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))
    };
    match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => onvif_sim::TlsIdentity::from_pem(&read(cert)?, &read(key)?)
            .map(Some)
            .map_err(|e| Failure::usage(format!("{}: {e}", cert.display()))),
        _ if args.tls => onvif_sim::TlsIdentity::self_signed()
            .map(Some)
            .map_err(|e| Failure::usage(format!("cannot make a certificate: {e}"))),
        _ => Ok(None),
    }
}

/// A recording, ready to serve; its errors name the file and the problem.
fn read_replay(path: &std::path::Path) -> Result<onvif_sim::Replay, Failure> {
    let shown = path.display();
    // Read up to the limit only (a pipe or a device has no size to check first).
    let bytes = std::fs::File::open(path)
        .and_then(|f| onvif::proto::har::read_limited(f, onvif::proto::har::MAX_BYTES))
        .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    let har = onvif::proto::har::Har::parse(&bytes)
        .map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    onvif_sim::Replay::from_har(&har).map_err(|e| Failure::usage(format!("{shown}: {e}")))
}

/// `demo`: a simulated camera with a clock one hour ahead, and a tour of the commands, each
/// run by `dispatch` as it would be from the command line.
pub async fn demo(g: &Global, dispatch: Dispatch) -> Result<(), Failure> {
    let user = "admin";
    let password = "demo-Pa55";
    let handle = onvif_sim::SimConfig::new()
        .credentials(user, password)
        .clock_skew_secs(3600)
        .events_motion_every(std::time::Duration::from_secs(2))
        .start()
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("cannot start the simulated camera: {e}"),
        })?;
    // With --json each step prints one line of JSON (JSON Lines).
    let out = Out {
        json: g.json,
        lines: true,
    };
    let host = handle.addr().to_string();
    let bold = {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
    };
    // With --json, a line `{"step": ...}` before each step's lines says which they are.
    let say = |s: &str| {
        if g.json {
            println!("{}", serde_json::json!({ "step": s }));
        } else if bold {
            println!("\n\x1b[1m== {s}\x1b[0m");
        } else {
            println!("\n== {s}");
        }
    };
    if !g.json {
        println!(
            "A simulated camera is listening at {} (user {user:?}).\n\
             Its clock runs one hour ahead: watch the client correct for it.",
            handle.url()
        );
    }
    let target = Target {
        host: host.clone(),
        creds: Some(Credentials::new(user, password)),
        insecure: false,
        allow_basic: false,
        keep_camera_host: false,
        auth: onvif::AuthScheme::Any,
        cert_sha256: None,
        quirks: onvif::CameraQuirks::default(),
        entry: None,
    };
    let cam = connect(&target, g).await?;
    let snapshot_file = std::env::temp_dir().join(format!("onvif-demo-{}.jpg", std::process::id()));
    let steps: Vec<(String, Command)> = vec![
        ("onvif -H {host} time".into(), Command::Time { sync: false }),
        ("onvif -H {host} info".into(), Command::Info),
        (
            "onvif -H {host} services".into(),
            Command::Services {
                capabilities: false,
            },
        ),
        (
            "onvif -H {host} scopes".into(),
            Command::Scopes(ScopesArgs { action: None }),
        ),
        (
            "onvif -H {host} network".into(),
            Command::Network(crate::args::settings::NetworkArgs::default()),
        ),
        ("onvif -H {host} profiles".into(), Command::Profiles),
        (
            "onvif -H {host} stream-uri --profile Profile_3".into(),
            Command::StreamUri(StreamUriArgs {
                profile: ProfileArg {
                    profile: Some("Profile_3".into()),
                },
                transport: Transport::Rtsp,
                with_credentials: false,
            }),
        ),
        (
            format!("onvif -H {{host}} snapshot -o {}", snapshot_file.display()),
            Command::Snapshot(SnapshotArgs {
                profile: ProfileArg {
                    profile: Some("Profile_1".into()),
                },
                output: Some(snapshot_file.clone()),
            }),
        ),
        (
            "onvif -H {host} imaging set --brightness 60".into(),
            Command::Imaging(ImagingArgs {
                source: None,
                action: Some(ImagingAction::Set(ImagingSet {
                    brightness: Some(60.0),
                    ..ImagingSet::default()
                })),
            }),
        ),
        (
            "onvif -H {host} ptz move --pan 0.5 --tilt 0.2 --speed 1".into(),
            Command::Ptz(PtzArgs {
                profile: None,
                action: PtzAction::Move(MoveArgs {
                    pan: Some(0.5),
                    tilt: Some(0.2),
                    zoom: None,
                    speed: Some(1.0),
                }),
            }),
        ),
        (
            "onvif -H {host} ptz status".into(),
            Command::Ptz(PtzArgs {
                profile: None,
                action: PtzAction::Status,
            }),
        ),
        (
            "onvif -H {host} events --for 3s   (the simulated camera sees motion every 2 s)".into(),
            Command::Events(EventsArgs {
                topic: None,
                for_: Some(SignedDur {
                    negative: false,
                    abs: std::time::Duration::from_secs(3),
                }),
                kinds: None,
                mode: Mode::Pull,
                listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                advertise: None,
                no_unsubscribe: false,
                lifecycle: false,
                repeat_states: false,
                liveness: SignedDur {
                    negative: false,
                    abs: std::time::Duration::from_secs(5),
                },
                silence: std::time::Duration::from_secs(600),
                action: None,
            }),
        ),
        (
            "onvif -H {host} time --sync".into(),
            Command::Time { sync: true },
        ),
    ];
    for (title, cmd) in steps {
        say(&title.replace("{host}", &host));
        (dispatch.execute)(&cam, &cmd, &out).await?;
    }
    say(
        "onvif bridge --mqtt mqtt://...   (events, states and controls on MQTT, for Home Assistant)",
    );
    super::demo_bridge::step(
        &host,
        Credentials::new(user, password),
        client_config(&target, g),
        g.json,
    )
    .await?;
    say(&format!("onvif -H {host} -u {user} -p wrong info"));
    let bad = Camera::connect(
        &host,
        Some(Credentials::new(user, "wrong")),
        client_config(&target, g),
    )
    .await?;
    match bad.device_information().await {
        Err(e) if e.is_auth() => {
            if g.json {
                let refused = serde_json::json!({
                    "refused": true,
                    "exit_code": exit::AUTH,
                    "error": e.to_string(),
                });
                println!("{refused}");
            } else {
                println!("refused, as it should be (exit code {}): {e}", exit::AUTH);
            }
        }
        Err(e) => return Err(e.into()),
        Ok(_) => {
            return Err(Failure {
                code: exit::INTERNAL,
                message: "the simulated camera accepted a wrong password".into(),
            });
        }
    }
    let _ = std::fs::remove_file(&snapshot_file);
    if !g.json {
        println!(
            "\n(The stream URIs point at an RTSP port nobody listens on: the simulator serves ONVIF,\n\
             not video.)\n\nDone. Start one yourself with `onvif sim --port 8000 --user admin --password secret`."
        );
    }
    handle.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use clap::Parser;

    #[test]
    fn sim_postures_and_refparams_quirk() {
        let sim = |args: &[&str]| match Cli::try_parse_from(args) {
            Ok(Cli {
                command: Command::Sim(a),
                ..
            }) => sim_config(&a, "admin", "pw"),
            other => panic!("{args:?}: {other:?}"),
        };
        let default = sim(&["onvif", "sim"]);
        assert!(!default.is_strict());
        assert!(!default.has(onvif_sim::Quirk::RefParamsRequired));
        let strict = sim(&["onvif", "sim", "--strict"]);
        assert!(strict.is_strict());
        let axis = sim(&["onvif", "sim", "--quirk", "refparams-required"]);
        assert!(!axis.is_strict());
        assert!(axis.has(onvif_sim::Quirk::RefParamsRequired));
    }
}
