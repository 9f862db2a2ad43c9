//! What the bytes of a connection say, read as they pass: the end of a request head and how
//! long its body is, the end of a chunked body, and whether a response written is a final one.

/// What a request head tells of its body, read from its header lines as they pass.
#[derive(Debug, Default)]
pub(super) struct HeadScan {
    /// The current header line, lowercased, its first bytes only.
    line: Vec<u8>,
    length: Option<u64>,
    chunked: bool,
}

impl HeadScan {
    const KEEP: usize = 64;

    pub(super) fn byte(&mut self, b: u8) {
        match b {
            b'\n' => {
                let line = String::from_utf8_lossy(&self.line);
                if let Some(v) = line.strip_prefix("content-length:") {
                    self.length = v.trim().parse().ok();
                } else if line.starts_with("transfer-encoding:") {
                    self.chunked = true;
                }
                self.line.clear();
            }
            b'\r' => {}
            _ if self.line.len() < Self::KEEP => self.line.push(b.to_ascii_lowercase()),
            _ => {}
        }
    }

    /// The body still to come once the head is over (`Some(0)`: none); resets the scan.
    pub(super) fn body(&mut self) -> Option<u64> {
        let left = if self.chunked {
            None
        } else {
            Some(self.length.unwrap_or(0))
        };
        *self = HeadScan::default();
        left
    }
}

/// Where a chunked body is, to tell when its last chunk (and trailers) are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chunks {
    /// Reading a chunk's size line: the size so far.
    Size(u64),
    /// Past the size (an extension, or the line's end): to the end of the line.
    SizeLine(u64),
    /// In a chunk's data: `left` bytes of it.
    Data(u64),
    /// After a chunk's data: to the end of its line.
    DataEnd,
    /// After the last chunk: trailer lines until a blank one; whether at a line's start.
    Trailers { at_start: bool },
}

impl Chunks {
    /// Read `bytes` of the body: how many of them complete it, if they do.
    pub(super) fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            *self = match *self {
                Chunks::Data(left) => {
                    // Skip the data in one step.
                    let n = left.min((bytes.len() - i + 1) as u64);
                    i += usize::try_from(n).unwrap_or(bytes.len()) - 1;
                    if n == left {
                        Chunks::DataEnd
                    } else {
                        Chunks::Data(left - n)
                    }
                }
                Chunks::Size(size) => match (b as char).to_digit(16) {
                    // A size that overflows is refused by hyper, which closes the connection.
                    Some(d) => Chunks::Size(size.saturating_mul(16).saturating_add(d.into())),
                    None if b == b'\n' => Self::after_size(size),
                    None => Chunks::SizeLine(size),
                },
                Chunks::SizeLine(size) if b == b'\n' => Self::after_size(size),
                Chunks::DataEnd if b == b'\n' => Chunks::Size(0),
                Chunks::Trailers { at_start: true } if b == b'\n' => return Some(i),
                Chunks::Trailers { .. } if b == b'\n' => Chunks::Trailers { at_start: true },
                Chunks::Trailers { at_start } if b == b'\r' => Chunks::Trailers { at_start },
                Chunks::Trailers { .. } => Chunks::Trailers { at_start: false },
                state => state,
            };
        }
        None
    }

    fn after_size(size: u64) -> Chunks {
        if size == 0 {
            Chunks::Trailers { at_start: true }
        } else {
            Chunks::Data(size)
        }
    }
}

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
