//! Small helpers.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A lock, even when a holder panicked (the data stays usable).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
