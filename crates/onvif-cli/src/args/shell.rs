//! The commands that exist only in the shell (`onvif shell`), and its help text.

use clap::Subcommand;

use super::imaging::OnOff;

// Commands that exist only in the shell, added to the CLI's own command tree. (A plain
// comment: a doc comment here would become the tree's `about`.)
#[derive(Debug, Clone, Subcommand)]
pub enum ShellCmd {
    /// Connect to a camera by address (IP, IP:PORT or URL); -u/-p as on the command line,
    /// else the shell's own credentials
    Connect {
        /// Camera address: IP, IP:PORT, or http(s)://HOST:PORT/path
        host: String,
    },
    /// Switch to a camera from the config file
    Use {
        /// The camera's name in the config file
        name: String,
    },
    /// Show the last answer from the camera as indented XML
    Dump,
    /// Show every HTTP exchange from now on (on), or stop (off); without an argument, say which
    Trace {
        /// on or off [default: say which it is]
        #[arg(value_enum)]
        state: Option<OnOff>,
    },
    /// Leave the shell (also: quit, Ctrl-D)
    #[command(visible_alias = "quit")]
    Exit,
}

pub const SHELL_HELP: &str = "\
In the shell: `connect HOST` or `use NAME` chooses the camera, `dump` shows the last answer,
`trace on|off` shows every HTTP exchange, `ptz` moves the camera with the arrow keys (q returns),
`help COMMAND` explains a command. Ctrl-C cancels a running command, Ctrl-D or `exit` leaves.";
