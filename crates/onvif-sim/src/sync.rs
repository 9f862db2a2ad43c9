//! Locking that outlives a panicked holder.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Lock `m`, taking the data as it is when a holder panicked: a failed test or handler must
/// not leave the camera unusable for the next request.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
