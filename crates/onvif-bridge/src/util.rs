//! Small helpers.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A lock, even when a holder panicked (the data stays usable).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// FNV-1a, 64 bits: stable across builds and platforms (the standard hasher is not), for what
/// must come out the same at every start (shards, Home Assistant ids).
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
