//! Running commands. Each command is one function over a connected [`Camera`], so the one-shot
//! CLI and the shell share them.

use std::io::Read;
use std::sync::Arc;

use onvif::proto::{self, Service};
use onvif::{Camera, Config, Credentials};

use crate::cli::{Cli, Command, Global, RawArgs, SimArgs, SimAuth, SimQuirk};
use crate::config;
use crate::output::{self, Out};
use crate::{Failure, exit};

pub async fn run(cli: Cli) -> Result<(), Failure> {
    let out = Out {
        json: cli.global.json,
    };
    match &cli.command {
        Command::Decode { file } => return decode(file, &out),
        Command::Sim(args) => return sim(args, &cli.global).await,
        Command::Demo => return demo(&cli.global).await,
        _ => {}
    }
    let target = resolve_target(&cli.global)?;
    let cam = connect(&target, &cli.global).await?;
    execute(&cam, &cli.command, &out).await
}

/// Host, credentials and options after flags, `--camera`, and the environment.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub creds: Option<Credentials>,
    pub insecure: bool,
    pub allow_basic: bool,
    pub keep_camera_host: bool,
}

/// Flags win over a `--camera` entry, which wins over ONVIF_HOST/USER/PASSWORD; the config's
/// `default` camera is used when nothing names a host.
pub fn resolve_target(g: &Global) -> Result<Target, Failure> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let cfg = config::load(g.config.as_deref()).map_err(Failure::usage)?;
    let entry_name = g.camera.clone().or_else(|| {
        (g.host.is_none() && env("ONVIF_HOST").is_none())
            .then(|| cfg.default.clone())
            .flatten()
    });
    let entry = match &entry_name {
        Some(name) => Some(cfg.cameras.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = cfg.cameras.keys().map(String::as_str).collect();
            Failure::usage(format!(
                "no camera named {name:?} in the config{}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(" (known: {})", known.join(", "))
                }
            ))
        })?),
        None => None,
    };
    let host = g
        .host
        .clone()
        .or_else(|| entry.as_ref().map(|e| e.host.clone()))
        .or_else(|| env("ONVIF_HOST"))
        .ok_or_else(|| {
            Failure::usage(
                "no camera given: use -H HOST, --camera NAME, or set ONVIF_HOST \
                 (try `onvif demo` for a simulated camera)",
            )
        })?;
    let user = g
        .user
        .clone()
        .or_else(|| entry.as_ref().and_then(|e| e.user.clone()))
        .or_else(|| env("ONVIF_USER"));
    let password = g
        .password
        .clone()
        .or_else(|| entry.as_ref().and_then(|e| e.password.clone()))
        .or_else(|| env("ONVIF_PASSWORD"));
    let creds = match (user, password) {
        (Some(u), Some(p)) => Some(Credentials::new(u, p)),
        (Some(u), None) => Some(Credentials::new(u, "")),
        (None, Some(_)) => {
            return Err(Failure::usage(
                "a password was given without a user name (-u/--user or ONVIF_USER)",
            ));
        }
        (None, None) => None,
    };
    let e = entry.unwrap_or_default();
    Ok(Target {
        host,
        creds,
        insecure: g.insecure || e.insecure,
        allow_basic: g.allow_basic || e.allow_basic,
        keep_camera_host: g.keep_camera_host || e.keep_camera_host,
    })
}

pub fn client_config(t: &Target, g: &Global) -> Config {
    let mut c = Config {
        danger_accept_invalid_certs: t.insecure,
        allow_basic_over_http: t.allow_basic,
        keep_camera_host: t.keep_camera_host,
        ..Config::default()
    };
    if let Some(d) = g.connect_timeout {
        c.connect_timeout = d.abs;
    }
    if let Some(d) = g.timeout {
        c.request_timeout = d.abs;
    }
    if let Some(n) = g.max_response {
        c.max_response_bytes = n;
    }
    if g.trace {
        c.trace = Some(Arc::new(|t: &str| {
            eprintln!("{t}\n");
        }));
    }
    c
}

pub async fn connect(t: &Target, g: &Global) -> Result<Camera, Failure> {
    Ok(Camera::connect(&t.host, t.creds.clone(), client_config(t, g)).await?)
}

