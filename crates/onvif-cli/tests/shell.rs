//! `onvif shell`, driven through a pseudo-terminal like a person would, against the simulated
//! camera on 127.0.0.1, with a scrubbed environment (no ONVIF_* variables, private config and
//! data directories).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use onvif_testkit::cli::Pty;
use onvif_testkit::peer::silent;
use onvif_testkit::{PASSWORD, Sim, USER, cli, scratch_dir, stderr, stdout};
use portable_pty::{Child, CommandBuilder, MasterPty, SlavePty};
/// How long any one expected answer may take.
const PATIENCE: Duration = Duration::from_secs(20);

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
    /// `onvif ARGS` with config in `home/config` and data in `home/data`.
    fn start(args: &[&str], home: &Path) -> Session {
        let Pty {
            master,
            slave,
            child,
            writer,
            output: chunks,
        } = cli!().home(home).var("TERM", "xterm").pty(args);
        Session {
            _master: master,
            slave,
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

/// A home whose config names the simulator "garden", readable by its owner only.
fn home_with_garden(host: &str) -> PathBuf {
    let home = scratch_dir("shell");
    let dir = home.join("config").join("onvif");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
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
    home
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interactive_session_through_a_terminal() {
    let h = Sim::start().await;
    let other = Sim::start().await;
    let host = h.addr().to_string();
    let other_host = other.addr().to_string();
    let home = home_with_garden(&host);
    // A camera that accepts connections and never answers.
    let silent = silent().await.to_string();
    let data_home = home.join("data");
    tokio::task::spawn_blocking(move || {
        let prompt = format!("{host}> ");
        let mut s = Session::start(&["-H", &host, "-u", USER, "-p", PASSWORD, "shell"], &home);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_come_from_stdin_without_a_terminal() {
    let h = Sim::start().await;
    let o = cli!()
        .run_on_with_input(&h, &["shell"], "info\nhostname\n")
        .await;
    let stdout = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout.contains("ONVIF Toolkit"), "{stdout}");
    assert!(stdout.contains("onvif-sim"), "{stdout}");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_without_end_and_servers_are_refused_with_a_reason() {
    let h = Sim::start().await;
    // Servers are refused; diff runs (here on a file that is not there).
    let o = cli!()
        .run_on_with_input(
            &h,
            &["shell"],
            "ui\nbridge\ndiff /nonexistent/a.har /nonexistent/b.har\n",
        )
        .await;
    let err = stderr(&o);
    assert_eq!(
        err.matches("run them outside the shell").count(),
        2,
        "{err}"
    );
    assert!(
        !err.contains("no camera") && !err.contains("does not talk"),
        "{err}"
    );
    assert!(err.contains("a.har"), "{err}");
    // Nor are they offered by the shell's help.
    let o = cli!().run_on_with_input(&h, &["shell"], "help\n").await;
    let help = stdout(&o);
    assert!(help.contains("  discover "), "{help}");
    assert!(
        !help.contains("  bridge ") && !help.contains("  ui "),
        "{help}"
    );
    // A megabyte with no line break is no command.
    let o = cli!()
        .run_on_with_input(&h, &["shell"], &"x".repeat(1 << 20))
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("longer than 65536 bytes"),
        "{}",
        stderr(&o)
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_take_flags_help_trace_and_dump_and_the_last_failure_is_the_exit_code() {
    let h = Sim::start().await;
    let input = "--json hostname\n\
                 help info  # a comment\n\
                 trace on\n\
                 hostname\n\
                 trace off\n\
                 raw GetScopes\n\
                 dump\n\
                 nope\n";
    let o = cli!().run_on_with_input(&h, &["shell"], input).await;
    let (stdout, stderr) = (stdout(&o), stderr(&o));
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
