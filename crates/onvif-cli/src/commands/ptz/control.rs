//! `ptz control`: move the camera with the keyboard.
//!
//! Three parts:
//! - [`Controller`], a pure state machine: keys and ticks in (with the time), commands out. It
//!   knows that terminals report no key release: a ContinuousMove lasts while auto-repeat keeps
//!   arriving and a Stop goes out when it stops.
//! - a worker that sends commands to the camera, latest wins: when keys repeat faster than the
//!   camera answers, intermediate commands are dropped, never queued. ContinuousMove carries a
//!   short ONVIF Timeout and is refreshed while held, so the camera stops by itself if we die.
//! - the terminal loop: raw mode and the alternate screen behind a guard that restores the
//!   terminal on every exit path (q, Esc, Ctrl-C, errors, panics).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::failure::{Failure, exit};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Up,
    Down,
    Left,
    Right,
    ZoomIn,
    ZoomOut,
    Stop,
    Home,
    /// Preset 1-9, by position in the camera's list.
    Preset(u8),
    Faster,
    Slower,
    ToggleMode,
    StepBigger,
    StepSmaller,
    Quit,
}

/// Continuous moves (default) or fixed relative steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Continuous,
    Step,
}

/// A command for the camera; vectors are in the generic spaces ([-1, 1] pan/tilt, zoom
/// velocities and translations in [-1, 1]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    /// Move at these velocities until told otherwise.
    Continuous {
        pan: f64,
        tilt: f64,
        zoom: f64,
    },
    /// Move by these amounts.
    Step {
        pan: f64,
        tilt: f64,
        zoom: f64,
    },
    Stop,
    Home,
    Preset(u8),
}

/// Before the first auto-repeat arrives (terminals wait 250-660 ms; X.org's default is 660),
/// a held key is assumed held this long.
pub const FIRST_REPEAT_GRACE: Duration = Duration::from_millis(800);
/// Once repeats arrive (every 30-50 ms), a gap this long means the key was released.
pub const RELEASE_GAP: Duration = Duration::from_millis(250);

/// The keyboard state machine. No I/O, no clock of its own.
#[derive(Debug, Clone)]
pub struct Controller {
    pub mode: Mode,
    /// Speed factor for continuous moves, 0.1..=1.0.
    pub speed: f64,
    /// Step size for relative moves, 0.01..=0.5 (of the generic range).
    pub step: f64,
    /// The camera cannot do ContinuousMove: arrows step instead.
    pub continuous_unsupported: bool,
    held: Option<Held>,
}

#[derive(Debug, Clone, Copy)]
struct Held {
    dir: (i8, i8, i8),
    last: Instant,
    repeats: u32,
}

impl Default for Controller {
    fn default() -> Self {
        Controller {
            mode: Mode::Continuous,
            speed: 0.5,
            step: 0.05,
            continuous_unsupported: false,
            held: None,
        }
    }
}

impl Controller {
    /// Is a continuous move in progress?
    pub fn moving(&self) -> bool {
        self.held.is_some()
    }

    /// A key arrived at `now`.
    pub fn key(&mut self, now: Instant, key: Key) -> Option<Command> {
        let dir = match key {
            Key::Up => (0, 1, 0),
            Key::Down => (0, -1, 0),
            Key::Left => (-1, 0, 0),
            Key::Right => (1, 0, 0),
            Key::ZoomIn => (0, 0, 1),
            Key::ZoomOut => (0, 0, -1),
            Key::Stop => return self.stop(),
            Key::Quit => {
                self.held = None;
                return Some(Command::Stop);
            }
            Key::Home => {
                self.held = None;
                return Some(Command::Home);
            }
            Key::Preset(n) => {
                self.held = None;
                return Some(Command::Preset(n));
            }
            Key::Faster => {
                self.speed = round2((self.speed + 0.1).min(1.0));
                return self.restart(now);
            }
            Key::Slower => {
                self.speed = round2((self.speed - 0.1).max(0.1));
                return self.restart(now);
            }
            Key::StepBigger => {
                self.step = round2((self.step * 2.0).min(0.5));
                return None;
            }
            Key::StepSmaller => {
                self.step = round2((self.step / 2.0).max(0.01));
                return None;
            }
            Key::ToggleMode => {
                self.mode = match self.mode {
                    Mode::Continuous => Mode::Step,
                    Mode::Step => Mode::Continuous,
                };
                return self.stop();
            }
        };
        if self.mode == Mode::Step || self.continuous_unsupported {
            let s = self.step;
            return Some(Command::Step {
                pan: f64::from(dir.0) * s,
                tilt: f64::from(dir.1) * s,
                zoom: f64::from(dir.2) * s,
            });
        }
        match &mut self.held {
            // Auto-repeat of the key already held: the move goes on, nothing new to send.
            Some(h) if h.dir == dir => {
                h.last = now;
                h.repeats += 1;
                None
            }
            _ => {
                self.held = Some(Held {
                    dir,
                    last: now,
                    repeats: 0,
                });
                Some(self.velocity(dir))
            }
        }
    }

