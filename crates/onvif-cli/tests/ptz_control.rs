//! `onvif ptz control` driven through a real pseudo-terminal (portable-pty: nothing to install)
//! against the simulated head on 127.0.0.1: held arrows move the head the right way, releasing
//! stops it, q leaves the head IDLE and the terminal sane.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use onvif_testkit::cli::Pty;
use onvif_testkit::{Sim, cli};
use portable_pty::{CommandBuilder, PtyPair};
const LIMIT: Duration = Duration::from_secs(15);

/// Everything the pty has printed so far, fed by a reader thread.
struct Screen {
    rx: mpsc::Receiver<Vec<u8>>,
    seen: Vec<u8>,
}

impl Screen {
    /// Wait (bounded) until `needle` has been printed after byte `from`; returns the offset
    /// just past it.
    fn wait_for(&mut self, needle: &str, from: usize) -> usize {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(i) = find(&self.seen[from.min(self.seen.len())..], needle.as_bytes()) {
                return from + i + needle.len();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.seen.extend_from_slice(&chunk),
                Err(_) => panic!(
                    "{needle:?} never appeared; the screen shows:\n{}",
                    String::from_utf8_lossy(&self.seen)
                ),
            }
        }
    }

    /// Take whatever else arrives until the writer side closes (bounded).
    fn drain(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(3);
        while let Ok(chunk) = self
            .rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.extend_from_slice(&chunk);
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn head(h: &Sim) -> onvif_sim::HeadState {
    h.ptz_head("Profile_1").unwrap()
}

async fn wait_head(h: &Sim, what: &str, f: impl Fn(&onvif_sim::HeadState) -> bool) {
    tokio::time::timeout(
        LIMIT,
        h.ptz_wait_until(|s| s.head("Profile_1").is_some_and(&f)),
    )
    .await
    .unwrap_or_else(|_| panic!("the head never {what}: {:?}", h.ptz_head("Profile_1")));
}

/// Hold a key: send it the way a terminal's auto-repeat does (every 40 ms).
async fn hold(w: &mut Box<dyn Write + Send>, key: &[u8], for_: Duration) {
    let end = Instant::now() + for_;
    while Instant::now() < end {
        w.write_all(key).unwrap();
        w.flush().unwrap();
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

type Child = Box<dyn portable_pty::Child + Send + Sync>;

/// Start `onvif ptz control` against `h` in a new pty.
fn spawn_control(h: &Sim) -> (PtyPair, Child, Box<dyn Write + Send>, Screen) {
    let mut args = h.cli_args();
    args.extend(["ptz".into(), "control".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let Pty {
        master,
        slave,
        child,
        writer,
        output,
    } = cli!().var("TERM", "xterm-256color").pty(&args);
    let screen = Screen {
        rx: output,
        seen: Vec::new(),
    };
    (PtyPair { slave, master }, child, writer, screen)
}

/// The program ended with `code`, the head stopped, and the terminal given back: the
/// alternate screen left and the cursor shown again.
async fn left_cleanly(mut child: Child, screen: &mut Screen, h: &Sim, code: u32) {
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.exit_code(), code, "exit status {status:?}");
    assert!(!head(h).await.moving(), "{:?}", head(h).await);
    screen.drain();
    let out = String::from_utf8_lossy(&screen.seen).into_owned();
    assert!(
        out.contains("\x1b[?1049l"),
        "no alternate-screen exit in {out:?}"
    );
    assert!(
        out.contains("\x1b[?25h"),
        "cursor not shown again in {out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrows_move_the_head_release_stops_it_and_q_restores_the_terminal() {
    let h = Sim::builder().start().await;
    let (pty, child, mut w, mut screen) = spawn_control(&h);
    let at = screen.wait_for("arrows pan/tilt", 0);
    screen.wait_for("Position", at);
    let start = head(&h).await;

    // Hold → : the head pans right while the key repeats...
    let hold_right = hold(&mut w, b"\x1b[C", Duration::from_millis(1200));
    let moving = wait_head(&h, "started moving", |s| s.pan_tilt_moving);
    tokio::join!(hold_right, moving);
    // ...and stops soon after the repeats stop.
    wait_head(&h, "stopped after the key was released", |s| {
        !s.pan_tilt_moving
    })
    .await;
    let after_right = head(&h).await;
    assert!(
        after_right.pan > start.pan + 0.05,
        "{start:?} -> {after_right:?}"
    );
    assert!(
        (after_right.tilt - start.tilt).abs() < 1e-6,
        "{after_right:?}"
    );

    // ↑ once: tilts up, and stops when no repeat follows.
    w.write_all(b"\x1b[A").unwrap();
    w.flush().unwrap();
    wait_head(&h, "started tilting", |s| s.pan_tilt_moving).await;
    wait_head(&h, "stopped tilting", |s| !s.pan_tilt_moving).await;
    let after_up = head(&h).await;
    assert!(
        after_up.tilt > after_right.tilt,
        "{after_right:?} -> {after_up:?}"
    );

    // A move in progress, then q: the head is left IDLE and the program exits cleanly.
    w.write_all(b"\x1b[D").unwrap();
    w.flush().unwrap();
    wait_head(&h, "started panning left", |s| s.pan_tilt_moving).await;
    w.write_all(b"q").unwrap();
    w.flush().unwrap();
    left_cleanly(child, &mut screen, &h, 0).await;

    // The terminal is back in cooked mode: ask stty on the same pty.
    let mut stty = CommandBuilder::new("stty");
    stty.arg("-a");
    let mut c = pty.slave.spawn_command(stty).unwrap();
    let from = screen.seen.len();
    let at = screen.wait_for("icanon", from);
    let _ = tokio::task::spawn_blocking(move || c.wait()).await;
    let text = String::from_utf8_lossy(&screen.seen[from..at.max(from)]).into_owned();
    screen.drain();
    let all = String::from_utf8_lossy(&screen.seen[from..]).into_owned();
    assert!(!text.contains("-icanon"), "raw mode left on: {all}");
    assert!(
        all.split_whitespace().any(|w| w == "echo"),
        "echo left off: {all}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_ends_it_cleanly() {
    let h = Sim::builder().start().await;
    let (_pty, child, mut w, mut screen) = spawn_control(&h);
    screen.wait_for("Position", 0);
    w.write_all(b"\x1b[D").unwrap();
    w.flush().unwrap();
    wait_head(&h, "started panning left", |s| s.pan_tilt_moving).await;
    // SIGTERM, as `kill` or a service manager sends it.
    let pid = child.process_id().expect("a pid");
    assert!(onvif_testkit::signal(pid, "TERM"));
    // Ended as SIGTERM ends a program (128 + 15), once the terminal and the head are seen to.
    left_cleanly(child, &mut screen, &h, 143).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_continuous_move_the_arrows_step() {
    let h = Sim::builder()
        .quirk(onvif_sim::Quirk::NoContinuousMove)
        .start()
        .await;
    let (_pty, mut child, mut w, mut screen) = spawn_control(&h);
    let at = screen.wait_for("Position", 0);
    let start = head(&h).await;
    // The first press finds out; the camera is then driven with RelativeMove steps.
    w.write_all(b"\x1b[C").unwrap();
    w.flush().unwrap();
    let at = screen.wait_for("arrows now step", at);
    w.write_all(b"\x1b[C").unwrap();
    w.flush().unwrap();
    screen.wait_for("RelativeMove pan +0.05", at);
    wait_head(&h, "stepped right", |s| {
        s.pan > start.pan + 0.01 && !s.pan_tilt_moving
    })
    .await;
    w.write_all(b"q").unwrap();
    w.flush().unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
}