/// Run one camera command.
pub async fn execute(cam: &Camera, cmd: &Command, out: &Out) -> Result<(), Failure> {
    match cmd {
        Command::Time { sync } => {
            let reading = if *sync {
                cam.set_clock(jiff::Timestamp::now()).await?
            } else {
                cam.measure_clock().await?
            };
            // NTP settings need credentials on most cameras; show them when we can.
            let ntp = cam.ntp().await.ok();
            let report = output::TimeReport {
                reading,
                ntp,
                synced: sync.then_some(true),
            };
            out.show(&report, || output::time(&report));
        }
        Command::Info => {
            let i = cam.device_information().await?;
            out.show(&i, || output::info(&i));
        }
        Command::Capabilities => {
            let c = cam.capabilities().await?;
            out.show(&c, || output::capabilities(&c));
        }
        Command::Services { capabilities } => {
            let s = cam.services(*capabilities).await?;
            out.show(&s, || output::services(&s));
        }
        Command::Scopes => {
            let s = cam.scopes().await?;
            out.show(&s, || output::scopes(&s));
        }
        Command::Hostname => {
            let h = cam.hostname().await?;
            out.show(&h, || output::hostname(&h));
        }
        Command::Network => {
            let interfaces = cam.network_interfaces().await?;
            let ntp = cam.ntp().await.ok();
            let r = output::NetworkReport { interfaces, ntp };
            out.show(&r, || output::network(&r));
        }
        Command::Reboot => {
            let r = cam.reboot().await?;
            out.show(&r, || {
                format!(
                    "Rebooting{}",
                    if r.message.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", r.message)
                    }
                )
            });
        }
        Command::Raw(args) => raw(cam, args, out).await?,
        Command::Decode { .. } | Command::Sim(_) | Command::Demo => {
            return Err(Failure::usage("this command does not talk to a camera"));
        }
    }
    Ok(())
}

/// `raw`: a body from a file, or `<prefix:Name/>` for an operation name.
async fn raw(cam: &Camera, args: &RawArgs, out: &Out) -> Result<(), Failure> {
    let service = Service::from_name(&args.service).ok_or_else(|| {
        let names: Vec<&str> = Service::ALL.iter().map(|s| s.name()).collect();
        Failure::usage(format!(
            "unknown service {:?} (one of: {})",
            args.service,
            names.join(", ")
        ))
    })?;
    let path = std::path::Path::new(&args.body);
    let body = if path.exists() {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?
    } else if !args.body.is_empty()
        && args
            .body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && args.body.starts_with(|c: char| c.is_ascii_uppercase())
    {
        let prefix = proto::ns::ENVELOPE_DECLS
            .iter()
            .find(|(_, uri)| *uri == service.namespace())
            .map_or("tds", |(p, _)| *p);
        format!("<{prefix}:{}/>", args.body)
    } else {
        return Err(Failure::usage(format!(
            "{:?} is neither a file nor an operation name like GetHostname",
            args.body
        )));
    };
    let body = strip_xml_declaration(&body);
    // Read the body inside our envelope so its prefixes resolve as they will on the wire.
    let wrapped = proto::soap::envelope(None, body);
    let env = proto::Envelope::parse(wrapped.as_bytes()).map_err(|e| {
        Failure::usage(format!(
            "the body is not well-formed XML inside an envelope: {e}"
        ))
    })?;
    let first = env
        .body
        .first_child()
        .ok_or_else(|| Failure::usage("the body holds no element"))?;
    if first.is(proto::ns::SOAP12, "Envelope") || first.name == "Envelope" {
        return Err(Failure::usage(
            "give the Body's content only (e.g. <tds:GetHostname/>), not a whole envelope",
        ));
    }
    let action = match &args.action {
        Some(a) => a.clone(),
        None => format!(
            "{}/{}",
            first.ns.as_deref().unwrap_or(service.namespace()),
            first.name
        ),
    };
    let url = cam.endpoint(service).await?;
    let result = cam.call_raw(&url, &action, body).await;
    let bytes = cam.last_response().unwrap_or_default();
    result?;
    if out.json {
        let decoded = proto::decode::decode(&bytes).map_err(|e| Failure {
            code: exit::DEVICE,
            message: format!("the answer cannot be decoded: {e}"),
        })?;
        out.show(&decoded, String::new);
    } else {
        println!("{}", proto::xml::pretty(&bytes));
    }
    Ok(())
}