    /// Time passed: a held key whose repeats stopped has been released.
    pub fn tick(&mut self, now: Instant) -> Option<Command> {
        let h = self.held?;
        let gap = if h.repeats == 0 {
            FIRST_REPEAT_GRACE
        } else {
            RELEASE_GAP
        };
        if now.saturating_duration_since(h.last) >= gap {
            self.held = None;
            return Some(Command::Stop);
        }
        None
    }

    /// When the next tick matters (for a timer).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.held.map(|h| {
            h.last
                + if h.repeats == 0 {
                    FIRST_REPEAT_GRACE
                } else {
                    RELEASE_GAP
                }
        })
    }

    fn stop(&mut self) -> Option<Command> {
        self.held = None;
        Some(Command::Stop)
    }

    fn restart(&mut self, now: Instant) -> Option<Command> {
        let h = self.held?;
        self.held = Some(Held { last: now, ..h });
        Some(self.velocity(h.dir))
    }

    fn velocity(&self, dir: (i8, i8, i8)) -> Command {
        Command::Continuous {
            pan: f64::from(dir.0) * self.speed,
            tilt: f64::from(dir.1) * self.speed,
            zoom: f64::from(dir.2) * self.speed,
        }
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The terminal's key, as a controller key.
pub fn map_key(ev: &crossterm::event::KeyEvent) -> Option<Key> {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    if ev.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(ev.code, KeyCode::Char('c') | KeyCode::Char('d'))
    {
        return Some(Key::Quit);
    }
    Some(match ev.code {
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Char('+') | KeyCode::Char('=') => Key::ZoomIn,
        KeyCode::Char('-') | KeyCode::Char('_') => Key::ZoomOut,
        KeyCode::Char(' ') => Key::Stop,
        KeyCode::Char('h') => Key::Home,
        KeyCode::Char(c @ '1'..='9') => Key::Preset(c as u8 - b'0'),
        KeyCode::Char(']') => Key::Faster,
        KeyCode::Char('[') => Key::Slower,
        KeyCode::Char('s') => Key::ToggleMode,
        KeyCode::Char('>') | KeyCode::Char('.') => Key::StepBigger,
        KeyCode::Char('<') | KeyCode::Char(',') => Key::StepSmaller,
        KeyCode::Char('q') | KeyCode::Esc => Key::Quit,
        _ => return None,
    })
}

/// Raw mode and the alternate screen, undone on drop (and by the panic hook).
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        use crossterm::{cursor, execute, terminal};
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard { _private: () };
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )?;
        install_panic_restore();
        Ok(guard)
    }
}

