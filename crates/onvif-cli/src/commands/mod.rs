//! What each command does, one module per service or job: the module fetches (or serves),
//! then shows the result as JSON or as its own text rendering, which lives beside it. The
//! layout:
//!
//! - [`device`]: `time`, `info`, `capabilities`, `services`, `scopes`, `hostname`, `network`
//! - [`system`]: `reboot [--wait]`, `firmware`, `firmware upgrade`
//! - [`media`]: `profiles`, `stream-uri`, `snapshot-uri`, `snapshot`, `video-sources`;
//!   `encoders`, `encoders options`, `encoders set` in [`media::encoders`]
//! - [`imaging`]: `imaging`, `imaging options`, `imaging set`
//! - [`io`]: `relay ...`, `inputs`, `focus ...`
//! - [`osd`]: `osd`, `osd options`, `osd add`, `osd set`, `osd remove`
//! - [`analytics`]: `analytics modules`, `analytics rules`, `analytics motion-region`
//! - [`ptz`]: `ptz ...`, with `ptz control`'s keyboard controller in `ptz::control`
//! - [`events`]: `events`, `events properties`, `events current`
//! - [`recordings`]: `recordings`, `recordings search`, `replay-uri`, `jobs`, `summary`
//! - [`raw`]: `raw`; [`decode`]: `decode`; [`discover`]: `discover`
//! - [`capture`]: `capture` (a read-only tour) and writing what `--capture` recorded;
//!   [`diff`]: two recordings compared; [`doctor`]: a camera diagnosed; [`trust`]: its
//!   certificate pinned
//! - [`scopes`]: `scopes` and its changes; [`users`]: `users` and its changes; [`settings`]: `dns`, `ntp`, `hostname`,
//!   `protocols`, `gateway`, `logs`, `discovery-mode`, `factory-reset`
//! - [`sim`]: `sim` and `demo`; [`docs`]: `completions` and `manpage`
//!
//! The shell (`onvif shell`) is `crate::shell`. The options each command takes are defined in
//! `crate::args`, under the same names; `main` matches a parsed command to the function here
//! that runs it. These modules share only the modules below them (`output`, `connection`,
//! `failure`, `args`, `words`, `config`, and `diagnosis`, the doctor's probes that `doctor`
//! and `capture` both run), never one another's commands, except `decode`, which reads
//! `--kinds` as `events` does.

pub mod analytics;
pub mod bridge;
pub mod capture;
pub mod decode;
pub mod demo_bridge;
pub mod device;
pub mod diff;
pub mod discover;
pub mod docs;
pub mod doctor;
pub mod events;
pub mod fleet;
pub mod imaging;
pub mod io;
pub mod media;
pub mod network;
pub mod osd;
pub mod ptz;
pub mod raw;
pub mod recordings;
pub mod scopes;
pub mod settings;
pub mod sim;
pub mod system;
pub mod trust;
pub mod users;
