//! The one tokio runtime of a fuzz target that drives async code in process: single-threaded
//! and on a paused clock, so a timeout in the code under test passes at once instead of
//! waiting.

use std::sync::OnceLock;

pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}
