//! The one way this crate takes a std mutex.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A mutex's guard, a poisoned one too (what it guards stays consistent: plain inserts).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
