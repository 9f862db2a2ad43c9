//! `onvif shell`: an interactive session with a camera.
//!
//! Every line is split like a shell would (quotes, backslashes, `#` comments) and parsed by the
//! same clap definitions as the command line, so each command is defined once: `info`,
//! `profiles --json`, `ptz preset goto Door`, `raw GetHostname` work as they do after `onvif`.
//! The shell adds `connect HOST`, `use NAME`, `dump`, `trace on|off`, a bare `ptz` (the arrow-key
//! mode of `ptz control`) and `exit`; clap's own `help` subcommand serves `help [command]`.
//!
//! On a terminal the line editor is rustyline: history kept between sessions in the user's
//! data directory, tab completion of commands, flags, profile tokens and preset names (from a
//! cache filled after each connect, never from the network while Tab is pressed). Ctrl-C
//! cancels the running command, Ctrl-D leaves. Without a terminal, lines are read from stdin
//! as they come, so `echo info | onvif -H cam shell` works.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::{CommandFactory, FromArgMatches, Subcommand};
use onvif::Camera;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;

use crate::cli::{Cli, Command, Global, OnOff};
use crate::commands;
use crate::config;
use crate::output::Out;
use crate::words::{quote, tokenize};
use crate::{Failure, exit};

// Commands that exist only in the shell, added to the CLI's own command tree. (A plain
// comment: a doc comment here would become the tree's `about`.)
#[derive(Debug, Clone, Subcommand)]
enum ShellCmd {
    /// Connect to a camera by address (IP, IP:PORT or URL); -u/-p as on the command line,
    /// else the shell's own credentials
    Connect {
        /// Camera address: IP, IP:PORT, or http(s)://HOST:PORT/path
        host: String,
    },
    /// Switch to a camera from the config file
    Use {
        /// The camera's name in the config file
        name: String,
    },
    /// Show the last answer from the camera as indented XML
    Dump,
    /// Show every HTTP exchange from now on (on), or stop (off); without an argument, say which
    Trace {
        /// on or off [default: say which it is]
        #[arg(value_enum)]
        state: Option<OnOff>,
    },
    /// Leave the shell (also: quit, Ctrl-D)
    #[command(visible_alias = "quit")]
    Exit,
}

const SHELL_HELP: &str = "\
In the shell: `connect HOST` or `use NAME` chooses the camera, `dump` shows the last answer,
`trace on|off` shows every HTTP exchange, `ptz` moves the camera with the arrow keys (q returns),
`help COMMAND` explains a command. Ctrl-C cancels a running command, Ctrl-D or `exit` leaves.";

/// The CLI's command tree with the shell's commands added, for parsing, help and completion.
fn command_tree() -> clap::Command {
    // Connection options on a line work as on the command line, before or after the command;
    // `connect` and `use` take them too (`connect`'s HOST is its own -H).
    let tree = ShellCmd::augment_subcommands(Cli::command());
    let mut tree = crate::cli::with_connection_options(tree, |cmd, id| {
        let no_camera = crate::cli::NO_CAMERA_COMMANDS.contains(&cmd)
            || matches!(cmd, "dump" | "trace" | "exit");
        let own_positional = cmd == "connect" && id == "host";
        !no_camera && !own_positional
    })
    .about("Every command of `onvif`, one per line, and the shell's own")
    .mut_subcommand("shell", |c| c.hide(true))
    .no_binary_name(true)
    .override_usage("[OPTIONS] <COMMAND>")
    .after_help(SHELL_HELP);
    tree.build();
    tree
}

/// What completion draws on; filled after each connect.
#[derive(Debug, Default)]
struct Cache {
    profiles: Vec<String>,
    presets: Vec<String>,
    cameras: Vec<String>,
}

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
}

