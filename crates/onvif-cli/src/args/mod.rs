//! Every clap definition of the `onvif` command line, and of the shell's (`onvif shell`
//! parses its lines with the same tree): the top-level options and the `Command` enum here,
//! each service's options in a module of its own. Parsing only; what a command does is in
//! `crate::commands`, and which code runs it is decided in `main`.
//!
//! The `///` comments on these definitions are the command line's help text, written for a
//! terminal (`[::]`, `<profile token>`), not rustdoc links or HTML.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

pub mod analytics;
pub mod bridge;
pub mod discover;
pub mod events;
pub mod imaging;
pub mod io;
pub mod media;
pub mod osd;
pub mod ptz;
pub mod recordings;
pub mod settings;
pub mod shell;
pub mod sim;
pub mod system;
pub mod ui;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::words::{SignedDur, parse_size, parse_timeout};

/// Control ONVIF IP cameras: device info, clock, services, raw SOAP, and a simulated camera.
#[derive(Debug, Parser)]
#[command(name = "onvif", version, about = "Control ONVIF IP cameras: device, media, snapshots, imaging, PTZ, events, discovery; and a simulated camera", long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected internal error
  2  usage error (bad arguments, bad address, unreadable config or input file)
  3  authentication failed (wrong user or password, credentials missing, or an account
     without the rights)
  4  device error (SOAP fault, HTTP error status, malformed answer)
  5  network error (cannot connect, timeout, connection reset)

Credentials and host also come from ONVIF_HOST, ONVIF_USER, ONVIF_PASSWORD, or from a camera
named with --camera in the config file ($XDG_CONFIG_HOME/onvif/config.toml).";

/// The help heading of the options that choose a camera and how to talk to it. Those options
/// are accepted before the command (`onvif -H cam info`) and after it (`onvif info -H cam`), but
/// only commands that talk to a camera list them; see [`command`].
pub const CONNECTION_OPTIONS: &str = "Connection options";

/// The heading of the options every command takes (`--json`, `--trace`, `-v`): after a
/// command's own options in its help, not among them.
pub const OUTPUT_OPTIONS: &str = "Output options";

/// Commands that never talk to a camera: they take no connection options.
pub const NO_CAMERA_COMMANDS: &[&str] = &[
    "bridge",
    "demo",
    "decode",
    "diff",
    "sim",
    "discover",
    "completions",
    "manpage",
];

