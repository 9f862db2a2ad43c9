//! The shell's session: the camera it talks to, the loop that reads lines (the line editor on
//! a terminal, plain stdin otherwise), and running each line: the shell's own commands here,
//! the others through `main`'s dispatch.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::{FromArgMatches, Subcommand};
use onvif::Camera;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;

use super::colour::{colour_stdout, colourise_xml};
use super::completion::{Cache, Helper, completable};
use super::tokenizer::{command_words, for_history};
use crate::args::imaging::OnOff;
use crate::args::shell::ShellCmd;
use crate::args::{Cli, Command, Global, shell_tree};
use crate::config;
use crate::connection::{client_config, resolve_target};
use crate::dispatch::Dispatch;
use crate::failure::{Failure, exit};
use crate::output::Out;

/// Whether to go on reading lines.
enum Flow {
    Continue,
    Exit,
}

struct Session {
    /// The flags `shell` was started with.
    global: Global,
    tree: clap::Command,
    cam: Option<Camera>,
    /// The camera's name or host, for the prompt.
    label: Option<String>,
    /// The flags the session's camera was connected with (a line's own connection options
    /// are laid over these, so `info --timeout 30s` still means that camera).
    flags: Option<Global>,
    /// HTTP tracing on or off; every connection made by the shell has a trace callback that
    /// looks at this.
    trace: Arc<AtomicBool>,
    cache: Arc<Mutex<Cache>>,
    /// The last answer to a command typed in this session (for `dump`).
    last: Option<Vec<u8>>,
    /// Exit code of the last line (0 when it succeeded).
    status: u8,
    interactive: bool,
    /// How the commands of the CLI are run.
    dispatch: Dispatch,
}

/// Run the shell with the flags it was started with (`onvif -H cam shell`); the commands of
/// the CLI typed in it are run by `dispatch`.
pub async fn run(g: &Global, dispatch: Dispatch) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal();
    let mut s = Session {
        global: g.clone(),
        tree: shell_tree(),
        cam: None,
        label: None,
        flags: None,
        trace: Arc::new(AtomicBool::new(g.trace)),
        cache: Arc::new(Mutex::new(Cache::default())),
        last: None,
        status: 0,
        interactive,
        dispatch,
    };
    s.load_camera_names();
    if interactive {
        // Take over SIGINT now (polling `ctrl_c` once registers the handler), so that a Ctrl-C
        // between two commands never kills the shell; while a command runs it cancels it.
        tokio::select! {
            biased;
            _ = tokio::signal::ctrl_c() => {}
            () = std::future::ready(()) => {}
        }
    }
    if let Some(label) = startup_label(g) {
        let r = s.cancellable(s.connect(g, label)).await;
        if let Err(f) = s.finish_connect(r).await {
            crate::output::print_error(&f.message);
            s.status = f.code;
        }
    }
    if interactive {
        s.interactive_loop().await?;
        Ok(())
    } else {
        s.stdin_loop().await?;
        match s.status {
            0 => Ok(()),
            code => Err(Failure {
                code,
                message: "the last command of the input failed".into(),
            }),
        }
    }
}

/// What the prompt calls the camera named by the flags, the environment or the config's
/// `default`; `None` when nothing names one (the shell then starts unconnected).
fn startup_label(g: &Global) -> Option<String> {
    if let Some(c) = &g.camera {
        return Some(c.clone());
    }
    if let Some(h) = &g.host {
        return Some(h.clone());
    }
    if let Some(h) = std::env::var("ONVIF_HOST").ok().filter(|v| !v.is_empty()) {
        return Some(h);
    }
    config::load(g.config.as_deref()).ok()?.default
}

/// `$XDG_DATA_HOME/onvif/history`, else `~/.local/share/onvif/history`.
fn history_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?)
            .join(".local")
            .join("share"),
    };
    Some(base.join("onvif").join("history"))
}

/// The longest line read from stdin (no terminal): a command, not a file.
const MAX_LINE: usize = 64 * 1024;

