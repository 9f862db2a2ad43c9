//! What the bytes going out of a connection say: whether a response written is a final one.
//! (What the bytes coming in say, a request head and a chunked body, is `onvif_proto::wire`.)

/// What the bytes going out are: a response has a final answer when its status is not 1xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Out {
    /// At the start of a response: how much of its status line's `HTTP/1.x 1` was matched.
    Start(u8),
    /// In an interim (1xx) response: how much of the blank line ending it was seen.
    Interim(u8),
    /// In a final response.
    Final,
}

impl Out {
    const INTERIM: &[u8] = b"HTTP/1.? 1";

    /// Bytes written: whether any of them belongs to a final response.
    pub(super) fn wrote(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            *self = match *self {
                Out::Final => return true,
                Out::Start(n) => {
                    let want = Self::INTERIM[usize::from(n)];
                    if want == b || (want == b'?' && b.is_ascii_digit()) {
                        if usize::from(n) + 1 == Self::INTERIM.len() {
                            Out::Interim(0)
                        } else {
                            Out::Start(n + 1)
                        }
                    } else {
                        Out::Final
                    }
                }
                Out::Interim(m) => match (m, b) {
                    (3, b'\n') => Out::Start(0),
                    (0 | 2, b'\r') | (1, b'\n') => Out::Interim(m + 1),
                    (_, b'\r') => Out::Interim(1),
                    _ => Out::Interim(0),
                },
            };
        }
        *self == Out::Final
    }
}