/// Options of the command line before the command; the connection options among them (under
/// [`CONNECTION_OPTIONS`]) are also given to every command that talks to a camera, so
/// after parsing this holds them wherever they were written.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Camera address: IP, IP:PORT, or http(s)://HOST:PORT/path [env: ONVIF_HOST]
    #[arg(short = 'H', long, help_heading = CONNECTION_OPTIONS)]
    pub host: Option<String>,
    /// User name [env: ONVIF_USER]
    #[arg(short, long, help_heading = CONNECTION_OPTIONS)]
    pub user: Option<String>,
    /// Password [env: ONVIF_PASSWORD]; prefer the environment or the config file, since
    /// arguments are visible to other local users
    #[arg(short, long, hide_env_values = true, help_heading = CONNECTION_OPTIONS)]
    pub password: Option<String>,
    /// A camera from the config file (host, user, password and options)
    #[arg(short = 'c', long, help_heading = CONNECTION_OPTIONS)]
    pub camera: Option<String>,
    /// Config file [default: $XDG_CONFIG_HOME/onvif/config.toml]
    #[arg(long, value_name = "FILE", help_heading = CONNECTION_OPTIONS)]
    pub config: Option<PathBuf>,
    /// Machine-readable JSON on stdout
    #[arg(long, global = true, help_heading = OUTPUT_OPTIONS)]
    pub json: bool,
    /// Print every HTTP request and answer to stderr (password digests redacted; commands
    /// that talk to no camera make none)
    #[arg(long, global = true, help_heading = OUTPUT_OPTIONS)]
    pub trace: bool,
    /// Record every HTTP exchange of the command to FILE (HAR 1.2, which browsers' developer
    /// tools open; passwords, digests and nonces redacted)
    #[arg(long, value_name = "FILE", help_heading = CONNECTION_OPTIONS)]
    pub capture: Option<PathBuf>,
    /// In a recording, replace the camera's serial numbers, MAC and IP addresses and host
    /// names too, each by the same stand-in everywhere
    #[arg(long, help_heading = CONNECTION_OPTIONS)]
    pub redact_identity: bool,
    /// Accept any TLS certificate (for cameras with self-signed certificates)
    #[arg(long, help_heading = CONNECTION_OPTIONS)]
    pub insecure: bool,
    /// Allow HTTP Basic authentication over plain HTTP (it sends the password in clear)
    #[arg(long, help_heading = CONNECTION_OPTIONS)]
    pub allow_basic: bool,
    /// Keep the host the camera reports for its services instead of the one we connected to
    #[arg(long, help_heading = CONNECTION_OPTIONS)]
    pub keep_camera_host: bool,
    /// Trust exactly the camera certificate with this SHA-256 (hex; `onvif trust` shows it),
    /// whoever signed it [default: the config's cert_sha256]
    #[arg(long, value_name = "HEX", help_heading = CONNECTION_OPTIONS)]
    pub cert_sha256: Option<String>,
    /// How requests prove the credentials: any (WS-UsernameToken, and HTTP Digest when the
    /// camera asks), ws-username-token, or http (for cameras that refuse WS-Security)
    /// [default: the config's auth, else any]
    #[arg(long, value_enum, value_name = "SCHEME", help_heading = CONNECTION_OPTIONS)]
    pub auth: Option<AuthArg>,
    /// Time allowed to connect, e.g. 5s, 500ms [default: 5s]
    #[arg(long, value_parser = parse_timeout, value_name = "DURATION", allow_hyphen_values = true, help_heading = CONNECTION_OPTIONS)]
    pub connect_timeout: Option<SignedDur>,
    /// Time allowed for one request and its answer, e.g. 10s [default: 10s]
    #[arg(long, value_parser = parse_timeout, value_name = "DURATION", allow_hyphen_values = true, help_heading = CONNECTION_OPTIONS)]
    pub timeout: Option<SignedDur>,
    /// Largest answer accepted, in bytes (suffixes K, M: 8M) [default: 8M]
    #[arg(long, value_parser = parse_size, value_name = "BYTES", help_heading = CONNECTION_OPTIONS)]
    pub max_response: Option<usize>,
    /// More log output on stderr (-v debug, -vv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = OUTPUT_OPTIONS)]
    pub verbose: u8,
}

/// The command tree: [`Cli`]'s, with the connection options copied into every command that
/// talks to a camera, as global options there (so `onvif ptz move -H cam` works too).
///
/// At the top they are not global, so that `onvif sim --help` does not list them. The copies
/// keep the top's ids: when both places are used, clap hands the value written nearer the
/// command to every level of the matches (its global-argument propagation), and
/// `Cli::from_arg_matches` reads it at the top, as before.
pub fn command() -> clap::Command {
    with_connection_options(Cli::command(), |cmd, _| !NO_CAMERA_COMMANDS.contains(&cmd))
}

/// Copy the top's connection options into each of its subcommands, where `wanted(command,
/// option id)` says so.
pub fn with_connection_options(
    top: clap::Command,
    wanted: impl Fn(&str, &str) -> bool,
) -> clap::Command {
    let options: Vec<clap::Arg> = top
        .get_arguments()
        .filter(|a| a.get_help_heading() == Some(CONNECTION_OPTIONS))
        .map(|a| a.clone().global(true))
        .collect();
    let names: Vec<String> = top
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    names.into_iter().fold(top, |top, name| {
        let own: Vec<clap::Arg> = options
            .iter()
            .filter(|a| wanted(&name, a.get_id().as_str()))
            .cloned()
            .collect();
        top.mut_subcommand(name, |c| c.args(own))
    })
}

