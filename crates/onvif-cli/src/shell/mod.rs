//! `onvif shell`: an interactive session with a camera.
//!
//! Every line is split like a shell would (quotes, backslashes, `#` comments) and parsed by the
//! same clap definitions as the command line, so each command is defined once: `info`,
//! `profiles --json`, `ptz preset goto Door`, `raw GetHostname` work as they do after `onvif`.
//! The shell adds `connect HOST`, `use NAME`, `dump`, `trace on|off`, a bare `ptz` (the arrow-key
//! mode of `ptz control`) and `exit`; clap's own `help` subcommand serves `help [command]`.
//!
//! On a terminal the line editor is rustyline: history kept between sessions in the user's
//! data directory, tab completion of commands, flags, profile tokens and preset names (from a
//! cache filled after each connect, never from the network while Tab is pressed). Ctrl-C
//! cancels the running command, Ctrl-D leaves. Without a terminal, lines are read from stdin
//! as they come, so `echo info | onvif -H cam shell` works.
//!
//! The parts: [`session`] (the loop, the connection, running a line), [`tokenizer`] (a line
//! into words), [`completion`] (Tab) and [`colour`] (`dump`'s XML). The shell's own commands
//! are defined with the others, in `crate::args`.

mod colour;
mod completion;
mod session;
mod tokenizer;

pub use session::run;
