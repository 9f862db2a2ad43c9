//! `onvif shell`, driven through a pseudo-terminal like a person would, against the simulated
//! camera on 127.0.0.1, with a scrubbed environment (no ONVIF_* variables, private config and
//! data directories).
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use onvif_sim::{SimConfig, SimHandle};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

const USER: &str = "admin";
const PASSWORD: &str = "Sup3r-s3cret!";
/// How long any one expected answer may take.
const PATIENCE: Duration = Duration::from_secs(20);

async fn sim() -> SimHandle {
    SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .start()
        .await
        .unwrap()
}

/// A fresh, empty directory.
fn scratch(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "onvif-shell-test-{}-{what}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The real binary on a pseudo-terminal, its output collected by a reader thread.
struct Session {
    _master: Box<dyn MasterPty + Send>,
    slave: Box<dyn SlavePty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    chunks: Receiver<Vec<u8>>,
    /// Everything read so far.
    out: String,
    /// How much of `out` earlier expectations consumed.
    seen: usize,
}

impl Session {
    fn start(args: &[&str], config_home: &Path, data_home: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_onvif"));
        cmd.args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("ONVIF_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("XDG_CONFIG_HOME", config_home);
        cmd.env("XDG_DATA_HOME", data_home);
        cmd.env("TERM", "xterm");
        cmd.env("NO_COLOR", "1");
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, chunks) = std::sync::mpsc::channel();
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
        Session {
            _master: pair.master,
            slave: pair.slave,
            child,
            writer,
            chunks,
            out: String::new(),
            seen: 0,
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Wait for `needle` in the output not yet consumed; consume up to its end and return
    /// what came before it.
    fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(i) = self.out[self.seen..].find(needle) {
                let before = self.out[self.seen..self.seen + i].to_owned();
                self.seen += i + needle.len();
                return before;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(c) => self.out.push_str(&String::from_utf8_lossy(&c)),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => panic!(
                    "no {needle:?} within {PATIENCE:?}; unread output:\n{:?}\nall output:\n{:?}",
                    &self.out[self.seen..],
                    self.out
                ),
            }
        }
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the shell did not exit; output:\n{:?}",
                self.out
            );
            // Keep draining so the child never blocks on a full pty.
            if let Ok(c) = self.chunks.recv_timeout(Duration::from_millis(20)) {
                self.out.push_str(&String::from_utf8_lossy(&c));
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A config naming the simulator "garden", readable by its owner only.
fn config_with_garden(host: &str) -> PathBuf {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("onvif")).unwrap();
    let file = dir.join("onvif").join("config.toml");
    std::fs::write(
        &file,
        format!(
            "[cameras.garden]\nhost = \"{host}\"\nuser = \"{USER}\"\npassword = \"{PASSWORD}\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interactive_session_through_a_terminal() {
    let h = sim().await;
    let other = sim().await;
    let host = h.addr().to_string();
    let other_host = other.addr().to_string();
    let config_home = config_with_garden(&host);
    // A camera that accepts connections and never answers.
    let silent_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent = silent_listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = silent_listener.accept().await {
            held.push(sock);
        }
    });
    let data_home = scratch("data");
    let data = data_home.clone();
    tokio::task::spawn_blocking(move || {
        let prompt = format!("{host}> ");
        let mut s = Session::start(
            &["-H", &host, "-u", USER, "-p", PASSWORD, "shell"],
            &config_home,
            &data,
        );
        s.expect(&prompt);

        s.send("info\r");
        s.expect("ONVIF Toolkit");
        s.expect(&prompt);

        s.send("profiles\r");
        s.expect("Profile_1");
        s.expect(&prompt);

        // The last answer, as XML.
        s.send("dump\r");
        s.expect("<s:Envelope");
        s.expect("GetProfilesResponse");
        s.expect(&prompt);

        // A typo: clap's error with its suggestion, and the shell goes on.
        s.send("inf\r");
        s.expect("unrecognized subcommand 'inf'");
        s.expect("'info'");
        s.expect(&prompt);

        // History: the up arrow brings back the previous line.
        s.send("hostname\r");
        s.expect("onvif-sim");
        s.expect(&prompt);
        s.send("\x1b[A");
        s.expect("hostname");
        s.send("\r");
        s.expect("From DHCP");
        s.expect(&prompt);

        // Tab completes a profile token from the cache: the common prefix first, then the
        // list on a second Tab.
        s.send("stream-uri --profile Prof\t");
        s.expect("Profile_");
        s.send("\t");
        s.expect("Profile_2");
        s.send("2\r");
        s.expect("rtsp://");
        s.expect(&prompt);

        // The PTZ mode, and back.
        s.send("ptz\r");
        s.expect("onvif ptz control");
        s.expect("q or Esc quit");
        s.send("q");
        s.expect(&prompt);

        // Ctrl-C at the prompt drops the line; the next one runs.
        s.send("reboot\x03");
        s.expect(&prompt);
        s.send("hostname\r");
        s.expect("onvif-sim");
        s.expect(&prompt);

        // Ctrl-C cancels a running command (here one waiting on a camera that never answers)
        // and keeps the shell.
        // (`--trace` on the line shows when the request has gone out.)
        s.send(&format!("-H {silent} --trace info\r"));
        s.expect(">>> POST");
        s.send("\x03");
        s.expect("cancelled");
        s.expect(&prompt);

        // Another camera, which then stops answering: an error line, not an exit.
        let other_prompt = format!("{other_host}> ");
        s.send(&format!("connect {other_host} -u {USER} -p {PASSWORD}\r"));
        s.expect(&other_prompt);
        tokio::runtime::Handle::current().block_on(other.shutdown());
        s.send("info\r");
        s.expect("error:");
        s.expect(&other_prompt);

        // A camera from the config, by name.
        s.send("use garden\r");
        s.expect("garden> ");
        s.send("hostname\r");
        s.expect("onvif-sim");
        s.expect("garden> ");

        // Lines that show the password, however written, stay out of the history.
        s.send(&format!("connect {USER}:{PASSWORD}@{host}\r"));
        s.expect("[credentials]@");
        s.expect("garden> ");
        s.send(&format!("info --pasword {PASSWORD}\r"));
        s.expect("unexpected argument");
        s.expect("garden> ");

        // Ctrl-D at an empty prompt leaves.
        s.send("\x04");
        let status = s.wait_exit();
        assert!(status.success(), "exit status {status:?}");

        // The terminal is sane: canonical mode and echo are back on.
        let mut stty = CommandBuilder::new("stty");
        stty.arg("-a");
        let mut c = s.slave.spawn_command(stty).unwrap();
        let from = s.seen;
        s.expect("echoke");
        let text = s.out[from..s.seen].to_string();
        let flags: Vec<&str> = text.split_whitespace().collect();
        for f in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(flags.contains(&f), "{f} is off; stty -a said: {text}");
        }
        let _ = c.wait();
    })
    .await
    .unwrap();

    // History is kept for the next session, without the line that held a password.
    let history = std::fs::read_to_string(data_home.join("onvif").join("history")).unwrap();
    assert!(
        history.contains("stream-uri --profile Profile_2"),
        "{history}"
    );
    assert!(history.contains("use garden"), "{history}");
    assert!(!history.contains(PASSWORD), "{history}");
    h.shutdown().await;
}

/// `onvif -H host -u .. -p .. shell` with `input` on a pipe.
async fn piped(host: String, input: &'static str) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_onvif"));
        c.args(["-H", &host, "-u", USER, "-p", PASSWORD, "shell"]);
        for (k, _) in std::env::vars() {
            if k.starts_with("ONVIF_") {
                c.env_remove(k);
            }
        }
        c.env("XDG_CONFIG_HOME", scratch("config"));
        c.env("XDG_DATA_HOME", scratch("data"));
        c.stdin(std::process::Stdio::piped());
        c.stdout(std::process::Stdio::piped());
        c.stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_come_from_stdin_without_a_terminal() {
    let h = sim().await;
    let o = piped(h.addr().to_string(), "info\nhostname\n").await;
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("ONVIF Toolkit"), "{stdout}");
    assert!(stdout.contains("onvif-sim"), "{stdout}");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_take_flags_help_trace_and_dump_and_the_last_failure_is_the_exit_code() {
    let h = sim().await;
    let input = "--json hostname\n\
                 help info  # a comment\n\
                 trace on\n\
                 hostname\n\
                 trace off\n\
                 raw GetScopes\n\
                 dump\n\
                 nope\n";
    let o = piped(h.addr().to_string(), input).await;
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stdout.contains("\"name\": \"onvif-sim\""), "{stdout}");
    assert!(stdout.contains("Usage: info"), "{stdout}");
    assert!(stdout.contains("trace is on") && stdout.contains("trace is off"));
    // Traced once: the hostname between `trace on` and `trace off`.
    assert_eq!(stderr.matches(">>> POST").count(), 1, "{stderr}");
    assert_eq!(
        stdout.matches("<tds:GetScopesResponse>").count(),
        2,
        "{stdout}"
    );
    assert!(
        stderr.contains("unrecognized subcommand 'nope'"),
        "{stderr}"
    );
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    h.shutdown().await;
}