impl Session {
    async fn interactive_loop(&mut self) -> Result<(), Failure> {
        let internal = |e: ReadlineError| Failure {
            code: exit::INTERNAL,
            message: format!("the line editor failed: {e}"),
        };
        let config = rustyline::Config::builder()
            .max_history_size(1000)
            .map_err(internal)?
            .history_ignore_dups(true)
            .map_err(internal)?
            .history_ignore_space(true)
            .auto_add_history(false)
            .completion_type(rustyline::CompletionType::List)
            .build();
        let mut rl: rustyline::Editor<Helper, DefaultHistory> =
            rustyline::Editor::with_config(config).map_err(internal)?;
        rl.set_helper(Some(Helper {
            tree: Arc::new(self.tree.clone()),
            cache: Arc::clone(&self.cache),
        }));
        let history = history_path();
        if let Some(p) = &history {
            if let Some(dir) = p.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if p.exists()
                && let Err(e) = rl.load_history(p)
            {
                eprintln!("warning: cannot read the history {}: {e}", p.display());
            }
        }
        loop {
            let prompt = format!("{}> ", self.label.as_deref().unwrap_or("onvif"));
            // The editor blocks; it runs off the runtime so that the connections' tasks go on.
            let (back, read) = tokio::task::spawn_blocking(move || {
                let r = rl.readline(&prompt);
                (rl, r)
            })
            .await
            .map_err(|e| Failure {
                code: exit::INTERNAL,
                message: format!("the line editor stopped: {e}"),
            })?;
            rl = back;
            match read {
                Ok(line) => {
                    if for_history(&line) {
                        let _ = rl.add_history_entry(line.as_str());
                        if let Some(p) = &history
                            && let Err(e) = rl.append_history(p)
                        {
                            tracing::debug!("cannot write the history {}: {e}", p.display());
                        }
                    }
                    if let Flow::Exit = self.line(&line).await {
                        break;
                    }
                }
                // Ctrl-C at the prompt: the line is dropped, the shell stays.
                Err(ReadlineError::Interrupted) => {}
                Err(ReadlineError::Eof) => break,
                Err(e) => return Err(internal(e)),
            }
        }
        Ok(())
    }

