//! Asking the person at the terminal: a confirmation before a change that can cut the tool off
//! from the camera, and a new password (never echoed, never an argument).

use std::io::{BufRead, IsTerminal, Write};

use crate::failure::Failure;

/// The environment variable a new password is taken from when there is no terminal.
pub const NEW_PASSWORD_ENV: &str = "ONVIF_NEW_PASSWORD";

/// Say what is about to happen (on stderr), then go on with `--yes`, or when the person at
/// the terminal answers `y`; without a terminal and without `--yes`, refuse (usage error).
/// The text may quote the camera: it is shown as [`crate::output::message`] shows a message
/// (escaped, user-info hidden, cut); device values that must keep to one line are given
/// through [`crate::output::clean`] by the caller.
pub fn confirm(what: &str, yes: bool) -> Result<(), Failure> {
    eprintln!("{}", crate::output::message(what));
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Failure::usage(
            "not done: add --yes to confirm (stdin is not a terminal, so there is no one to ask)",
        ));
    }
    eprint!("Proceed? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the answer: {e}")))?;
    if matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        Ok(())
    } else {
        Err(Failure::usage("not done: not confirmed"))
    }
}

/// A new password for `user`: from [`NEW_PASSWORD_ENV`] when set, else typed twice at the
/// terminal without echo. Never logged.
pub fn new_password(user: &str) -> Result<String, Failure> {
    if let Some(p) = std::env::var_os(NEW_PASSWORD_ENV) {
        let p = p
            .into_string()
            .map_err(|_| Failure::usage(format!("{NEW_PASSWORD_ENV} is not valid UTF-8")))?;
        if p.is_empty() {
            return Err(Failure::usage(format!("{NEW_PASSWORD_ENV} is empty")));
        }
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "no password for {user:?}: set {NEW_PASSWORD_ENV}, or run on a terminal to type it \
             (it is never taken from an argument)"
        )));
    }
    let first = read_hidden(&format!("New password for {user}: "))?;
    if first.is_empty() {
        return Err(Failure::usage("the password is empty"));
    }
    let again = read_hidden("Again: ")?;
    if first != again {
        return Err(Failure::usage("the two passwords differ"));
    }
    Ok(first)
}

/// One line typed at the terminal with echo off (raw mode), `prompt` shown on stderr.
fn read_hidden(prompt: &str) -> Result<String, Failure> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
    // Echo off before the prompt shows: what is typed (or pasted) at once is not echoed.
    enable_raw_mode().map_err(|e| Failure::usage(format!("cannot read a password: {e}")))?;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut typed = String::new();
    let outcome = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c' | 'd') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(Failure::usage("interrupted"));
                }
                // Ctrl-U clears what was typed; other control and Alt chords are not text.
                KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    typed.clear();
                }
                KeyCode::Char(_)
                    if k.modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {}
                KeyCode::Char(c) => typed.push(c),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Esc => break Err(Failure::usage("interrupted")),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(Failure::usage(format!("cannot read a password: {e}"))),
        }
    };
    let _ = disable_raw_mode();
    eprintln!();
    outcome.map(|()| typed)
}