/// Run the shell with the flags it was started with (`onvif -H cam shell`).
pub async fn run(g: &Global) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal();
    let mut s = Session {
        global: g.clone(),
        tree: command_tree(),
        cam: None,
        label: None,
        flags: None,
        trace: Arc::new(AtomicBool::new(g.trace)),
        cache: Arc::new(Mutex::new(Cache::default())),
        last: None,
        status: 0,
        interactive,
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

/// Lines that may show a password are kept out of the history file: `-p` and `--password`
/// in any spelling (`-p=x`, `-px`, short flags clustered with `p`, `--Password`), long flags
/// that look like a mistyped password flag (`--pasword`, `--passwd`, `--pw`), and addresses
/// with user-info, with or without a scheme (`admin:pw@cam`, `http://u:pw@cam`).
fn holds_password(words: &[String]) -> bool {
    words.iter().any(|w| {
        if let Some(long) = w.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or("").to_ascii_lowercase();
            return looks_like_password_flag(&name);
        }
        if let Some(short) = w.strip_prefix('-')
            && !short.is_empty()
            && !short.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        {
            return short.contains(['p', 'P']);
        }
        has_userinfo(w)
    })
}

/// `password` and what a hurried hand makes of it.
fn looks_like_password_flag(name: &str) -> bool {
    name.contains("pass")
        || name.contains("pw")
        || name.contains("pwd")
        || name.contains("secret")
        || edit_distance(name, "password") <= 3
}

/// An address with user-info: before the first `/ ? #` (after any `scheme://`) an `@`.
fn has_userinfo(word: &str) -> bool {
    let rest = word.split_once("://").map_or(word, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .is_some_and(|authority| authority.contains('@'))
}

/// Levenshtein distance (short words only: flag names).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

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
                    let words = tokenize(&line).words();
                    if !words.is_empty() && !holds_password(&words) {
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
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map(|n| (n, line))
            })
            .await
            .map_err(|e| Failure {
                code: exit::INTERNAL,
                message: format!("reading stdin stopped: {e}"),
            })?;
            let line = match read {
                Ok((0, _)) => break,
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
        let split = tokenize(line);
        if split.open_quote {
            eprintln!("error: unterminated quote");
            self.status = exit::USAGE;
            return Flow::Continue;
        }
        let mut words = split.words();
        if words.is_empty() {
            return Flow::Continue;
        }
        // A bare `ptz` (with or without --profile) is the arrow-key mode.
        if words[0] == "ptz"
            && (words.len() == 1
                || (words.len() == 2 && words[1].starts_with("--profile="))
                || (words.len() == 3 && words[1] == "--profile"))
        {
            words.push("control".into());
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
        let target = commands::resolve_target(g)?;
        let mut cfg = commands::client_config(&target, g);
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
            Command::Decode { .. }
            | Command::Sim(_)
            | Command::Discover(_)
            | Command::Demo
            | Command::Completions { .. }
            | Command::Manpage { .. } => {
                // Boxed: `commands::run` leads back here through `shell`.
                return self
                    .cancellable(Box::pin(commands::run(cli)))
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
        let result = self
            .cancellable(commands::execute(&cam, &cli.command, &out))
            .await
            .unwrap_or(Ok(()));
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

/// A device name worth offering on Tab: one with control characters (escape sequences the
/// completion list would send to the terminal) could not be typed anyway, nor one of a
/// length no person types.
fn completable(name: &str) -> bool {
    name.len() <= 256 && !name.chars().any(char::is_control)
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
        insecure: line.insecure || base.insecure,
        allow_basic: line.allow_basic || base.allow_basic,
        keep_camera_host: line.keep_camera_host || base.keep_camera_host,
        connect_timeout: line.connect_timeout.or(base.connect_timeout),
        timeout: line.timeout.or(base.timeout),
        max_response: line.max_response.or(base.max_response),
        verbose: base.verbose,
    }
}

// ---- completion ----

/// rustyline's view of the shell: completion from the command tree and the cache.
struct Helper {
    tree: Arc<clap::Command>,
    cache: Arc<Mutex<Cache>>,
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let cache = match self.cache.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        Ok(complete(&self.tree, &cache, before))
    }
}

impl Hinter for Helper {
    type Hint = String;
}
impl Highlighter for Helper {}
impl Validator for Helper {}
impl rustyline::Helper for Helper {}

/// Candidates for the word under the cursor: its start and the words that fit.
fn complete(tree: &clap::Command, cache: &Cache, before: &str) -> (usize, Vec<Pair>) {
    let split = tokenize(before);
    let mut words = split.words;
    let (start, partial) = if split.ends_between && !split.open_quote {
        (before.len(), String::new())
    } else {
        match words.pop() {
            Some(w) => w,
            None => (before.len(), String::new()),
        }
    };

    // `help ptz pre…` completes like `ptz pre…`, command names only.
    let help = words.first().is_some_and(|(_, w)| w == "help");
    if help {
        words.remove(0);
    }

    // Walk the tree along the finished words.
    let mut cur = tree;
    let mut path: Vec<String> = Vec::new();
    let mut pending: Option<&clap::Arg> = None;
    let mut positional = 0usize;
    for (_, w) in &words {
        if pending.take().is_some() {
            continue;
        }
        if let Some(long) = w.strip_prefix("--") {
            if !long.contains('=') {
                pending = find_long(cur, tree, long).filter(|a| takes_value(a));
            }
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            pending = shorts
                .chars()
                .last()
                .and_then(|c| find_short(cur, tree, c))
                .filter(|a| takes_value(a));
        } else if let Some(sub) = cur.find_subcommand(w) {
            cur = sub;
            path.push(sub.get_name().to_owned());
            positional = 0;
        } else {
            positional += 1;
        }
    }

    let mut found: Vec<String> = Vec::new();
    if help {
        found.extend(
            cur.get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_owned()),
        );
    } else if let Some(arg) = pending {
        found = values_for(arg, &path, cache);
    } else if partial.starts_with('-') {
        let mut seen = std::collections::BTreeSet::new();
        for a in cur.get_arguments().chain(tree.get_arguments()) {
            if a.is_hide_set() {
                continue;
            }
            if let Some(l) = a.get_long() {
                seen.insert(format!("--{l}"));
            }
        }
        found = seen.into_iter().collect();
    } else if cur.has_subcommands() {
        for sub in cur.get_subcommands() {
            if sub.is_hide_set() {
                continue;
            }
            found.push(sub.get_name().to_owned());
            found.extend(sub.get_visible_aliases().map(str::to_owned));
        }
    } else if let Some(arg) = cur.get_positionals().nth(positional) {
        found = values_for(arg, &path, cache);
    }
    let pairs = found
        .into_iter()
        .filter(|c| c.starts_with(partial.as_str()))
        .map(|c| Pair {
            replacement: format!("{} ", quote(&c)),
            display: c,
        })
        .collect();
    (start, pairs)
}

