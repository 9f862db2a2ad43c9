//! SIGTERM, SIGHUP and SIGINT while `ptz control` runs (`kill`, the terminal closed; in raw
//! mode Ctrl-C is a key, not a signal). Once a handler is installed it stays for the process
//! (the shell runs on after `ptz control`), so one watcher, started once, takes them: to the
//! control while it runs; otherwise TERM and HUP end the process as they would have without a
//! handler (128 + the number), and INT is left to the shell's own handling.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::broadcast;

pub const INT: i32 = 2;
const HUP: i32 = 1;
const TERM: i32 = 15;

/// How many controls follow the signals now.
static FOLLOWING: AtomicUsize = AtomicUsize::new(0);
static SIGNALS: OnceLock<broadcast::Sender<i32>> = OnceLock::new();

/// The signals, while the returned value lives.
/// The handlers are installed before this returns (not when the watcher first runs), so no
/// signal in between takes its default action.
pub fn follow() -> Following {
    let tx = SIGNALS.get_or_init(|| {
        let (tx, _) = broadcast::channel(4);
        let streams = streams();
        tokio::spawn(watch(streams, tx.clone()));
        tx
    });
    // Subscribed first, so that no signal is counted for a receiver not there yet.
    let rx = tx.subscribe();
    FOLLOWING.fetch_add(1, Ordering::SeqCst);
    Following(rx)
}

pub struct Following(broadcast::Receiver<i32>);

impl Following {
    /// A signal that came and was not read yet, if any.
    pub fn try_next(&mut self) -> Option<i32> {
        loop {
            match self.0.try_recv() {
                Ok(n) => return Some(n),
                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                Err(_) => return None,
            }
        }
    }

    /// The next signal's number.
    pub async fn next(&mut self) -> i32 {
        loop {
            match self.0.recv().await {
                Ok(n) => return n,
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {
                    return std::future::pending().await;
                }
            }
        }
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        FOLLOWING.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(unix)]
type Streams = Option<[tokio::signal::unix::Signal; 3]>;
#[cfg(not(unix))]
type Streams = ();

/// TERM, HUP and INT, their handlers installed now.
#[cfg(unix)]
fn streams() -> Streams {
    use tokio::signal::unix::{SignalKind, signal};
    Some([
        signal(SignalKind::terminate()).ok()?,
        signal(SignalKind::hangup()).ok()?,
        signal(SignalKind::interrupt()).ok()?,
    ])
}

#[cfg(not(unix))]
fn streams() -> Streams {}

#[cfg(unix)]
async fn watch(streams: Streams, to: broadcast::Sender<i32>) {
    let Some([mut term, mut hup, mut int]) = streams else {
        return;
    };
    loop {
        let n = tokio::select! {
            _ = term.recv() => TERM,
            _ = hup.recv() => HUP,
            _ = int.recv() => INT,
        };
        if FOLLOWING.load(Ordering::SeqCst) > 0 {
            let _ = to.send(n);
        } else if n != INT {
            std::process::exit(128 + n);
        }
    }
}

#[cfg(not(unix))]
async fn watch(_: Streams, _: broadcast::Sender<i32>) {}