    /// Without a terminal: one command per line of stdin, no prompt, no editing.
    async fn stdin_loop(&mut self) -> Result<(), Failure> {
        loop {
            let read = tokio::task::spawn_blocking(|| {
                use std::io::{BufRead, Read};
                let mut line = String::new();
                let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX) + 1;
                std::io::stdin()
                    .lock()
                    .take(limit)
                    .read_line(&mut line)
                    .map(|n| (n, line))
            })
            .await
            .map_err(|e| Failure {
                code: exit::INTERNAL,
                message: format!("reading stdin stopped: {e}"),
            })?;
            let line = match read {
                Ok((0, _)) => break,
                Ok((n, line)) if n > MAX_LINE && !line.ends_with('\n') => {
                    return Err(Failure::usage(format!(
                        "a line of stdin is longer than {MAX_LINE} bytes"
                    )));
                }
                Ok((_, line)) => line,
                Err(e) => {
                    return Err(Failure::usage(format!("cannot read stdin: {e}")));
                }
            };
            if let Flow::Exit = self.line(&line).await {
                break;
            }
        }
        Ok(())
    }

    /// Run a future; on a terminal, Ctrl-C drops it (cancelling the command) and gives `None`.
    async fn cancellable<F: Future>(&self, fut: F) -> Option<F::Output> {
        if !self.interactive {
            return Some(fut.await);
        }
        let interrupted = async {
            // Without a signal handler there is nothing to wait for.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = fut => Some(r),
            () = interrupted => {
                eprintln!("cancelled");
                None
            }
        }
    }

    /// Parse and run one line.
    async fn line(&mut self, line: &str) -> Flow {
        let Some(words) = command_words(line) else {
            eprintln!("error: unterminated quote");
            self.status = exit::USAGE;
            return Flow::Continue;
        };
        if words.is_empty() {
            return Flow::Continue;
        }
        let matches = match self.tree.try_get_matches_from_mut(&words) {
            Ok(m) => m,
            Err(e) => {
                // Help and version are answers, not errors; clap's "did you mean" is kept.
                let _ = e.print();
                self.status = if e.use_stderr() { exit::USAGE } else { 0 };
                return Flow::Continue;
            }
        };
        let result = match matches.subcommand_name() {
            Some(name) if ShellCmd::has_subcommand(name) => {
                let parsed = ShellCmd::from_arg_matches(&matches)
                    .and_then(|c| Global::from_arg_matches(&matches).map(|g| (c, g)));
                match parsed {
                    Ok((ShellCmd::Exit, _)) => return Flow::Exit,
                    Ok((cmd, g)) => self.shell_command(cmd, &g).await,
                    Err(e) => Err(Failure::usage(e.to_string())),
                }
            }
            _ => match Cli::from_arg_matches(&matches) {
                Ok(cli) => {
                    let touches_presets = words[0] == "ptz" && words.iter().any(|w| w == "preset");
                    // (The PTZ mode joins its key reader before returning, so the line editor
                    // never races it for keys.)
                    let r = self.run_cli(cli).await;
                    if touches_presets {
                        self.refresh_presets().await;
                    }
                    r
                }
                Err(e) => Err(Failure::usage(e.to_string())),
            },
        };
        self.status = match result {
            Ok(()) => 0,
            Err(f) => {
                crate::output::print_error(&f.message);
                f.code
            }
        };
        Flow::Continue
    }

    async fn shell_command(&mut self, cmd: ShellCmd, line: &Global) -> Result<(), Failure> {
        match cmd {
            ShellCmd::Connect { host } => {
                let mut g = merge(&self.global, line);
                g.host = Some(host.clone());
                g.camera = None;
                let r = self.cancellable(self.connect(&g, host)).await;
                self.finish_connect(r).await
            }
            ShellCmd::Use { name } => {
                // The config entry's credentials, not the shell's (flags on the line still win).
                let mut g = merge(&self.global, line);
                g.camera = Some(name.clone());
                g.host = line.host.clone();
                g.user = line.user.clone();
                g.password = line.password.clone();
                self.load_camera_names();
                let r = self.cancellable(self.connect(&g, name)).await;
                self.finish_connect(r).await
            }
            ShellCmd::Dump => {
                let Some(bytes) = &self.last else {
                    return Err(Failure::usage(
                        "no answer yet: run a command first (e.g. info), then dump",
                    ));
                };
                let text = crate::output::answer_xml(bytes);
                if colour_stdout() {
                    println!("{}", colourise_xml(&text));
                } else {
                    println!("{text}");
                }
                Ok(())
            }
            ShellCmd::Trace { state } => {
                match state {
                    Some(OnOff::On) => self.trace.store(true, Ordering::Relaxed),
                    Some(OnOff::Off) => self.trace.store(false, Ordering::Relaxed),
                    None => {}
                }
                let on = self.trace.load(Ordering::Relaxed);
                println!("trace is {}", if on { "on" } else { "off" });
                Ok(())
            }
            ShellCmd::Exit => Ok(()),
        }
    }

    /// Connect with these flags; on success the camera becomes the session's.
    async fn connect(&self, g: &Global, label: String) -> Result<Connected, Failure> {
        let cam = self.open(g).await?;
        Ok(Connected {
            cam,
            label,
            flags: g.clone(),
        })
    }

    /// A connection whose trace callback follows `trace on|off`.
    async fn open(&self, g: &Global) -> Result<Camera, Failure> {
        let target = resolve_target(g)?;
        let mut cfg = client_config(&target, g);
        let flag = Arc::clone(&self.trace);
        cfg.trace = Some(Arc::new(move |t: &str| {
            if flag.load(Ordering::Relaxed) {
                eprintln!("{}\n", crate::output::safe_block(t));
            }
        }));
        Ok(Camera::connect(&target.host, target.creds.clone(), cfg).await?)
    }

    /// Run a command of the CLI.
    async fn run_cli(&mut self, cli: Cli) -> Result<(), Failure> {
        match &cli.command {
            Command::Shell => return Err(Failure::usage("this is the shell already")),
            Command::Bridge(_) | Command::Ui(_) => {
                return Err(Failure::usage(
                    "bridge and ui serve until stopped: run them outside the shell",
                ));
            }
            Command::Decode { .. }
            | Command::Diff { .. }
            | Command::Sim(_)
            | Command::Discover(_)
            | Command::Demo
            | Command::Completions { .. }
            | Command::Manpage { .. } => {
                return self
                    .cancellable((self.dispatch.run)(cli))
                    .await
                    .unwrap_or(Ok(()));
            }
            _ => {}
        }
        let out = Out {
            json: cli.global.json,
            lines: false,
        };
        // `--trace` on the line traces that line, its connection included.
        let was_tracing = self.trace.load(Ordering::Relaxed);
        if cli.global.trace {
            self.trace.store(true, Ordering::Relaxed);
        }
        let result = self.run_cli_traced(cli, out).await;
        self.trace.store(was_tracing, Ordering::Relaxed);
        result
    }

    async fn run_cli_traced(&mut self, cli: Cli, out: Out) -> Result<(), Failure> {
        if cli.global.capture.is_some() || matches!(cli.command, Command::Capture { .. }) {
            return Err(Failure::usage(
                "recordings are made by single commands: run `onvif --capture FILE ...` or \
                 `onvif capture -o FILE` outside the shell",
            ));
        }
        // Connection flags on the line make a connection for that line only.
        let cam = if names_a_connection(&cli.global) {
            let mut g = merge(self.flags.as_ref().unwrap_or(&self.global), &cli.global);
            if cli.global.host.is_some() || cli.global.camera.is_some() {
                g.host = cli.global.host.clone();
                g.camera = cli.global.camera.clone();
                g.user = cli.global.user.clone();
                g.password = cli.global.password.clone();
            }
            match self.cancellable(self.open(&g)).await {
                Some(r) => r?,
                None => return Ok(()),
            }
        } else {
            self.cam.clone().ok_or_else(|| {
                Failure::usage("no camera: `connect HOST` or `use NAME` (a camera from the config)")
            })?
        };
        // `ptz control` takes the signals itself, SIGINT included (in raw mode Ctrl-C is a
        // key): cancelled from outside, it could not stop the camera.
        let own_signals = matches!(
            &cli.command,
            Command::Ptz(crate::args::ptz::PtzArgs {
                action: crate::args::ptz::PtzAction::Control,
                ..
            })
        );
        let run = (self.dispatch.execute)(&cam, &cli.command, &out);
        let result = if own_signals {
            run.await
        } else {
            self.cancellable(run).await.unwrap_or(Ok(()))
        };
        if let Some(bytes) = cam.last_response() {
            self.last = Some(bytes);
        }
        result
    }

    /// Make a new connection the session's, and fill the completion cache from it.
    async fn adopt(&mut self, c: Connected) {
        self.cam = Some(c.cam);
        self.label = Some(c.label);
        self.flags = Some(c.flags);
        self.last = None;
        let profiles = match &self.cam {
            Some(cam) => self
                .cancellable(cam.profiles())
                .await
                .and_then(Result::ok)
                .map(|ps| {
                    ps.into_iter()
                        .map(|p| p.token)
                        .filter(|t| completable(t))
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if let Ok(mut c) = self.cache.lock() {
            c.profiles = profiles;
        }
        self.refresh_presets().await;
    }

    async fn refresh_presets(&self) {
        let Some(cam) = &self.cam else { return };
        let fetch = async {
            let t = cam.ptz_target(None).await.ok()?;
            cam.ptz_presets(&t).await.ok()
        };
        let names: Vec<String> = self
            .cancellable(fetch)
            .await
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.name.filter(|n| !n.is_empty()).unwrap_or(p.token))
            .filter(|n| completable(n))
            .collect();
        if let Ok(mut c) = self.cache.lock() {
            c.presets = names;
        }
    }

    fn load_camera_names(&self) {
        let names = config::load(self.global.config.as_deref())
            .map(|c| c.cameras.into_keys().collect())
            .unwrap_or_default();
        if let Ok(mut c) = self.cache.lock() {
            c.cameras = names;
        }
    }
}

/// A fresh connection, not yet the session's.
struct Connected {
    cam: Camera,
    label: String,
    flags: Global,
}

impl Session {
    /// `connect` only borrows the session, so that it can be raced with Ctrl-C; the new
    /// connection is adopted here, afterwards.
    async fn finish_connect(
        &mut self,
        r: Option<Result<Connected, Failure>>,
    ) -> Result<(), Failure> {
        match r {
            Some(Ok(c)) => {
                self.adopt(c).await;
                Ok(())
            }
            Some(Err(f)) => Err(f),
            None => Ok(()),
        }
    }
}

/// Does the line carry flags that choose or configure a connection?
fn names_a_connection(g: &Global) -> bool {
    g.host.is_some()
        || g.camera.is_some()
        || g.user.is_some()
        || g.password.is_some()
        || g.config.is_some()
        || g.insecure
        || g.allow_basic
        || g.keep_camera_host
        || g.auth.is_some()
        || g.cert_sha256.is_some()
        || g.connect_timeout.is_some()
        || g.timeout.is_some()
        || g.max_response.is_some()
}

/// The shell's flags with the line's on top.
fn merge(base: &Global, line: &Global) -> Global {
    Global {
        host: line.host.clone().or_else(|| base.host.clone()),
        user: line.user.clone().or_else(|| base.user.clone()),
        password: line.password.clone().or_else(|| base.password.clone()),
        camera: line.camera.clone().or_else(|| base.camera.clone()),
        config: line.config.clone().or_else(|| base.config.clone()),
        json: line.json,
        trace: false,
        capture: None,
        redact_identity: false,
        insecure: line.insecure || base.insecure,
        allow_basic: line.allow_basic || base.allow_basic,
        keep_camera_host: line.keep_camera_host || base.keep_camera_host,
        auth: line.auth.or(base.auth),
        cert_sha256: line
            .cert_sha256
            .clone()
            .or_else(|| base.cert_sha256.clone()),
        connect_timeout: line.connect_timeout.or(base.connect_timeout),
        timeout: line.timeout.or(base.timeout),
        max_response: line.max_response.or(base.max_response),
        verbose: base.verbose,
    }
}
