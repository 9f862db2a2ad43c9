//! HTTP/1.1 request framing read from the bytes as they pass, with no I/O: what a request
//! head says of its body, and where a chunked body ends. The simulator's connections and the
//! client's push listener both watch their requests with these, to hold them to deadlines and
//! size caps while hyper parses them.

/// What a request head tells of its body, read from its header lines as they pass.
#[derive(Debug, Default)]
pub struct HeadLines {
    /// The current header line, lowercased, its first bytes only.
    line: Vec<u8>,
    length: Option<u64>,
    chunked: bool,
}

impl HeadLines {
    const KEEP: usize = 64;

    /// One byte of the head.
    pub fn byte(&mut self, b: u8) {
        match b {
            b'\n' => {
                let line = String::from_utf8_lossy(&self.line);
                if let Some(v) = line.strip_prefix("content-length:") {
                    self.length = v.trim().parse().ok();
                } else if line.starts_with("transfer-encoding:") {
                    // Any transfer coding: hyper reads it chunked or refuses it.
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
    pub fn body(&mut self) -> Option<u64> {
        let left = if self.chunked {
            None
        } else {
            Some(self.length.unwrap_or(0))
        };
        *self = HeadLines::default();
        left
    }
}

/// Where a chunked body is: to tell its chunk sizes and when its last chunk (and trailers)
/// are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunks {
    /// Reading a chunk's size line: the size so far.
    Size(u64),
    /// Past the size (an extension, or the line's end): to the end of the line.
    SizeLine(u64),
    /// In a chunk's data: `left` bytes of it.
    Data(u64),
    /// After a chunk's data: to the end of its line.
    DataEnd,
    /// After the last chunk: trailer lines until a blank one.
    Trailers {
        /// At the start of a line (a line end here ends the body).
        at_start: bool,
    },
}

impl Chunks {
    /// Read `bytes` of the body, adding each chunk's size to `total`: how many of them
    /// complete it, if they do.
    pub fn feed(&mut self, bytes: &[u8], total: &mut u64) -> Option<usize> {
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
                    None if b == b'\n' => Self::after_size(size, total),
                    None => Chunks::SizeLine(size),
                },
                Chunks::SizeLine(size) if b == b'\n' => Self::after_size(size, total),
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

    fn after_size(size: u64, total: &mut u64) -> Chunks {
        *total = total.saturating_add(size);
        if size == 0 {
            Chunks::Trailers { at_start: true }
        } else {
            Chunks::Data(size)
        }
    }
}
