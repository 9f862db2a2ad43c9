//! Running commands. Each command is one function over a connected [`Camera`], so the one-shot
//! CLI and the shell share them.

use std::io::Read;
use std::sync::Arc;

use onvif::proto::{self, Service};
use onvif::{Camera, Config, Credentials};

use crate::cli::{
    Cli, Command, Global, ImagingAction, ImagingArgs, ImagingSet, IrCut, OnOff, ProfileArg,
    RawArgs, Transport,
};
use crate::config;
use crate::output::{self, Out};
use crate::{Failure, exit};

pub async fn run(cli: Cli) -> Result<(), Failure> {
    let out = Out {
        json: cli.global.json,
        lines: false,
    };
    match &cli.command {
        Command::Decode { file, kinds } => return decode(file, kinds.as_deref(), &out),
        Command::Sim(args) => return crate::sim_cmd::sim(args, &cli.global).await,
        Command::Discover(args) => return crate::discover::run(args, &cli.global).await,
        Command::Demo => return crate::sim_cmd::demo(&cli.global).await,
        Command::Shell => return crate::shell::run(&cli.global).await,
        Command::Completions { shell } => return completions(*shell),
        Command::Manpage { dir } => return manpage(dir.as_deref()),
        _ => {}
    }
    let target = resolve_target(&cli.global)?;
    let cam = connect(&target, &cli.global).await?;
    execute(&cam, &cli.command, &out).await
}

/// `completions SHELL`: the completion script on stdout.
fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "onvif", &mut script);
    write_stdout(&script)
}

/// `manpage`: the page on stdout, or with `--dir` one page per command in that directory.
fn manpage(dir: Option<&std::path::Path>) -> Result<(), Failure> {
    let cmd = crate::cli::command();
    if let Some(dir) = dir {
        clap_mangen::generate_to(cmd, dir)
            .map_err(|e| Failure::usage(format!("cannot write to {}: {e}", dir.display())))?;
        eprintln!("manual pages written to {}", dir.display());
        return Ok(());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| Failure::usage(format!("cannot render the manual page: {e}")))?;
    write_stdout(&page)
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure {
            code: exit::INTERNAL,
            message: format!("cannot write to stdout: {e}"),
        }),
        _ => Ok(()),
    }
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
        (Some(_), None) => {
            return Err(Failure::usage(
                "a user name was given without a password (-p/--password, ONVIF_PASSWORD, or \
                 the config; -p '' for an empty one)",
            ));
        }
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
            eprintln!("{}\n", output::safe_block(t));
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
                let (reading, was_ntp) = cam.sync_clock().await?;
                if was_ntp {
                    eprintln!(
                        "note: the camera was set by NTP; it is now set manually (from this computer's clock)"
                    );
                }
                reading
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
                        format!(": {}", output::clean(&r.message))
                    }
                )
            });
        }
        Command::Profiles => {
            let p = cam.profiles().await?;
            out.show(&p, || output::profiles(&p));
        }
        Command::StreamUri(args) => {
            let profile = chosen_profile(cam, &args.profile, out).await?;
            let transport = match args.transport {
                Transport::Rtsp => onvif::StreamTransport::Rtsp,
                Transport::RtspTcp => onvif::StreamTransport::RtspTcp,
                Transport::Http => onvif::StreamTransport::Http,
                Transport::UdpMulticast => onvif::StreamTransport::UdpMulticast,
            };
            let mut uri = cam.stream_uri(&profile, transport).await?;
            // A camera's own embedded credentials are not printed unless asked for.
            uri.uri = onvif::media::without_userinfo(&uri.uri);
            if args.with_credentials {
                let creds = cam.credentials().ok_or_else(|| {
                    Failure::usage("--with-credentials needs a user and password")
                })?;
                uri.uri = onvif::media::with_credentials(&uri.uri, creds);
            }
            out.show(&uri, || output::clean(&uri.uri));
        }
        Command::SnapshotUri(args) => {
            let profile = chosen_profile(cam, args, out).await?;
            let mut uri = cam.snapshot_uri(&profile).await?;
            uri.uri = onvif::media::without_userinfo(&uri.uri);
            out.show(&uri, || output::clean(&uri.uri));
        }
        Command::Snapshot(args) => {
            let profile = chosen_profile(cam, &args.profile, out).await?;
            let snap = cam.snapshot(&profile).await?;
            let target = args.output.clone().unwrap_or_else(|| {
                let ext = if snap.content_type.contains("png") {
                    "png"
                } else {
                    "jpg"
                };
                let safe: String = profile
                    .token
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                std::path::PathBuf::from(format!("{safe}.{ext}"))
            });
            let to_stdout = target.as_os_str() == "-";
            if to_stdout {
                use std::io::Write;
                std::io::stdout()
                    .write_all(&snap.bytes)
                    .map_err(|e| Failure::usage(format!("cannot write to stdout: {e}")))?;
            } else {
                std::fs::write(&target, &snap.bytes).map_err(|e| {
                    Failure::usage(format!("cannot write {}: {e}", target.display()))
                })?;
                let report = serde_json::json!({
                    "file": target.display().to_string(),
                    "size": snap.size,
                    "content_type": snap.content_type,
                    "uri": snap.uri,
                    "profile": profile.token,
                });
                out.show(&report, || {
                    format!(
                        "wrote {} ({} bytes, {})",
                        target.display(),
                        snap.size,
                        output::clean(&snap.content_type)
                    )
                });
            }
        }
        Command::VideoSources => {
            let v = cam.video_sources().await?;
            out.show(&v, || output::video_sources(&v));
        }
        Command::Encoders => {
            let e = cam.video_encoders().await?;
            out.show(&e, || output::encoders(&e));
        }
        Command::Imaging(args) => imaging(cam, args, out).await?,
        Command::Ptz(args) => crate::ptz_cmd::run(cam, args, out).await?,
        Command::Events(args) => crate::events_cmd::run(cam, args, out).await?,
        Command::Raw(args) => raw(cam, args, out).await?,
        Command::Decode { .. }
        | Command::Sim(_)
        | Command::Demo
        | Command::Discover(_)
        | Command::Completions { .. }
        | Command::Manpage { .. }
        | Command::Shell => {
            return Err(Failure::usage("this command does not talk to a camera"));
        }
    }
    Ok(())
}

