//! Memory in bytes, counted by the test binary's allocator (not RSS).
//!
//! A global allocator is declared once per binary, so each test file that measures declares it:
//!
//! ```ignore
//! use onvif_testkit::alloc::{CountingAlloc, peak_of};
//!
//! #[global_allocator]
//! static ALLOC: CountingAlloc = CountingAlloc;
//!
//! let (value, peak) = peak_of(&ALLOC, || build_something());
//! let live = ALLOC.current_usage();
//! ```
//!
//! The counters are the process's: tests that measure take [`alone`] first, so that no other
//! test of the binary allocates meanwhile.

use std::sync::{Mutex, MutexGuard};

/// The system allocator, counting the bytes live now and at the peak (`current_usage`,
/// `peak_usage`, `reset_peak_usage`).
pub use peak_alloc::PeakAlloc as CountingAlloc;

/// Bytes allocated at the peak of `f`, above what was live before it, with what `f` returned.
pub fn peak_of<T>(alloc: &CountingAlloc, f: impl FnOnce() -> T) -> (T, usize) {
    let base = alloc.current_usage();
    alloc.reset_peak_usage();
    let out = f();
    (out, alloc.peak_usage().saturating_sub(base))
}

static LOCK: Mutex<()> = Mutex::new(());

/// One measuring test at a time (a panicking one does not stop the others).
pub fn alone() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}
