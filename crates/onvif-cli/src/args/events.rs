//! The options of `events` and its subcommands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::words::{SignedDur, parse_interval, parse_timeout};

#[derive(Debug, Clone, Args)]
pub struct EventsArgs {
    /// Only topics matching this expression, e.g. 'tns1:RuleEngine//.' (tns1 is the ONVIF
    /// topic namespace)
    #[arg(long, value_name = "EXPR", global = true)]
    pub topic: Option<String>,
    /// Stop after this long, e.g. 30s, 10m [default: until Ctrl-C]
    #[arg(long = "for", value_parser = parse_timeout, value_name = "DURATION", allow_hyphen_values = true)]
    pub for_: Option<SignedDur>,
    /// More kind rules, one `topic-pattern item kind` a line (tried before the built-in ones);
    /// a step may name its namespace, `{URI}Name` or `PREFIX:Name` after `xmlns:PREFIX URI`
    #[arg(long, value_name = "FILE")]
    pub kinds: Option<PathBuf>,
    /// pull: PullMessages; push: the camera POSTs to our listener; auto: push when a
    /// notification arrives within 5 s, pull otherwise
    #[arg(long, value_enum, default_value_t = Mode::Pull)]
    pub mode: Mode,
    /// Where the push listener binds (push and auto); an unspecified address (0.0.0.0, the
    /// default, or [::]) binds our address on the route to the camera, with that port, and
    /// follows it when it leaves the machine (the subscription is then replaced)
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:0")]
    pub listen: std::net::SocketAddr,
    /// The base URL the camera posts to, e.g. http://192.168.1.100:8002 [default: our address
    /// on the route to the camera, and the bound port]
    #[arg(long, value_name = "URL")]
    pub advertise: Option<String>,
    /// On exit, let the subscription expire instead of sending Unsubscribe (for cameras that
    /// cancel every subscription, other clients' too, on one Unsubscribe)
    #[arg(long)]
    pub no_unsubscribe: bool,
    /// Push and auto modes: check the subscription this often (a Renew), so a camera that
    /// restarted and forgot it is noticed within this time, e.g. 5s, 30s
    #[arg(long, value_parser = parse_timeout, value_name = "DURATION", allow_hyphen_values = true, default_value = "5s")]
    pub liveness: SignedDur,
    /// After this long without an event, ask the camera for its current states again
    /// (SetSynchronizationPoint); a subscription that then sends nothing, when the camera
    /// answered its creation with states, has stopped delivering and is replaced. 0: never
    #[arg(long, value_parser = parse_interval, value_name = "DURATION", allow_hyphen_values = true, default_value = "10m")]
    pub silence: std::time::Duration,
    /// With --json: the session's lifecycle too (subscribed, renewed, lost, re-created,
    /// closed), as JSON lines among the events, `{"camera": ..., "lifecycle": "lost", ...}`, so
    /// that a program reading them sees the outages (they always go to standard error as text)
    #[arg(long)]
    pub lifecycle: bool,
    /// Print every state the camera sends, also one it sends again unchanged (after a
    /// re-creation, or when a quiet subscription is asked for its states); by default each
    /// state is printed once, and again after the session is lost
    #[arg(long)]
    pub repeat_states: bool,
    #[command(subcommand)]
    pub action: Option<EventsAction>,
}

/// How events are received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Pull-point subscription (PullMessages long polls)
    Pull,
    /// WS-BaseNotification push to a local listener
    Push,
    /// Push when it works, pull otherwise
    Auto,
}

#[derive(Debug, Clone, Subcommand)]
pub enum EventsAction {
    /// The camera's topic tree, with each topic's source and data items
    Properties,
    /// The current message on one topic (GetCurrentMessage), e.g.
    /// --topic tns1:Device/Trigger/DigitalInput
    Current,
}
