//! `onvif discover`: find cameras with WS-Discovery, or watch them come and go; with the text
//! rendering of both.

use std::io::{IsTerminal, Write as _};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use onvif::discovery::{self, Announcement, Device, DiscoveryOptions, WatchOptions};

use crate::args::Global;
use crate::args::discover::DiscoverArgs;
use crate::failure::Failure;
use crate::output::{self, Out};

/// How long answers are collected when --timeout is not given.
const DEFAULT_WAIT: Duration = Duration::from_secs(3);

/// Run `discover`. `--timeout` is how long answers are collected (also taken before the
/// command, `onvif --timeout 5s discover`, as it used to be).
pub async fn run(args: &DiscoverArgs, g: &Global) -> Result<(), Failure> {
    if args.watch {
        return watch(args, g).await;
    }
    let unicast = targets(&args.unicast, args.port)?;
    let timeout = args.timeout.or(g.timeout).map_or(DEFAULT_WAIT, |t| t.abs);
    let opts = DiscoveryOptions {
        timeout,
        interfaces: args.interfaces.clone(),
        unicast,
        port: args.port,
        ..DiscoveryOptions::default()
    };
    let mut spinner = Spinner::new();
    let ticking = spinner.on;
    let found = collect(opts, |n| spinner.draw(n), ticking).await?;
    spinner.clear();
    let out = Out {
        json: g.json,
        lines: false,
    };
    if found.is_empty() && !g.json {
        eprintln!(
            "No camera answered within {:.1} s.{}",
            timeout.as_secs_f64(),
            if args.unicast.is_empty() {
                " Try --timeout 10s, --interface NAME, or --unicast ADDR where multicast is dropped."
            } else {
                ""
            }
        );
        return Ok(());
    }
    out.show(&found, || table(&found));
    if !g.json
        && let Some(h) = found.iter().find_map(|d| d.host.as_deref())
    {
        eprintln!(
            "Use a camera with: onvif -H {} -u USER -p PASSWORD info",
            output::clean(h)
        );
    }
    Ok(())
}

/// Run a discovery with `opts` and collect the cameras that answer (one entry per camera,
/// the latest answer kept); `progress(found)` is called every 100 ms when `ticking`. Shared
/// with `onvif ui`'s "discover" button.
pub async fn collect(
    opts: DiscoveryOptions,
    mut progress: impl FnMut(usize),
    ticking: bool,
) -> Result<Vec<Device>, Failure> {
    let mut rx = discovery::discover(opts).await?;
    let mut found: Vec<Device> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            d = rx.recv() => match d {
                Some(mut d) => {
                    hide_userinfo(&mut d);
                    match index.get(&d.key()) {
                        Some(&i) => found[i] = d,
                        None => {
                            index.insert(d.key(), found.len());
                            found.push(d);
                        }
                    }
                }
                None => break,
            },
            _ = tick.tick(), if ticking => progress(found.len()),
        }
    }
    Ok(found)
}

/// A camera's announced addresses without the user name and password some put in them, in
/// every output (the text, the JSON, the UI): the host to connect to without them (`-H`
/// takes none), each address (and an identity taken from one) with `[credentials]` in their
/// place.
fn hide_userinfo(d: &mut Device) {
    // A camera that gives no endpoint reference is known by its first address.
    if d.endpoint.contains('@') {
        d.endpoint = onvif::media::redact_userinfo(&d.endpoint);
    }
    if let Some(h) = &mut d.host {
        *h = onvif::media::without_userinfo(h);
    }
    for x in &mut d.xaddrs {
        *x = onvif::media::redact_userinfo(x);
    }
}

/// The `--unicast` addresses, each with `port` unless it names one.
fn targets(unicast: &[String], port: u16) -> Result<Vec<SocketAddr>, Failure> {
    unicast
        .iter()
        .map(|u| {
            discovery::parse_target(u, port).map_err(|_| {
                Failure::usage(format!(
                    "--unicast {:?}: an IP address, optionally with :PORT, is expected (a name \
                     is not looked up)",
                    crate::output::clean(u)
                ))
            })
        })
        .collect()
}

/// The options `discover` uses by default, probing `unicast` straight when given (no
/// multicast then).
pub fn default_options(unicast: &[String]) -> Result<DiscoveryOptions, Failure> {
    let unicast = targets(unicast, discovery::PORT)?;
    Ok(DiscoveryOptions {
        timeout: DEFAULT_WAIT,
        unicast,
        ..DiscoveryOptions::default()
    })
}

fn or_dash(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("-").to_owned()
}

/// The text table: name, hardware, location, profiles, the `-H` value, UUID.
fn table(found: &[Device]) -> String {
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|d| {
            vec![
                or_dash(d.info.name.as_deref()),
                or_dash(d.info.hardware.as_deref()),
                or_dash(Some(&d.info.location.join(", "))),
                or_dash(Some(&d.info.profiles.join(","))),
                onvif::media::redact_userinfo(&or_dash(
                    d.host.as_deref().or(d.xaddrs.first().map(String::as_str)),
                )),
                d.uuid.clone().unwrap_or_else(|| d.endpoint.clone()),
            ]
        })
        .collect();
    output::table(
        &["NAME", "HARDWARE", "LOCATION", "PROFILES", "-H", "UUID"],
        &rows,
    )
}