fn takes_value(a: &clap::Arg) -> bool {
    a.get_action().takes_values()
}

fn find_long<'a>(
    cur: &'a clap::Command,
    root: &'a clap::Command,
    long: &str,
) -> Option<&'a clap::Arg> {
    cur.get_arguments()
        .chain(root.get_arguments())
        .find(|a| a.get_long() == Some(long))
}

fn find_short<'a>(
    cur: &'a clap::Command,
    root: &'a clap::Command,
    c: char,
) -> Option<&'a clap::Arg> {
    cur.get_arguments()
        .chain(root.get_arguments())
        .find(|a| a.get_short() == Some(c))
}

/// The values an option or positional argument can take, as far as we know them.
fn values_for(arg: &clap::Arg, path: &[String], cache: &Cache) -> Vec<String> {
    let id = arg.get_id().as_str();
    let under = |p: &[&str]| path.len() >= p.len() && path[path.len() - p.len()..] == *p;
    if id == "profile" {
        return cache.profiles.clone();
    }
    if id == "camera" || (under(&["use"]) && id == "name") {
        return cache.cameras.clone();
    }
    if id == "name" && (under(&["preset", "goto"]) || under(&["preset", "remove"])) {
        return cache.presets.clone();
    }
    arg.get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect()
}

// ---- dump ----

fn colour_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Colour indented XML for a terminal: element names, attribute names, attribute values and
/// text each in their own colour; declarations and comments dimmed.
fn colourise_xml(xml: &str) -> String {
    use crossterm::style::{Color, Stylize};
    let mut out = String::with_capacity(xml.len() * 2);
    let paint = |out: &mut String, s: &str, c: Color| {
        if !s.is_empty() {
            out.push_str(&s.with(c).to_string());
        }
    };
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            paint(&mut out, rest, Color::Yellow);
            break;
        };
        let (text, after) = rest.split_at(lt);
        // Indentation stays plain; the text between tags is coloured.
        let trimmed = text.trim_start();
        out.push_str(&text[..text.len() - trimmed.len()]);
        paint(&mut out, trimmed, Color::Yellow);
        if after.starts_with("<?") || after.starts_with("<!") {
            let end = after.find('>').map_or(after.len(), |i| i + 1);
            paint(&mut out, &after[..end], Color::DarkGrey);
            rest = &after[end..];
            continue;
        }
        let end = tag_end(after);
        colour_tag(&mut out, &after[..end]);
        rest = &after[end..];
    }
    out
}

