//! The shape of `main`'s dispatch, handed to the commands that run other commands (`shell`
//! runs whatever a line names, `demo` a tour of the camera commands), so that they need not
//! import `main`, which imports them. The matching itself is in `main`.

use std::future::Future;
use std::pin::Pin;

use onvif::Camera;

use crate::args::{Cli, Command};
use crate::failure::Failure;
use crate::output::Out;

/// A command's outcome, boxed: a command can run another through this.
pub type Outcome<'a> = Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// `main`'s dispatch, as function pointers.
#[derive(Clone, Copy)]
pub struct Dispatch {
    /// Run a parsed command line, whatever its command, as `onvif ...` does.
    pub run: fn(Cli) -> Outcome<'static>,
    /// Run a command that talks to a camera, on a connected camera.
    pub execute: for<'a> fn(&'a Camera, &'a Command, &'a Out) -> Outcome<'a>,
}