fn strip_xml_declaration(s: &str) -> &str {
    let t = s.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("<?xml")
        && let Some(end) = t.find("?>")
    {
        return t[end + 2..].trim_start();
    }
    t
}

/// `decode`: always JSON.
fn decode(file: &std::path::Path, _out: &Out) -> Result<(), Failure> {
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
        b
    } else {
        std::fs::read(file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?
    };
    let decoded = proto::decode::decode(&bytes).map_err(|e| Failure {
        code: exit::DEVICE,
        message: format!("{}: {e}", file.display()),
    })?;
    match serde_json::to_string_pretty(&decoded) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            return Err(Failure {
                code: exit::INTERNAL,
                message: format!("cannot render JSON: {e}"),
            });
        }
    }
    Ok(())
}

pub fn sim_config(args: &SimArgs, user: &str, password: &str) -> onvif_sim::SimConfig {
    use onvif_sim::{AuthMode, Quirk, SimConfig};
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
        .accept_password_text(args.accept_password_text);
    if let Some(skew) = args.clock_skew {
        c = c.clock_skew_secs(skew.as_secs_f64().round() as i64);
    }
    for q in &args.quirk {
        c = c.quirk(match q {
            SimQuirk::FaultInsteadOf401 => Quirk::FaultInsteadOf401,
            SimQuirk::OpenOperations => Quirk::OpenOperations,
            SimQuirk::AllAuth => Quirk::AllAuth,
            SimQuirk::XaddrZero => Quirk::LyingXAddrsZero,
            SimQuirk::XaddrOtherHost => Quirk::LyingXAddrsOtherHost,
            SimQuirk::DoubledPort => Quirk::DoubledPort,
            SimQuirk::Tapo => Quirk::Tapo,
        });
    }
    c
}

/// `sim`: serve until Ctrl-C. User and password come from -u/-p (default admin/admin); the
/// sim never reads ONVIF_* or the config, which describe cameras to talk to.
async fn sim(args: &SimArgs, g: &Global) -> Result<(), Failure> {
    let user = g.user.clone().unwrap_or_else(|| "admin".into());
    let password = g.password.clone().unwrap_or_else(|| "admin".into());
    let handle = sim_config(args, &user, &password)
        .start()
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!(
                "cannot start the simulated camera on {}:{}: {e}",
                args.bind, args.port
            ),
        })?;
    println!("{}", handle.url());
    eprintln!(
        "simulated camera listening; user {user:?}; try: onvif -H {} -u {user} -p ... info   (Ctrl-C stops)",
        handle.addr()
    );
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    Ok(())
}

/// `demo`: a simulated camera with a clock one hour ahead, and a tour of the commands.
async fn demo(g: &Global) -> Result<(), Failure> {
    let user = "admin";
    let password = "demo-Pa55";
    let handle = onvif_sim::SimConfig::new()
        .credentials(user, password)
        .clock_skew_secs(3600)
        .start()
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("cannot start the simulated camera: {e}"),
        })?;
    let out = Out { json: g.json };
    let host = handle.addr().to_string();
    let bold = {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
    };
    let say = |s: &str| {
        if g.json {
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
    };
    let cam = connect(&target, g).await?;
    let steps: [(&str, Command); 6] = [
        ("onvif -H {host} time", Command::Time { sync: false }),
        ("onvif -H {host} info", Command::Info),
        (
            "onvif -H {host} services",
            Command::Services {
                capabilities: false,
            },
        ),
        ("onvif -H {host} scopes", Command::Scopes),
        ("onvif -H {host} network", Command::Network),
        ("onvif -H {host} time --sync", Command::Time { sync: true }),
    ];
    for (title, cmd) in steps {
        say(&title.replace("{host}", &host));
        execute(&cam, &cmd, &out).await?;
    }
    say(&format!("onvif -H {host} -u {user} -p wrong info"));
    let bad = Camera::connect(
        &host,
        Some(Credentials::new(user, "wrong")),
        client_config(&target, g),
    )
    .await?;
    match bad.device_information().await {
        Err(e) if e.is_auth() => {
            if !g.json {
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
    if !g.json {
        println!(
            "\nDone. Start one yourself with `onvif sim --port 8000 --user admin --password secret`."
        );
    }
    handle.shutdown().await;
    Ok(())
}
