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
pub fn follow() -> Following {
    let tx = SIGNALS.get_or_init(|| {
        let (tx, _) = broadcast::channel(4);
        let to = tx.clone();
        tokio::spawn(watch(to));
        tx
    });
    FOLLOWING.fetch_add(1, Ordering::SeqCst);
    Following(tx.subscribe())
}

pub struct Following(broadcast::Receiver<i32>);

impl Following {
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
async fn watch(to: broadcast::Sender<i32>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
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
async fn watch(_: broadcast::Sender<i32>) {}
