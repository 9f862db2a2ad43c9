//! The requests to stop that a long-running command (`ui`, `sim`, `events`) honours the same
//! way: Ctrl-C at a terminal, SIGTERM from a service manager (systemd, `docker stop`).

/// Resolves at Ctrl-C (SIGINT) or SIGTERM.
pub async fn requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