async fn watch(args: &DiscoverArgs, g: &Global) -> Result<(), Failure> {
    if !args.unicast.is_empty() {
        return Err(Failure::usage(
            "--unicast probes; --watch listens for announcements: use one or the other",
        ));
    }
    let opts = WatchOptions {
        bind: SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), args.port),
        interfaces: args.interfaces.clone(),
        ..WatchOptions::default()
    };
    let mut w = discovery::watch(opts).await?;
    eprintln!(
        "Listening for cameras joining and leaving on udp://{} (Ctrl-C stops)",
        w.local_addr()
    );
    let out = Out {
        json: g.json,
        lines: true,
    };
    loop {
        let event = tokio::select! {
            e = w.recv() => e,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let Some(mut event) = event else {
            return Ok(());
        };
        match &mut event {
            Announcement::Hello(d) | Announcement::Bye(d) => hide_userinfo(d),
        }
        out.show(&event, || announcement(&event));
        let _ = std::io::stdout().flush();
    }
}

/// One line a camera joining or leaving: what it announced (its name decoded from its
/// scopes, its addresses) is escaped, line breaks included, and user-info is hidden.
fn announcement(e: &Announcement) -> String {
    let d = e.device();
    // Each value escaped and cut as a table cell is.
    let shown = |s: &str| output::clean(&onvif::proto::text::cut(s, output::CELL_LIMIT));
    let id = shown(d.uuid.as_deref().unwrap_or(&d.endpoint));
    match e {
        Announcement::Hello(_) => format!(
            "hello  {}  {}  {}  {id}",
            shown(&or_dash(d.info.name.as_deref())),
            shown(&or_dash(d.info.hardware.as_deref())),
            shown(&onvif::media::redact_userinfo(&or_dash(
                d.host.as_deref().or(d.xaddrs.first().map(String::as_str)),
            ))),
        ),
        Announcement::Bye(_) => format!("bye    {id}"),
    }
}

/// A spinner on stderr, only when stderr is a terminal.
struct Spinner {
    on: bool,
    frame: usize,
}

impl Spinner {
    fn new() -> Self {
        Spinner {
            on: std::io::stderr().is_terminal(),
            frame: 0,
        }
    }

    fn draw(&mut self, found: usize) {
        const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        let f = FRAMES[self.frame % FRAMES.len()];
        self.frame += 1;
        let mut e = std::io::stderr();
        let _ = write!(e, "\r\x1b[2K{f} looking for cameras... {found} found");
        let _ = e.flush();
    }

    fn clear(&self) {
        if self.on {
            let mut e = std::io::stderr();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_is_one_line_whatever_the_camera_says() {
        let t = onvif::proto::discovery::Target {
            address: "urn:uuid:5f3c1d2e-0000-4000-8000-000000000001".into(),
            scopes: vec![
                "onvif://www.onvif.org/name/Porch%0Ahello  Fake%1B[2J".into(),
                "onvif://www.onvif.org/hardware/M%0D%0Abye".into(),
            ],
            xaddrs: vec!["http://admin:Pw-9x@192.0.2.5:8080/onvif/device_service".into()],
            ..Default::default()
        };
        let d = Device::from_target(t, "192.0.2.5:3702".parse().unwrap(), "");
        for a in [Announcement::Hello(d.clone()), Announcement::Bye(d)] {
            let line = announcement(&a);
            assert!(!line.chars().any(char::is_control), "{line:?}");
            assert!(!line.contains("Pw-9x"), "{line}");
        }
        let line = announcement(&Announcement::Hello(Device::from_target(
            onvif::proto::discovery::Target {
                address: "urn:uuid:5f3c1d2e-0000-4000-8000-000000000002".into(),
                scopes: vec!["onvif://www.onvif.org/name/Porch%0Ahello".into()],
                ..Default::default()
            },
            "192.0.2.6:3702".parse().unwrap(),
            "",
        )));
        assert!(line.starts_with("hello  Porch\\nhello  "), "{line}");
    }

    #[test]
    fn announced_addresses_are_shown_without_their_user_info_in_json_too() {
        let t = onvif::proto::discovery::Target {
            address: "urn:uuid:5f3c1d2e-0000-4000-8000-000000000003".into(),
            xaddrs: vec!["http://admin:Pw-9x@192.0.2.5:8080/onvif/device_service".into()],
            ..Default::default()
        };
        let mut d = Device::from_target(t, "192.0.2.5:3702".parse().unwrap(), "");
        hide_userinfo(&mut d);
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("Pw-9x") && !json.contains("admin"), "{json}");
        // Without an endpoint reference, a camera is known by its first address (as the
        // packet reader makes it).
        let xaddr = "http://admin:Pw-9x@192.0.2.5:8080/onvif/device_service";
        let t = onvif::proto::discovery::Target {
            address: xaddr.into(),
            xaddrs: vec![xaddr.into()],
            ..Default::default()
        };
        let mut bare = Device::from_target(t, "192.0.2.5:3702".parse().unwrap(), "");
        assert!(bare.endpoint.contains("Pw-9x"), "{}", bare.endpoint);
        hide_userinfo(&mut bare);
        let json = serde_json::to_string(&bare).unwrap();
        assert!(!json.contains("Pw-9x"), "{json}");
        assert!(table(&[bare]).lines().all(|l| !l.contains("Pw-9x")));
        assert_eq!(
            d.host.as_deref(),
            Some("http://192.0.2.5:8080/onvif/device_service")
        );
    }
}