/// The profile asked for, or the first (saying which on stderr).
async fn chosen_profile(
    cam: &Camera,
    arg: &ProfileArg,
    out: &Out,
) -> Result<onvif::proto::ops::profile::MediaProfile, Failure> {
    let p = cam.profile(arg.profile.as_deref()).await?;
    if arg.profile.is_none() && !out.json {
        eprintln!(
            "using the first profile, {} ({}); choose another with --profile",
            output::clean(&p.token),
            output::clean(&p.name)
        );
    }
    Ok(p)
}

async fn imaging(cam: &Camera, args: &ImagingArgs, out: &Out) -> Result<(), Failure> {
    use onvif::proto::ops::imaging as im;
    let set_source = match &args.action {
        Some(ImagingAction::Set(s)) => s.source.as_deref(),
        _ => None,
    };
    let source = cam
        .video_source_token(set_source.or(args.source.as_deref()))
        .await?;
    match &args.action {
        None => {
            let s = cam.imaging_settings(&source).await?;
            out.show(&s, || output::imaging(&source, &s));
        }
        Some(ImagingAction::Options) => {
            let o = cam.imaging_options(&source).await?;
            out.show(&o, || output::imaging_options(&source, &o));
        }
        Some(ImagingAction::Set(set)) => {
            let options = cam.imaging_options(&source).await.ok();
            let settings = imaging_change(set, options.as_ref())?;
            if settings == im::ImagingSettings::default() {
                return Err(Failure::usage(
                    "nothing to set: give at least one of --brightness, --contrast, --saturation, \
                     --sharpness, --ir-cut, --wdr, --backlight",
                ));
            }
            cam.set_imaging_settings(&source, settings).await?;
            let s = cam.imaging_settings(&source).await?;
            out.show(&s, || output::imaging(&source, &s));
        }
    }
    Ok(())
}