/// Parse the process's arguments with [`command`]; on a usage error print it and exit (2).
/// Connection options written before a command that does not use them are named on stderr.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let mut cmd = command();
    let matches = cmd.get_matches_mut();
    for note in unused_connection_options(&cmd, &matches) {
        eprintln!("note: {note}");
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit())
}

/// Connection options given before a command that takes none (`onvif -H cam decode f.xml`):
/// accepted there, since they are top-level options, but unused. Except those such a command
/// does read: `sim` its user and password, `discover` its wait, `demo` the limits.
pub fn unused_connection_options(cmd: &clap::Command, m: &clap::ArgMatches) -> Vec<String> {
    let Some(sub) = m.subcommand_name() else {
        return Vec::new();
    };
    if !NO_CAMERA_COMMANDS.contains(&sub) {
        return Vec::new();
    }
    let used: &[&str] = match sub {
        "sim" => &["user", "password"],
        "discover" => &["timeout"],
        "demo" => &["connect_timeout", "timeout", "max_response"],
        _ => &[],
    };
    cmd.get_arguments()
        .filter(|a| a.get_help_heading() == Some(CONNECTION_OPTIONS))
        .filter(|a| !used.contains(&a.get_id().as_str()))
        .filter(|a| {
            m.value_source(a.get_id().as_str()) == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|a| {
            let name = a
                .get_long()
                .map_or_else(|| a.get_id().to_string(), |l| format!("--{l}"));
            format!("{name} is not used by `{sub}` (it talks to no camera)")
        })
        .collect()
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Start a simulated camera on 127.0.0.1 and walk through what the tool does with it
    Demo,
    /// The camera clock, its offset to ours, and how it is set (manual or NTP)
    Time {
        /// Set the camera clock from ours (SetSystemDateAndTime, manual mode)
        #[arg(long)]
        sync: bool,
    },
    /// Manufacturer, model, firmware, serial number, hardware id
    Info,
    /// What the camera says it can do (GetCapabilities), with service addresses
    Capabilities,
    /// The services the camera offers (GetServices), with versions and addresses
    Services {
        /// Include each service's capabilities
        #[arg(long)]
        capabilities: bool,
    },
    /// The camera's scopes (name, location, hardware, profiles); `scopes name "Front door"`,
    /// `scopes location garden/north`, `scopes add|remove|set URI...` change them
    Scopes(settings::ScopesArgs),
    /// The camera's host name; `hostname set NAME` changes it
    Hostname(settings::HostnameArgs),
    /// Network interfaces and NTP servers; `network set --address 192.0.2.50/24` or `network set
    /// --dhcp` changes an interface's IPv4 address
    Network(settings::NetworkArgs),
    /// The camera's accounts (name and level); `users add`, `passwd`, `level`, `remove`
    Users(settings::UsersArgs),
    /// DNS servers and search domains; `dns set --server IP` changes them
    Dns(settings::DnsArgs),
    /// NTP servers; `ntp set --server HOST` changes them
    Ntp(settings::NtpArgs),
    /// Network protocols and their ports; `protocols set http=80,rtsp=554` changes them
    Protocols(settings::ProtocolsArgs),
    /// The default gateway; `gateway set IP` changes it
    Gateway(settings::GatewayArgs),
    /// The camera's system log (or its access log, --access)
    Logs(settings::LogsArgs),
    /// Whether the camera answers WS-Discovery; `discovery-mode set non-discoverable` hides it
    DiscoveryMode(settings::DiscoveryModeArgs),
    /// Reset the camera's settings to the factory's (soft: it keeps its address); needs --force
    FactoryReset(settings::FactoryResetArgs),
    /// Reboot the camera; --wait waits until it is back
    Reboot(system::RebootArgs),
    /// The camera's firmware version; `firmware upgrade FILE` installs an image
    Firmware(system::FirmwareArgs),
    /// Download the camera's configuration backup (from the address GetSystemUris names)
    Backup(system::BackupArgs),
    /// Restore a configuration backup onto the camera (StartSystemRestore); asks first
    Restore(system::RestoreArgs),
    /// Media profiles: token, name, encoding, resolution, frame rate, bitrate, PTZ
    Profiles,
    /// The stream (RTSP) URI of a profile
    StreamUri(media::StreamUriArgs),
    /// The snapshot (JPEG) URI of a profile
    SnapshotUri(media::SnapshotUriArgs),
    /// Download a snapshot; prints its size and type
    Snapshot(media::SnapshotArgs),
    /// Video sources: token, resolution, frame rate
    VideoSources,
    /// Video encoder configurations (from Media2 when offered, which shows H.265); `encoders
    /// set TOKEN --resolution 1280x720 --fps 15` changes one, `encoders options` shows the
    /// choices
    Encoders(media::EncodersArgs),
    /// Imaging settings of a video source; `imaging set --brightness 60` changes them
    Imaging(imaging::ImagingArgs),
    /// Focus of a video source: `focus status`, `focus move --near 0.1`, `focus stop`,
    /// `focus auto` / `focus manual`, `focus options`
    Focus(io::FocusArgs),
    /// On-screen displays: `osd list`, `osd add --text "Gate 2" --position upper-left`, `osd
    /// set`, `osd remove`, `osd options`
    Osd(osd::OsdArgs),
    /// Video analytics: `analytics modules`, `analytics rules`, `analytics motion-region`
    /// (the cell motion grid; `--set FILE` changes it)
    Analytics(analytics::AnalyticsArgs),
    /// Pan, tilt and zoom: moves, presets, home, and `ptz control` with the arrow keys
    Ptz(ptz::PtzArgs),
    /// Relay outputs: `relay list`, `relay set NAME on|off [--for 2s]`, `relay mode NAME
    /// monostable|bistable --delay 1s`, `relay options`
    Relay(io::RelayArgs),
    /// Digital inputs and their idle states (DeviceIO); their changes come as events
    /// (`events`, topic Device/Trigger/DigitalInput)
    Inputs,
    /// Follow events (pull-point, push or auto) until Ctrl-C or --for, one line each; `events properties`
    /// shows the topic tree
    Events(events::EventsArgs),
    /// Recordings (Profile G): token, source, tracks, span, status; `recordings search --from
    /// --to [--events motion]`, `recordings replay-uri TOKEN`, `recordings jobs`, `recordings
    /// summary`
    Recordings(recordings::RecordingsArgs),
    /// Send any SOAP body (a file, or an operation name) wrapped in an envelope with auth
    Raw(RawArgs),
    /// Diagnose the camera: reachability, clock, which authentication it accepts, service
    /// addresses, media, PTZ and events (how it holds a long poll, honours termination times,
    /// renews and unsubscribes), each ok / warning / problem with advice. Read-only; exit code
    /// 4 when there are problems, 3 when the camera refuses the credentials (the other checks
    /// are then not made: each would be one more failed login), 5 when it cannot be reached
    Doctor {
        /// Store what was found in the camera's config entry (--camera, or the default), so
        /// every later command applies it: auth = "http" for a camera that refuses
        /// WS-UsernameToken, events_absolute_times for one that ignores relative times,
        /// events_no_unsubscribe for one whose Unsubscribe fails, events_max_pull for one
        /// that cuts long polls
        #[arg(long)]
        write_profile: bool,
        /// How long the long-poll probe asks PullMessages to wait, e.g. 30s (12 s shows a
        /// camera that cuts long polls at 10 s)
        #[arg(long, value_parser = crate::words::parse_timeout, value_name = "DURATION", allow_hyphen_values = true)]
        hold: Option<SignedDur>,
        /// Move the PTZ a little (a short slow ContinuousMove and Stop, a small RelativeMove
        /// there and back) to see which moves the camera refuses; without it nothing moves
        #[arg(long = "move")]
        moves: bool,
    },
    /// Show the camera's TLS certificate (its SHA-256, and what this machine's authorities
    /// make of it) and pin it: stored as cert_sha256 in the camera's config entry (--camera
    /// or the default), after which a changed certificate is refused
    Trust {
        /// Only show it; store nothing
        #[arg(long)]
        show: bool,
        /// Replace a pin the config already holds for the camera with this certificate
        /// (only once you have checked that the camera was really given a new one)
        #[arg(long, conflicts_with = "show")]
        replace: bool,
    },
    /// Ask the camera every read-only question the tool knows and record every exchange
    /// (HAR 1.2, secrets redacted): a file to attach to a report, replay with `sim --replay`,
    /// read with `decode`
    Capture {
        /// Where to write the recording
        #[arg(short = 'o', long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Decode a saved SOAP response (the same code as a live answer) and print it as JSON;
    /// event messages (PullMessages, Notify) show their normalised kind and state. A recording
    /// (HAR, from --capture or capture) gives every exchange, decoded
    Decode {
        /// The saved response or recording (use - for stdin)
        file: PathBuf,
        /// More kind rules for event messages, as `events --kinds`
        #[arg(long, value_name = "FILE")]
        kinds: Option<PathBuf>,
    },
    /// What changed between two recordings (HAR), at the typed level: questions only one
    /// answered, and each field whose answer differs (the clock, subscriptions and the
    /// cameras' own addresses left out)
    Diff {
        /// The recording before
        before: PathBuf,
        /// The recording after
        after: PathBuf,
    },
    /// Run a simulated camera until Ctrl-C. Its user and password are -u/-p, else ONVIF_USER and
    /// ONVIF_PASSWORD (default admin/admin); ONVIF_HOST and the config file are not used. By
    /// default it accepts what real cameras accept (SOAP 1.1, short action URIs, PullMessages
    /// without the reference parameter, ...); --strict refuses those, to test a client
    Sim(sim::SimArgs),
    /// Find cameras on the network (WS-Discovery) and the -H value to use for each
    Discover(discover::DiscoverArgs),
    /// Put the events, states and controls of the config's cameras on an MQTT broker, with
    /// Home Assistant discovery, until Ctrl-C (SIGHUP reads the config again)
    Bridge(bridge::BridgeArgs),
    /// A browser UI for the config's cameras (and those added in it), served on
    /// http://127.0.0.1:8080 until Ctrl-C; prints its URL first
    Ui(ui::UiArgs),
    /// An interactive session: every command above, plus `connect HOST`, `use NAME`, `dump`,
    /// `trace on|off` and `ptz` (arrow keys); line editing, history and tab completion
    Shell,
    /// Shell completions on stdout: `onvif completions bash > ~/.local/share/bash-completion/completions/onvif`
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on stdout: `onvif manpage > ~/.local/share/man/man1/onvif.1`
    Manpage {
        /// Write onvif.1 and one page per command (onvif-info.1, onvif-ptz-move.1, ...) into
        /// this directory instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct RawArgs {
    /// A file holding the body XML (e.g. `<tds:GetHostname/>`), or an operation name
    pub body: String,
    /// The service to send to: device, media, media2, ptz, imaging, events, ... (default: the
    /// service the operation belongs to)
    #[arg(long)]
    pub service: Option<String>,
    /// The SOAP action (default: the body element's namespace + "/" + its name)
    #[arg(long)]
    pub action: Option<String>,
}

/// The CLI's command tree with the shell's commands added, for parsing, help and completion.
pub fn shell_tree() -> clap::Command {
    // Connection options on a line work as on the command line, before or after the command;
    // `connect` and `use` take them too (`connect`'s HOST is its own -H).
    let tree = shell::ShellCmd::augment_subcommands(Cli::command());
    let mut tree = with_connection_options(tree, |cmd, id| {
        let no_camera =
            NO_CAMERA_COMMANDS.contains(&cmd) || matches!(cmd, "dump" | "trace" | "exit");
        let own_positional = cmd == "connect" && id == "host";
        !no_camera && !own_positional
    })
    .about("Every command of `onvif`, one per line, and the shell's own")
    .mut_subcommand("shell", |c| c.hide(true))
    // Servers, refused in the shell: not offered there.
    .mut_subcommand("bridge", |c| c.hide(true))
    .mut_subcommand("ui", |c| c.hide(true))
    .no_binary_name(true)
    .override_usage("<COMMAND> [OPTIONS]   (a line of the shell, without `onvif`)")
    .after_help(shell::SHELL_HELP);
    tree.build();
    tree
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::sim::parse_lockout;
    use super::*;
    use crate::words::parse_duration;
    use clap::FromArgMatches;
    use std::time::Duration;

    #[test]
    fn lockouts() {
        assert_eq!(parse_lockout("5/10m"), Ok((5, Duration::from_secs(600))));
        assert_eq!(
            parse_lockout(" 3 / 30m"),
            Ok((3, Duration::from_secs(1800)))
        );
        for bad in ["5", "0/10m", "x/10m", "5/-1m", "5/0s", "5/10parsecs"] {
            assert!(parse_lockout(bad).is_err(), "{bad}");
        }
        match Cli::try_parse_from(["onvif", "sim", "--lockout", "5/10m"]) {
            Ok(Cli {
                command: Command::Sim(a),
                ..
            }) => assert_eq!(a.lockout, Some((5, Duration::from_secs(600)))),
            other => panic!("{other:?}"),
        }
        assert!(Cli::try_parse_from(["onvif", "sim", "--lockout", "5"]).is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("5s").map(|d| d.abs),
            Ok(Duration::from_secs(5))
        );
        assert_eq!(
            parse_duration("500ms").map(|d| d.abs),
            Ok(Duration::from_millis(500))
        );
        let d = parse_duration("-3600s").unwrap_or(SignedDur {
            negative: false,
            abs: Duration::ZERO,
        });
        assert!(d.negative);
        assert_eq!(d.as_secs_f64(), -3600.0);
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("-1s").is_err());
        assert!(parse_timeout("1ms").is_ok());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8M"), Ok(8 * 1024 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    /// Every argument of `tree` and its subcommands, as "command path: argument", that has no
    /// help text; clap's own --help, --version and `help` subcommand are not looked at.
    fn arguments_without_help(tree: &clap::Command) -> Vec<String> {
        fn walk(c: &clap::Command, path: &str, found: &mut Vec<String>) {
            for a in c.get_arguments() {
                let own = matches!(
                    a.get_action(),
                    clap::ArgAction::Help
                        | clap::ArgAction::HelpShort
                        | clap::ArgAction::HelpLong
                        | clap::ArgAction::Version
                );
                let text = a.get_help().or(a.get_long_help()).map(|h| h.to_string());
                if !own && text.is_none_or(|t| t.trim().is_empty()) {
                    found.push(format!("{path}: {}", a.get_id()));
                }
            }
            for sub in c.get_subcommands().filter(|s| s.get_name() != "help") {
                walk(sub, &format!("{path} {}", sub.get_name()), found);
            }
        }
        let mut tree = tree.clone();
        tree.build();
        let mut found = Vec::new();
        walk(&tree, tree.get_name(), &mut found);
        found
    }

    #[test]
    fn every_argument_has_a_help_line() {
        let missing = arguments_without_help(&command());
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }

    #[test]
    fn the_walk_finds_an_argument_without_help() {
        // The check above could pass by looking at nothing; here it must find one.
        let tree = clap::Command::new("t")
            .subcommand(clap::Command::new("s").arg(clap::Arg::new("bare").long("bare")));
        assert_eq!(arguments_without_help(&tree), ["t s: bare"]);
    }

    /// The ids of the connection options a command (a path of names) accepts.
    fn connection_options_of(path: &[&str]) -> Vec<String> {
        let mut tree = command();
        tree.build();
        let mut c = &tree;
        for name in path {
            c = c
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("no command {name}"));
        }
        c.get_arguments()
            .filter(|a| a.get_help_heading() == Some(CONNECTION_OPTIONS))
            .map(|a| a.get_id().to_string())
            .collect()
    }

    #[test]
    fn only_commands_that_talk_to_a_camera_take_connection_options() {
        let all = connection_options_of(&[]);
        assert!(all.contains(&"host".to_owned()) && all.contains(&"max_response".to_owned()));
        for path in [
            &["info"][..],
            &["ptz", "move"],
            &["ptz", "preset", "goto"],
            &["events", "current"],
            &["imaging", "set"],
            &["raw"],
            &["shell"],
        ] {
            assert_eq!(connection_options_of(path), all, "{path:?}");
        }
        for name in NO_CAMERA_COMMANDS {
            assert!(connection_options_of(&[name]).is_empty(), "{name}");
        }
    }

    #[test]
    fn the_shell_tree_parses_cli_and_shell_commands() {
        let mut tree = shell_tree();
        let m = tree.try_get_matches_from_mut(["--json", "info"]).unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        assert!(cli.global.json);
        assert!(matches!(cli.command, Command::Info));
        let m = tree
            .try_get_matches_from_mut(["connect", "10.0.0.8:2020"])
            .unwrap();
        assert!(matches!(
            shell::ShellCmd::from_arg_matches(&m).unwrap(),
            shell::ShellCmd::Connect { host } if host == "10.0.0.8:2020"
        ));
        let m = tree.try_get_matches_from_mut(["quit"]).unwrap();
        assert!(matches!(
            shell::ShellCmd::from_arg_matches(&m).unwrap(),
            shell::ShellCmd::Exit
        ));
        let e = tree.try_get_matches_from_mut(["inf"]).unwrap_err();
        assert!(e.to_string().contains("info"), "{e}");
        let e = tree.try_get_matches_from_mut(["help", "info"]).unwrap_err();
        assert!(!e.use_stderr());
    }

    #[test]
    fn shell_lines_take_connection_options_where_commands_do() {
        let mut tree = shell_tree();
        let m = tree
            .try_get_matches_from_mut(["connect", "10.0.0.8", "-u", "op", "--timeout", "3s"])
            .unwrap();
        let g = Global::from_arg_matches(&m).unwrap();
        assert_eq!(g.user.as_deref(), Some("op"));
        assert!(g.timeout.is_some());
        assert!(g.host.is_none(), "connect's HOST is its own");
        let m = tree
            .try_get_matches_from_mut(["ptz", "status", "-H", "10.0.0.9"])
            .unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        assert_eq!(cli.global.host.as_deref(), Some("10.0.0.9"));
        for line in [
            &["dump", "-H", "x"][..],
            &["trace", "-u", "x"],
            &["sim", "-H", "x"],
        ] {
            assert!(tree.try_get_matches_from_mut(line).is_err(), "{line:?}");
        }
        let missing = arguments_without_help(&tree);
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }
}

/// `--auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthArg {
    /// WS-UsernameToken, and HTTP Digest when the camera asks
    Any,
    /// WS-UsernameToken only
    WsUsernameToken,
    /// HTTP authentication only
    Http,
}

impl From<AuthArg> for onvif::AuthScheme {
    fn from(a: AuthArg) -> Self {
        match a {
            AuthArg::Any => onvif::AuthScheme::Any,
            AuthArg::WsUsernameToken => onvif::AuthScheme::WsUsernameToken,
            AuthArg::Http => onvif::AuthScheme::Http,
        }
    }
}