/// Where a tag starting at `s[0] == '<'` ends (just past its `>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i + 1,
            None => {}
        }
    }
    s.len()
}

fn colour_tag(out: &mut String, tag: &str) {
    use crossterm::style::{Color, Stylize};
    let push = |out: &mut String, s: &str, c: Color| {
        if !s.is_empty() {
            out.push_str(&s.with(c).to_string());
        }
    };
    // The name runs from `<` (or `</`) to a space, `>` or the `/` of `/>`.
    let name_end = tag
        .char_indices()
        .find(|&(i, c)| i > 1 && (c.is_whitespace() || c == '>' || c == '/'))
        .map_or(tag.len(), |(i, _)| i);
    push(out, &tag[..name_end], Color::Blue);
    let mut rest = &tag[name_end..];
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('>') || rest.starts_with("/>") || rest.starts_with("?>") {
            push(out, rest, Color::Blue);
            break;
        }
        let eq = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        push(out, &rest[..eq], Color::Cyan);
        rest = &rest[eq..];
        if let Some(r) = rest.strip_prefix('=') {
            out.push('=');
            rest = r;
            let q = rest.chars().next();
            let vend = match q {
                Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
                _ => rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len()),
            };
            push(out, &rest[..vend], Color::Green);
            rest = &rest[vend..];
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn device_names_with_escape_sequences_are_not_offered_on_tab() {
        assert!(completable("Profile_1"));
        assert!(completable("Front door"));
        assert!(!completable("Door\x1b]0;pwned\x07"));
        assert!(!completable(&"x".repeat(10_000)));
    }

    #[test]
    fn lines_that_may_show_a_password_stay_out_of_the_history() {
        let held = |line: &str| holds_password(&tokenize(line).words());
        for line in [
            "connect admin:Pw-9x@127.0.0.1",
            "connect admin@127.0.0.1",
            "connect http://admin:Pw-9x@127.0.0.1/onvif/device_service",
            "info --pasword Pw-9x",
            "info --passwd Pw-9x",
            "info --pass=Pw-9x",
            "info --Password Pw-9x",
            "info --pw Pw-9x",
            "info --passowrd Pw-9x",
            "info -p Pw-9x",
            "info -pPw-9x",
            "info -p=Pw-9x",
            "info -P Pw-9x",
            "-vp Pw-9x info",
            "info -u admin --password=Pw-9x",
        ] {
            assert!(held(line), "{line:?} would be kept in the history");
        }
        for line in [
            "info",
            "connect 127.0.0.1:8000",
            "connect http://cam.local/onvif/device_service",
            "stream-uri --profile Profile_2",
            "ptz move --pan -0.5 --tilt 0.2",
            "use garden",
            "imaging set --brightness 60",
        ] {
            assert!(!held(line), "{line:?} would be left out of the history");
        }
    }

    #[test]
    fn lines_split_like_a_shell() {
        let w = |s: &str| tokenize(s).words();
        assert_eq!(w("info"), ["info"]);
        assert_eq!(
            w("  ptz  preset goto 'Front door' "),
            ["ptz", "preset", "goto", "Front door"]
        );
        assert_eq!(w(r#"raw "a \"b\" c" d\ e"#), ["raw", r#"a "b" c"#, "d e"]);
        assert_eq!(w("info # a comment"), ["info"]);
        assert_eq!(w("a'b'c"), ["abc"]);
        assert!(tokenize("raw 'oops").open_quote);
        assert!(w("").is_empty());
    }

    #[test]
    fn words_are_quoted_when_they_need_it() {
        assert_eq!(quote("Profile_1"), "Profile_1");
        assert_eq!(quote("Front door"), "'Front door'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(tokenize(&quote("it's")).words(), ["it's"]);
    }

    fn names(before: &str, cache: &Cache) -> (usize, Vec<String>) {
        let tree = command_tree();
        let (start, pairs) = complete(&tree, cache, before);
        (start, pairs.into_iter().map(|p| p.display).collect())
    }

    #[test]
    fn completion_follows_the_command_tree_and_the_cache() {
        let cache = Cache {
            profiles: vec!["Profile_1".into(), "Profile_2".into()],
            presets: vec!["Front door".into(), "Gate".into()],
            cameras: vec!["garden".into(), "porch".into()],
        };
        let (start, c) = names("inf", &cache);
        assert_eq!((start, c), (0, vec!["info".to_owned()]));
        let (_, c) = names("", &cache);
        assert!(c.contains(&"connect".to_owned()) && c.contains(&"profiles".to_owned()));
        let (start, c) = names("stream-uri --profile Prof", &cache);
        assert_eq!(start, 21);
        assert_eq!(c, ["Profile_1", "Profile_2"]);
        let (_, c) = names("stream-uri --tr", &cache);
        assert_eq!(c, ["--trace", "--transport"]);
        let (_, c) = names("stream-uri --transport ", &cache);
        assert!(c.contains(&"rtsp-tcp".to_owned()));
        let (_, c) = names("ptz preset goto ", &cache);
        assert_eq!(c, ["Front door", "Gate"]);
        let (_, c) = names("ptz pre", &cache);
        assert_eq!(c, ["presets", "preset"]);
        let (_, c) = names("use ", &cache);
        assert_eq!(c, ["garden", "porch"]);
        let (_, c) = names("-H 10.0.0.1 in", &cache);
        assert_eq!(c, ["info"]);
        let (_, c) = names("help pro", &cache);
        assert_eq!(c, ["profiles"]);
        let (_, c) = names("help ptz preset g", &cache);
        assert_eq!(c, ["goto"]);
        let (_, c) = names("trace o", &cache);
        assert_eq!(c, ["on", "off"]);
        let tree = command_tree();
        let (_, p) = complete(&tree, &cache, "ptz preset goto Fr");
        assert_eq!(p[0].replacement, "'Front door' ");
    }

    #[test]
    fn the_shell_tree_parses_cli_and_shell_commands() {
        let mut tree = command_tree();
        let m = tree.try_get_matches_from_mut(["--json", "info"]).unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        assert!(cli.global.json);
        assert!(matches!(cli.command, Command::Info));
        let m = tree
            .try_get_matches_from_mut(["connect", "10.0.0.8:2020"])
            .unwrap();
        assert!(matches!(
            ShellCmd::from_arg_matches(&m).unwrap(),
            ShellCmd::Connect { host } if host == "10.0.0.8:2020"
        ));
        let m = tree.try_get_matches_from_mut(["quit"]).unwrap();
        assert!(matches!(
            ShellCmd::from_arg_matches(&m).unwrap(),
            ShellCmd::Exit
        ));
        let e = tree.try_get_matches_from_mut(["inf"]).unwrap_err();
        assert!(e.to_string().contains("info"), "{e}");
        let e = tree.try_get_matches_from_mut(["help", "info"]).unwrap_err();
        assert!(!e.use_stderr());
    }

    #[test]
    fn shell_lines_take_connection_options_where_commands_do() {
        let mut tree = command_tree();
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
        let missing = crate::cli::tests::arguments_without_help(&tree);
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }

    #[test]
    fn xml_is_coloured_piece_by_piece() {
        let s = colourise_xml("<a x=\"1\">\n  <b:c>t</b:c>\n  <d/>\n</a>");
        let plain: String = {
            // Strip the escape sequences: the text must be unchanged.
            let mut o = String::new();
            let mut it = s.chars();
            while let Some(c) = it.next() {
                if c == '\x1b' {
                    for d in it.by_ref() {
                        if d == 'm' {
                            break;
                        }
                    }
                } else {
                    o.push(c);
                }
            }
            o
        };
        assert_eq!(plain, "<a x=\"1\">\n  <b:c>t</b:c>\n  <d/>\n</a>");
        assert!(s.contains('\x1b'));
    }
}
