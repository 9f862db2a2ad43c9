//! The `onvif` binary in a scrubbed environment: no `ONVIF_*` variable from the developer's
//! shell, a private home (config, data, working directory) so that no config file of theirs is
//! read and nothing is written outside it, and `NO_COLOR`.
//!
//! The binary's path exists only in the CLI crate's own tests (`CARGO_BIN_EXE_onvif`), so
//! [`Cli::new`] takes it; [`cli!`](crate::cli!) writes that for a test of that crate.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};

use portable_pty::{CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

use crate::sim::Sim;

/// `Cli::new(env!("CARGO_BIN_EXE_onvif"))`, for a test of the crate that builds the binary.
#[macro_export]
macro_rules! cli {
    () => {
        $crate::cli::Cli::new(env!("CARGO_BIN_EXE_onvif"))
    };
}

/// How to run the binary: its path, the home each run gets, variables to add.
#[derive(Debug, Clone)]
pub struct Cli {
    bin: PathBuf,
    home: Option<PathBuf>,
    vars: Vec<(String, OsString)>,
}

/// The environment of one run: variables to remove, variables to set, and the private home
/// (also the working directory).
#[derive(Debug, Clone)]
pub struct Environment {
    /// The run's home: `HOME`, with `config/` (`XDG_CONFIG_HOME`) and `data/` (`XDG_DATA_HOME`).
    pub home: PathBuf,
    /// Variables of this process that the run must not see (every `ONVIF_*`).
    pub remove: Vec<String>,
    /// Variables the run gets.
    pub set: Vec<(String, OsString)>,
}

impl Cli {
    /// The binary at `bin`; each run gets a fresh, empty home unless [`Cli::home`] names one.
    pub fn new(bin: impl Into<PathBuf>) -> Cli {
        Cli {
            bin: bin.into(),
            home: None,
            vars: Vec::new(),
        }
    }

    /// Every run gets this home (config in `home/config`, data in `home/data`).
    pub fn home(mut self, home: &Path) -> Cli {
        self.home = Some(home.to_path_buf());
        self
    }

    /// Every run gets this variable too (set after the kit's own, so it may replace them).
    pub fn var(mut self, key: &str, value: impl Into<OsString>) -> Cli {
        self.vars.push((key.into(), value.into()));
        self
    }

    /// The environment for one run (a fresh home is made now, unless one was named).
    pub fn environment(&self) -> Environment {
        let home = self.home.clone().unwrap_or_else(|| scratch_dir("home"));
        let remove = std::env::vars_os()
            .filter_map(|(k, _)| k.into_string().ok())
            .filter(|k| k.starts_with("ONVIF_"))
            .collect();
        let mut set: Vec<(String, OsString)> = vec![
            ("HOME".into(), home.clone().into()),
            ("XDG_CONFIG_HOME".into(), home.join("config").into()),
            ("XDG_DATA_HOME".into(), home.join("data").into()),
            ("NO_COLOR".into(), "1".into()),
        ];
        set.extend(self.vars.iter().cloned());
        Environment { home, remove, set }
    }

    /// `onvif ARGS`, ready to run, in the scrubbed environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let env = self.environment();
        let mut c = Command::new(&self.bin);
        c.args(args);
        for k in &env.remove {
            c.env_remove(k);
        }
        c.envs(env.set.iter().map(|(k, v)| (k, v)));
        c.current_dir(&env.home);
        c
    }

    /// Run `onvif ARGS` to its end, off the runtime's threads (which serve the simulator).
    pub async fn run(&self, args: &[&str]) -> Output {
        output(self.command(args)).await
    }

    /// `onvif -H sim -u USER -p PASSWORD REST`, with the camera's own credentials.
    pub async fn run_on(&self, sim: &Sim, rest: &[&str]) -> Output {
        let mut args = sim.cli_args();
        args.extend(rest.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args).await
    }

    /// [`Cli::run_on`] with `input` on standard input (see [`Cli::run_with_input`]).
    pub async fn run_on_with_input(&self, sim: &Sim, rest: &[&str], input: &str) -> Output {
        let mut args = sim.cli_args();
        args.extend(rest.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run_with_input(&args, input).await
    }

    /// Run `onvif ARGS` with `input` on its standard input (a pipe, closed after it).
    pub async fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut c = self.command(args);
        let input = input.to_owned();
        tokio::task::spawn_blocking(move || {
            c.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            let written = child.stdin.take().unwrap().write_all(input.as_bytes());
            // A program may stop reading before the end (it refused a line): what it did
            // then is for the test to judge.
            if let Err(e) = written {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap()
    }

    /// Start `onvif ARGS` (a command that serves a simulated camera, e.g. `sim --port 0`) and
    /// read the URL it prints first. Its standard input is a pipe (`child.stdin`: the
    /// simulator's console). The process is killed when the value is dropped.
    pub fn start_sim(&self, args: &[&str]) -> SimProcess {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting onvif {args:?}: {e}"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        SimProcess {
            child,
            url: line.trim().to_owned(),
        }
    }

    /// `onvif ARGS` on a new pseudo-terminal of 24 rows and 100 columns, its output collected
    /// by a reader thread. Set `TERM` with [`Cli::var`].
    pub fn pty(&self, args: &[&str]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let env = self.environment();
        let mut cmd = CommandBuilder::new(&self.bin);
        cmd.args(args);
        for k in &env.remove {
            cmd.env_remove(k);
        }
        for (k, v) in &env.set {
            cmd.env(k, v);
        }
        cmd.cwd(&env.home);
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Pty {
            master: pair.master,
            slave: pair.slave,
            child,
            writer,
            output,
        }
    }
}

/// A program on a pseudo-terminal (see [`Cli::pty`]).
pub struct Pty {
    /// The terminal's side (kept open while the program runs).
    pub master: Box<dyn MasterPty + Send>,
    /// The program's side, where another program (e.g. `stty -a`) can run afterwards.
    pub slave: Box<dyn SlavePty + Send>,
    /// The program.
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Keys typed into the terminal.
    pub writer: Box<dyn Write + Send>,
    /// What the terminal shows, as read.
    pub output: Receiver<Vec<u8>>,
}

/// `onvif sim` (or another command that serves a camera) as a child process.
#[derive(Debug)]
pub struct SimProcess {
    /// The process, killed on drop.
    pub child: Child,
    /// The first line it printed: the camera's URL.
    pub url: String,
}

impl SimProcess {
    /// `host:port` of the URL.
    pub fn host(&self) -> String {
        let rest = self.url.split_once("://").map_or(&*self.url, |(_, r)| r);
        rest.split('/').next().unwrap_or_default().to_owned()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run a command to its end, off the runtime's threads.
pub async fn output(mut c: Command) -> Output {
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

/// Standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output of a command that succeeded, read as JSON (`--json`); a failure, or
/// output that is not JSON, fails the test with what the command said.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// A fresh, empty directory under the system's temporary one, named after `what`.
pub fn scratch_dir(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "onvif-test-{}-{what}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Send `signal` (`TERM`, `INT`, `HUP`, `KILL`) to the process `pid`, as `kill` does; whether
/// it was sent.
pub fn signal(pid: u32, signal: &str) -> bool {
    Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
