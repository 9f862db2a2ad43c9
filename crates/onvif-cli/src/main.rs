//! The `onvif` command: parse, run, map the outcome to an exit code.

mod cli;
mod commands;
mod config;
mod discover;
mod events_cmd;
mod output;
mod ptz_cmd;
mod ptz_control;
mod shell;
mod sim_cmd;
mod words;

use std::process::ExitCode;

/// Exit codes, as documented in `onvif --help`.
pub mod exit {
    pub const INTERNAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const AUTH: u8 = 3;
    pub const DEVICE: u8 = 4;
    pub const NETWORK: u8 = 5;
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

impl From<onvif::Error> for Failure {
    fn from(e: onvif::Error) -> Self {
        use onvif::ErrorKind;
        let code = match e.kind() {
            ErrorKind::Usage => exit::USAGE,
            ErrorKind::Auth => exit::AUTH,
            ErrorKind::Device => exit::DEVICE,
            ErrorKind::Network => exit::NETWORK,
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = cli::parse();
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
    let result = runtime.block_on(commands::run(cli));
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

/// Colour on stderr only for a terminal, and never with NO_COLOR set (https://no-color.org).
fn stderr_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn init_logging(verbose: u8) {
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
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(stderr_colour())
                .with_target(false),
        )
        .with(filter)
        .try_init();
}