/// The settings to send, checked against the camera's ranges when it told us them.
fn imaging_change(
    set: &ImagingSet,
    options: Option<&onvif::proto::ops::imaging::ImagingOptions>,
) -> Result<onvif::proto::ops::imaging::ImagingSettings, Failure> {
    use onvif::proto::ops::imaging as im;
    let check = |name: &str,
                 v: Option<f64>,
                 range: Option<&onvif::proto::ops::profile::FloatRange>| {
        match (v, range) {
            (Some(v), Some(r)) if !(r.min..=r.max).contains(&v) => Err(Failure::usage(format!(
                "--{name} {v} is outside the camera's range {}..{}",
                r.min, r.max
            ))),
            (Some(v), _) if !v.is_finite() => {
                Err(Failure::usage(format!("--{name} must be a number")))
            }
            _ => Ok(v),
        }
    };
    let o = options.cloned().unwrap_or_default();
    let on_off = |v: OnOff| match v {
        OnOff::On => im::OnOff::On,
        OnOff::Off => im::OnOff::Off,
    };
    Ok(im::ImagingSettings {
        brightness: check("brightness", set.brightness, o.brightness.as_ref())?,
        contrast: check("contrast", set.contrast, o.contrast.as_ref())?,
        color_saturation: check("saturation", set.saturation, o.color_saturation.as_ref())?,
        sharpness: check("sharpness", set.sharpness, o.sharpness.as_ref())?,
        ir_cut_filter: set.ir_cut.map(|m| match m {
            IrCut::On => im::IrCutFilterMode::On,
            IrCut::Off => im::IrCutFilterMode::Off,
            IrCut::Auto => im::IrCutFilterMode::Auto,
        }),
        wide_dynamic_range: set.wdr.map(|m| im::WideDynamicRange {
            mode: Some(on_off(m)),
            level: None,
        }),
        backlight_compensation: set.backlight.map(|m| im::BacklightCompensation {
            mode: Some(on_off(m)),
            level: None,
        }),
        ..im::ImagingSettings::default()
    })
}

/// `raw`: a body from a file, or `<prefix:Name/>` for an operation name.
async fn raw(cam: &Camera, args: &RawArgs, out: &Out) -> Result<(), Failure> {
    let named = match &args.service {
        Some(name) => Some(Service::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Service::ALL.iter().map(|s| s.name()).collect();
            Failure::usage(format!(
                "unknown service {name:?} (one of: {})",
                names.join(", ")
            ))
        })?),
        None => None,
    };
    // An operation name alone: its service comes from the operations the library knows
    // (GetProfiles goes to media, GetStatus to ptz), unless --service says otherwise.
    let service = named
        .or_else(|| service_of_operation(&args.body))
        .unwrap_or(Service::Device);
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
    // A body from a file goes to the service its element's namespace names.
    let service = named
        .or_else(|| first.ns.as_deref().and_then(Service::from_namespace))
        .unwrap_or(service);
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
        let s = output::answer_json(&decoded, out.lines).map_err(|e| Failure {
            code: exit::INTERNAL,
            message: format!("cannot render JSON: {e}"),
        })?;
        println!("{s}");
    } else {
        println!("{}", output::answer_xml(&bytes));
    }
    Ok(())
}

/// The service an operation belongs to, by the response the library reads for it (the first
/// registered wins where several services share a name, device first).
fn service_of_operation(name: &str) -> Option<Service> {
    let response = format!("{name}Response");
    proto::decode::DECODERS
        .iter()
        .find(|d| d.name == response)
        .and_then(|d| Service::from_namespace(d.ns))
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
fn decode(
    file: &std::path::Path,
    kinds: Option<&std::path::Path>,
    _out: &Out,
) -> Result<(), Failure> {
    let kinds = crate::events_cmd::kind_table(kinds)?;
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
    let decoded = proto::decode::decode_with_kinds(&bytes, &kinds).map_err(|e| Failure {
        code: exit::DEVICE,
        message: format!("{}: {e}", file.display()),
    })?;
    match output::answer_json(&decoded, false) {
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
