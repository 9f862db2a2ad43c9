//! How a command fails: the exit codes of `onvif`, and a message with the code it maps to.

/// Exit codes, as documented in `onvif --help`.
pub mod exit {
    pub const INTERNAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const AUTH: u8 = 3;
    pub const DEVICE: u8 = 4;
    pub const NETWORK: u8 = 5;
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

impl From<onvif::Error> for Failure {
    fn from(e: onvif::Error) -> Self {
        use onvif::ErrorKind;
        let code = match e.kind() {
            ErrorKind::Usage => exit::USAGE,
            ErrorKind::Auth => exit::AUTH,
            ErrorKind::Device => exit::DEVICE,
            ErrorKind::Network => exit::NETWORK,
        };
        let mut message = e.to_string();
        if matches!(e, onvif::Error::TooLarge { .. }) {
            message.push_str(" (--max-response raises it)");
        }
        Failure { code, message }
    }
}
