//! The `onvif` command: parse, dispatch, map the outcome to an exit code.
//!
//! Where things are:
//! - `args`: every clap definition (the command line's and the shell's);
//! - this file: the dispatch, matching each parsed command to the code that runs it;
//! - `commands`: one module per service or job (`device`, `media`, `imaging`, `ptz`, `events`,
//!   `raw`, `decode`, `discover`, `sim`, `docs`), each with its command code and its text
//!   rendering;
//! - `shell`: the interactive session (session, tokenizer, completion, colouring);
//! - shared below them: `connection` (choosing and connecting a camera), `output` (JSON,
//!   escaping, tables), `failure` (exit codes), `config` (the config file), `words` (the text
//!   parsers, standard library only, which the fuzz targets include), `dispatch` (the
//!   dispatch's shape, for the commands that run other commands).

mod args;
mod commands;
mod config;
mod connection;
mod diagnosis;
mod dispatch;
mod failure;
mod output;
mod prompt;
mod shell;
mod stop;
mod sync;
mod ui;
mod words;

use std::process::ExitCode;

use onvif::Camera;

use crate::args::{Cli, Command};
use crate::commands::{
    analytics, bridge, capture, decode, device, diff, discover, docs, doctor, events, imaging, io,
    media, network, osd, ptz, raw, recordings, scopes, settings, sim, system, trust, users,
};
use crate::dispatch::{Dispatch, Outcome};
use crate::failure::{Failure, exit};
use crate::output::Out;

/// The dispatch below, for the shell and `demo`.
const DISPATCH: Dispatch = Dispatch {
    run: run_boxed,
    execute: execute_boxed,
};

fn run_boxed(cli: Cli) -> Outcome<'static> {
    Box::pin(run(cli))
}

fn execute_boxed<'a>(cam: &'a Camera, cmd: &'a Command, out: &'a Out) -> Outcome<'a> {
    Box::pin(execute(cam, cmd, out))
}

/// Run a parsed command line: the commands that talk to no camera here, the others on a
/// camera connected with the connection options.
async fn run(cli: Cli) -> Result<(), Failure> {
    let g = &cli.global;
    if g.capture.is_some() && !records(&cli.command) {
        return Err(Failure::usage(
            "--capture records a command's exchanges with one camera; decode, diff, sim, \
             discover, bridge, ui, demo, shell and the documentation commands are not recorded",
        ));
    }
    match &cli.command {
        Command::Decode { file, kinds } => return decode::run(file, kinds.as_deref()),
        Command::Diff { before, after } => {
            let out = Out {
                json: g.json,
                lines: false,
            };
            return diff::run(before, after, &out);
        }
        Command::Sim(args) => return sim::serve(args, g).await,
        Command::Discover(args) => return discover::run(args, g).await,
        Command::Bridge(args) => return bridge::run(args, g).await,
        Command::Ui(args) => return ui::run(args, g).await,
        Command::Demo => return sim::demo(g, DISPATCH).await,
        Command::Shell => return shell::run(g, DISPATCH).await,
        Command::Completions { shell } => return docs::completions(*shell),
        Command::Manpage { dir } => return docs::manpage(dir.as_deref()),
        _ => {}
    }
    let out = Out {
        json: g.json,
        lines: false,
    };
    let target = connection::resolve_target(g)?;
    // A recording (`capture`, `--capture`) holds every exchange, a failed connection's too.
    let recording = match (&cli.command, &g.capture) {
        (Command::Capture { output }, _) | (_, Some(output)) => Some((
            output,
            onvif::capture::Capture::new("onvif", env!("CARGO_PKG_VERSION")),
        )),
        _ => None,
    };
    if let Some((path, _)) = &recording {
        capture::prepare(path)?;
    }
    let recorder = recording.as_ref().map(|(_, c)| c.recorder());
    let result = match &cli.command {
        // The doctor makes clients of its own (without credentials, one scheme at a time).
        Command::Doctor {
            write_profile,
            hold,
            moves,
        } => {
            let how = diagnosis::Probe {
                hold: hold.map_or(diagnosis::HOLD, |h| h.abs),
                moves: *moves,
            };
            doctor::run(&target, g, recorder, *write_profile, how, &out).await
        }
        Command::Capture { .. } => capture::run(&target, g, recorder, &out).await,
        Command::Trust { show, replace } => trust::run(&target, g, *show, *replace, &out).await,
        _ => match connection::connect_recorded(&target, g, recorder).await {
            Ok(cam) => execute(&cam, &cli.command, &out).await,
            Err(f) => Err(f),
        },
    };
    if let Some((path, c)) = &recording {
        capture::write(path, c, &target.host, g.redact_identity)?;
    }
    result
}

/// Does `--capture` record this command (one that talks to one camera)?
fn records(cmd: &Command) -> bool {
    !matches!(
        cmd,
        Command::Decode { .. }
            | Command::Diff { .. }
            | Command::Sim(_)
            | Command::Discover(_)
            | Command::Bridge(_)
            | Command::Ui(_)
            | Command::Demo
            | Command::Shell
            | Command::Completions { .. }
            | Command::Manpage { .. }
    )
}

