//! Typed operations. Each operation is a request type implementing [`Operation`], whose
//! associated `Response` is the typed answer. Both sides implement [`Message`] (write and read),
//! so the client and the simulator share one model and a round trip (write, read, compare)
//! tests both.

pub mod analytics;
pub(crate) mod capabilities;
pub mod device;
pub mod deviceio;
pub mod events;
pub mod imaging;
pub mod media;
mod message;
pub mod ptz;
pub mod range;
pub mod recording;
pub mod replay;
pub mod search;
mod service;

pub use media::profile;
pub use media::v2 as media2;
pub use message::{
    Message, Operation, WSDL_ACTION_SLIPS, expect, names_action, opt_text, parse_bool, parse_num,
    read_response, req_text,
};
pub use service::Service;