fn restore_terminal() {
    use crossterm::{cursor, execute, terminal};
    let _ = execute!(
        std::io::stdout(),
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = terminal::disable_raw_mode();
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn install_panic_restore() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

/// Read terminal events on a thread of their own (crossterm's reader blocks) until `stop`.
pub fn spawn_key_reader(
    stop: Arc<AtomicBool>,
) -> (
    tokio::sync::mpsc::UnboundedReceiver<crossterm::event::KeyEvent>,
    std::thread::JoinHandle<()>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let thread = std::thread::spawn(move || {
        use crossterm::event::{Event, poll, read};
        while !stop.load(Ordering::Relaxed) {
            match poll(Duration::from_millis(50)) {
                Ok(true) => match read() {
                    Ok(Event::Key(k)) => {
                        if tx.send(k).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => return,
                },
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
    (rx, thread)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Instant {
        Instant::now()
    }

    #[test]
    fn a_held_arrow_moves_once_and_stops_when_repeats_stop() {
        let mut c = Controller::default();
        let t = t0();
        assert_eq!(
            c.key(t, Key::Right),
            Some(Command::Continuous {
                pan: 0.5,
                tilt: 0.0,
                zoom: 0.0
            })
        );
        // Auto-repeat: nothing new is sent, however fast it comes.
        for i in 1..20 {
            assert_eq!(
                c.key(t + Duration::from_millis(500 + i * 30), Key::Right),
                None
            );
        }
        let last = t + Duration::from_millis(500 + 19 * 30);
        assert_eq!(c.tick(last + Duration::from_millis(100)), None);
        assert_eq!(c.tick(last + RELEASE_GAP), Some(Command::Stop));
        assert!(!c.moving());
        assert_eq!(c.tick(last + RELEASE_GAP * 2), None);
    }

    #[test]
    fn the_first_repeat_gets_a_longer_grace() {
        let mut c = Controller::default();
        let t = t0();
        c.key(t, Key::Up);
        assert_eq!(c.tick(t + Duration::from_millis(400)), None);
        assert_eq!(c.tick(t + FIRST_REPEAT_GRACE), Some(Command::Stop));
    }

    #[test]
    fn another_direction_replaces_the_move() {
        let mut c = Controller::default();
        let t = t0();
        c.key(t, Key::Right);
        assert_eq!(
            c.key(t + Duration::from_millis(10), Key::Down),
            Some(Command::Continuous {
                pan: 0.0,
                tilt: -0.5,
                zoom: 0.0
            })
        );
    }

    #[test]
    fn speed_and_step_are_adjustable_and_bounded() {
        let mut c = Controller::default();
        let t = t0();
        for _ in 0..10 {
            c.key(t, Key::Faster);
        }
        assert_eq!(c.speed, 1.0);
        for _ in 0..20 {
            c.key(t, Key::Slower);
        }
        assert_eq!(c.speed, 0.1);
        c.key(t, Key::ToggleMode);
        assert_eq!(c.mode, Mode::Step);
        c.key(t, Key::StepBigger);
        assert_eq!(c.step, 0.1);
        assert_eq!(
            c.key(t, Key::Left),
            Some(Command::Step {
                pan: -0.1,
                tilt: 0.0,
                zoom: 0.0
            })
        );
        assert!(!c.moving());
    }

    #[test]
    fn without_continuous_move_arrows_step() {
        let mut c = Controller {
            continuous_unsupported: true,
            ..Controller::default()
        };
        assert!(matches!(
            c.key(t0(), Key::ZoomIn),
            Some(Command::Step { zoom, .. }) if zoom > 0.0
        ));
    }

    #[test]
    fn quit_stop_home_and_presets() {
        let mut c = Controller::default();
        let t = t0();
        c.key(t, Key::Right);
        assert_eq!(c.key(t, Key::Quit), Some(Command::Stop));
        assert_eq!(c.key(t, Key::Home), Some(Command::Home));
        assert_eq!(c.key(t, Key::Preset(3)), Some(Command::Preset(3)));
        assert_eq!(c.key(t, Key::Stop), Some(Command::Stop));
    }

    #[test]
    fn keys_map_as_documented() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let k = |code| map_key(&KeyEvent::new(code, KeyModifiers::NONE));
        assert_eq!(k(KeyCode::Right), Some(Key::Right));
        assert_eq!(k(KeyCode::Char('+')), Some(Key::ZoomIn));
        assert_eq!(k(KeyCode::Char('7')), Some(Key::Preset(7)));
        assert_eq!(k(KeyCode::Esc), Some(Key::Quit));
        assert_eq!(
            map_key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Key::Quit)
        );
        assert_eq!(k(KeyCode::Char('x')), None);
    }
}

/// What the control loop needs from a camera.
pub trait Driver: Send + Sync + 'static {
    /// Carry out a command. `Err(Unsupported)` when the camera lacks the operation.
    fn send(
        &self,
        cmd: Command,
    ) -> impl std::future::Future<Output = Result<(), DriverError>> + Send;
    /// One line describing position and move status.
    fn status(&self) -> impl std::future::Future<Output = Result<String, String>> + Send;
    /// Can the camera move continuously at all (known before any key)?
    fn supports_continuous(&self) -> bool {
        true
    }
}

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverError {
    /// The camera does not support continuous moves (fall back to steps).
    ContinuousUnsupported,
    Other(String),
}

/// How long a ContinuousMove lasts on the camera unless refreshed.
pub const MOVE_TIMEOUT: Duration = Duration::from_secs(1);
/// How often a held move is refreshed.
pub const REFRESH: Duration = Duration::from_millis(400);

/// Run the interactive mode until q, Esc or Ctrl-C. The terminal is restored on return,
/// whatever the path, and the camera is sent a Stop.
pub async fn run<D: Driver>(driver: Arc<D>, title: &str) -> Result<(), Failure> {
    use tokio::sync::watch;

    // Followed before the terminal is taken: a signal from here on leaves it restored.
    let mut signals = super::signals::follow();
    let guard = TerminalGuard::enter().map_err(|e| Failure {
        code: exit::INTERNAL,
        message: format!("cannot set up the terminal: {e}"),
    })?;
    let stop_reader = Arc::new(AtomicBool::new(false));
    let (mut keys, reader) = spawn_key_reader(Arc::clone(&stop_reader));

    // Latest wins: the worker only ever sees the newest command.
    let (cmd_tx, mut cmd_rx) = watch::channel::<Option<(u64, Command)>>(None);
    let (err_tx, err_rx) = watch::channel::<String>(String::new());
    let unsupported = Arc::new(AtomicBool::new(false));
    let worker = {
        let driver = Arc::clone(&driver);
        let unsupported = Arc::clone(&unsupported);
        tokio::spawn(async move {
            loop {
                if cmd_rx.changed().await.is_err() {
                    return;
                }
                let Some((_, cmd)) = *cmd_rx.borrow_and_update() else {
                    continue;
                };
                let mut current = cmd;
                loop {
                    // A Stop asked while a move is on the wire goes at once (a camera slow to
                    // answer the move must not keep moving until it does); a receiver of its
                    // own watches, so that other commands stay unseen for the loop below.
                    let mut peek = cmd_rx.clone();
                    let sent = tokio::select! {
                        r = driver.send(current) => r,
                        () = stop_asked(&mut peek), if current != Command::Stop => {
                            // The newest command: the Stop, or one asked since.
                            current = (*cmd_rx.borrow_and_update()).map_or(Command::Stop, |(_, c)| c);
                            continue;
                        }
                    };
                    let failed = match sent {
                        Ok(()) => {
                            let _ = err_tx.send(String::new());
                            false
                        }
                        Err(DriverError::ContinuousUnsupported) => {
                            unsupported.store(true, Ordering::Relaxed);
                            let _ = err_tx.send(
                                "this camera has no continuous moves: arrows now step".into(),
                            );
                            true
                        }
                        Err(DriverError::Other(e)) => {
                            let _ = err_tx.send(e);
                            true
                        }
                    };
                    // A failed move is not refreshed (that would repeat the error forever).
                    if failed {
                        break;
                    }
                    // A held continuous move is refreshed until something else is asked.
                    if !matches!(current, Command::Continuous { .. }) {
                        break;
                    }
                    match tokio::time::timeout(REFRESH, cmd_rx.changed()).await {
                        Ok(Ok(())) => match *cmd_rx.borrow_and_update() {
                            Some((_, c)) => current = c,
                            None => break,
                        },
                        Ok(Err(_)) => return,
                        Err(_) => {} // refresh the same move
                    }
                }
            }
        })
    };
    let (status_tx, mut status_rx) = watch::channel::<String>("reading position…".into());
    let poller = {
        let driver = Arc::clone(&driver);
        tokio::spawn(async move {
            loop {
                let line = match driver.status().await {
                    Ok(s) => s,
                    Err(e) => format!("status unavailable: {e}"),
                };
                if status_tx.send(line).is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };

    let mut ctl = Controller {
        continuous_unsupported: !driver.supports_continuous(),
        ..Controller::default()
    };
    if ctl.continuous_unsupported {
        unsupported.store(true, Ordering::Relaxed);
    }
    let mut seq = 0u64;
    let mut last_cmd = String::from("-");
    let draw = |ctl: &Controller, status: &str, last: &str, err: &str| {
        render(title, ctl, status, last, err);
    };
    draw(&ctl, &status_rx.borrow(), &last_cmd, &err_rx.borrow());
    let mut ended_by: Option<i32> = None;
    loop {
        let deadline = ctl
            .next_deadline()
            .map(tokio::time::Instant::from_std)
            .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            k = keys.recv() => {
                let Some(k) = k else { break };
                ctl.continuous_unsupported = unsupported.load(Ordering::Relaxed);
                let Some(key) = map_key(&k) else { continue };
                let out = ctl.key(Instant::now(), key);
                if let Some(cmd) = out {
                    seq += 1;
                    last_cmd = describe(&cmd);
                    let _ = cmd_tx.send(Some((seq, cmd)));
                }
                if key == Key::Quit {
                    break;
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                if let Some(cmd) = ctl.tick(Instant::now()) {
                    seq += 1;
                    last_cmd = describe(&cmd);
                    let _ = cmd_tx.send(Some((seq, cmd)));
                }
            }
            r = status_rx.changed() => {
                if r.is_err() { break; }
            }
            // Killed, or the terminal closed: end as at `q`, the terminal restored and the
            // camera stopped.
            n = signals.next() => {
                ended_by = Some(n);
                break;
            }
        }
        draw(&ctl, &status_rx.borrow(), &last_cmd, &err_rx.borrow());
    }
    stop_reader.store(true, Ordering::Relaxed);
    poller.abort();
    worker.abort();
    // The reader thread must be gone before anyone else reads the terminal (a shell's line
    // editor would otherwise race it for the next keys); it notices the flag within a poll.
    let _ = tokio::task::spawn_blocking(move || reader.join()).await;
    // The terminal comes back first, so a camera that no longer answers cannot keep the user
    // in raw mode; then, whatever was in flight, the camera is told to stop (a move that was
    // already on the wire ends by its one-second ONVIF Timeout in any case).
    drop(guard);
    let stopped = tokio::time::timeout(Duration::from_secs(3), driver.send(Command::Stop)).await;
    // A signal during the final Stop ends the process too.
    ended_by = ended_by.or_else(|| signals.try_next());
    drop(signals);
    // Killed or hung up: now that the terminal and the camera are seen to, the process ends as
    // that signal would have ended it (128 + its number, as shells report it).
    if let Some(n) = ended_by.filter(|n| *n != super::signals::INT) {
        std::process::exit(128 + n);
    }
    match stopped {
        Ok(Ok(())) | Ok(Err(DriverError::ContinuousUnsupported)) => Ok(()),
        Ok(Err(DriverError::Other(e))) => Err(Failure {
            code: exit::DEVICE,
            message: format!("the final Stop failed: {e}"),
        }),
        Err(_) => Err(Failure {
            code: exit::NETWORK,
            message: "the camera did not answer the final Stop within 3 s".into(),
        }),
    }
}

/// Until the newest command is a Stop.
async fn stop_asked(rx: &mut tokio::sync::watch::Receiver<Option<(u64, Command)>>) {
    loop {
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
        if matches!(*rx.borrow_and_update(), Some((_, Command::Stop))) {
            return;
        }
    }
}

fn describe(cmd: &Command) -> String {
    match cmd {
        Command::Continuous { pan, tilt, zoom } => {
            format!("ContinuousMove pan {pan:+.2} tilt {tilt:+.2} zoom {zoom:+.2}")
        }
        Command::Step { pan, tilt, zoom } => {
            format!("RelativeMove pan {pan:+.2} tilt {tilt:+.2} zoom {zoom:+.2}")
        }
        Command::Stop => "Stop".into(),
        Command::Home => "GotoHomePosition".into(),
        Command::Preset(n) => format!("GotoPreset #{n}"),
    }
}

fn render(title: &str, ctl: &Controller, status: &str, last: &str, err: &str) {
    use crossterm::{cursor, queue, style, terminal};
    use std::io::Write;
    let mut out = std::io::stdout();
    let mode = match (ctl.mode, ctl.continuous_unsupported) {
        (Mode::Step, _) | (Mode::Continuous, true) => format!("step {:.2}", ctl.step),
        (Mode::Continuous, false) => "continuous".to_string(),
    };
    let lines = [
        title.to_string(),
        String::new(),
        status.to_string(),
        format!(
            "Mode {mode}   Speed {:.1}   Step {:.2}{}",
            ctl.speed,
            ctl.step,
            if ctl.moving() { "   (key held)" } else { "" }
        ),
        format!("Sent {last}"),
        if err.is_empty() {
            String::new()
        } else {
            format!("Camera: {err}")
        },
        String::new(),
        "arrows pan/tilt   + - zoom   space stop   h home   1-9 presets".to_string(),
        "[ ] speed   s continuous/step   < > step size   q or Esc quit".to_string(),
    ];
    let _ = queue!(out, terminal::Clear(terminal::ClearType::All));
    for (i, l) in lines.iter().enumerate() {
        let _ = queue!(
            out,
            cursor::MoveTo(0, i as u16),
            style::Print(crate::output::clean(&onvif::proto::text::cut(l, 500))),
            terminal::Clear(terminal::ClearType::UntilNewLine)
        );
    }
    let _ = out.flush();
}