/// Run one camera command.
async fn execute(cam: &Camera, cmd: &Command, out: &Out) -> Result<(), Failure> {
    match cmd {
        Command::Time { sync } => device::time(cam, *sync, out).await,
        Command::Info => device::info(cam, out).await,
        Command::Capabilities => device::capabilities(cam, out).await,
        Command::Services { capabilities } => device::services(cam, *capabilities, out).await,
        Command::Scopes(args) => scopes::run(cam, args, out).await,
        Command::Hostname(args) => settings::hostname(cam, args, out).await,
        Command::Network(args) => network::run(cam, args, out).await,
        Command::Users(args) => users::run(cam, args, out).await,
        Command::Dns(args) => settings::dns(cam, args, out).await,
        Command::Ntp(args) => settings::ntp(cam, args, out).await,
        Command::Protocols(args) => settings::protocols(cam, args, out).await,
        Command::Gateway(args) => settings::gateway(cam, args, out).await,
        Command::Logs(args) => settings::logs(cam, args, out).await,
        Command::DiscoveryMode(args) => settings::discovery_mode(cam, args, out).await,
        Command::FactoryReset(args) => settings::factory_reset(cam, args, out).await,
        Command::Reboot(args) => system::reboot(cam, args, out).await,
        Command::Firmware(args) => system::firmware(cam, args, out).await,
        Command::Backup(args) => system::backup(cam, args, out).await,
        Command::Restore(args) => system::restore(cam, args, out).await,
        Command::Profiles => media::profiles(cam, out).await,
        Command::StreamUri(args) => media::stream_uri(cam, args, out).await,
        Command::SnapshotUri(args) => media::snapshot_uri(cam, args, out).await,
        Command::Snapshot(args) => media::snapshot(cam, args, out).await,
        Command::VideoSources => media::video_sources(cam, out).await,
        Command::Encoders(args) => media::encoders::run(cam, args, out).await,
        Command::Imaging(args) => imaging::run(cam, args, out).await,
        Command::Osd(args) => osd::run(cam, args, out).await,
        Command::Analytics(args) => analytics::run(cam, args, out).await,
        Command::Ptz(args) => ptz::run(cam, args, out).await,
        Command::Focus(args) => io::focus(cam, args, out).await,
        Command::Relay(args) => io::relay(cam, args, out).await,
        Command::Inputs => io::inputs(cam, out).await,
        Command::Events(args) => events::run(cam, args, out).await,
        Command::Recordings(args) => recordings::run(cam, args, out).await,
        Command::Raw(args) => raw::run(cam, args, out).await,
        Command::Capture { .. } | Command::Doctor { .. } | Command::Trust { .. } => {
            Err(Failure::usage(
                "doctor, capture and trust make their own connections: run them on their own",
            ))
        }
        Command::Decode { .. }
        | Command::Diff { .. }
        | Command::Sim(_)
        | Command::Demo
        | Command::Discover(_)
        | Command::Bridge(_)
        | Command::Ui(_)
        | Command::Completions { .. }
        | Command::Manpage { .. }
        | Command::Shell => Err(Failure::usage("this command does not talk to a camera")),
    }
}

fn main() -> ExitCode {
    let cli = args::parse();
    init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    let result = runtime.block_on(run(cli));
    // Without waiting for blocking reads still under way: `sim`'s console reads standard
    // input, which may stay open long after the command is done (a terminal, a pipe).
    runtime.shutdown_background();
    report_peak_rss();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            output::print_error(&f.message);
            ExitCode::from(f.code)
        }
    }
}

/// For the benchmarks: with ONVIF_REPORT_PEAK_RSS set, print the process's peak resident
/// memory (Linux `VmHWM`) to stderr at exit.
fn report_peak_rss() {
    if std::env::var_os("ONVIF_REPORT_PEAK_RSS").is_none() {
        return;
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(v) = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))
    {
        eprintln!("peak-rss-kib: {}", v.trim().trim_end_matches("kB").trim());
    }
}

/// Colour on stderr only for a terminal, and never with NO_COLOR set (<https://no-color.org>).
fn stderr_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::field::MakeExt as _;
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let default = match verbose {
        0 => "warn",
        1 => "info,onvif=debug,onvif_sim=debug,onvif_cli=debug",
        _ => "debug,onvif=trace,onvif_sim=trace",
    };
    // ONVIF_LOG takes `target=level` lists, e.g. `warn,onvif=debug` (no regexes: the
    // filter that understands them costs a regex engine in the binary).
    let filter = std::env::var("ONVIF_LOG")
        .ok()
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| default.parse().unwrap_or_default());
    // A log line's message and fields may quote device text (a fault reason in an error):
    // each is written as one escaped line, so none can drive the terminal or fake a line.
    let fields = tracing_subscriber::fmt::format::debug_fn(|w, field, value| {
        let text = format!("{value:?}");
        let text = onvif::proto::text::escape_line(&text);
        if field.name() == "message" {
            write!(w, "{text}")
        } else {
            write!(w, "{field}={text}")
        }
    })
    .delimited(" ");
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .fmt_fields(fields)
                .with_writer(std::io::stderr)
                .with_ansi(stderr_colour())
                .with_target(false),
        )
        .with(filter)
        .try_init();
}
