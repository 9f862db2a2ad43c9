//! The command line's pure text parsers: durations, sizes, and the shell's splitting of a
//! line into words. The standard library and onvif-proto only, so that the fuzz targets in
//! `fuzz/` include this file as it is (`#[path]`).

use std::time::Duration;

/// A signed duration from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedDur {
    pub negative: bool,
    pub abs: Duration,
}

impl SignedDur {
    pub fn as_secs_f64(self) -> f64 {
        let s = self.abs.as_secs_f64();
        if self.negative { -s } else { s }
    }
}

/// `5s`, `500ms`, `2m`, `1h`, `-3600s`, or a bare number of seconds
/// ([`onvif_proto::time::parse_short_duration`]).
pub fn parse_duration(s: &str) -> Result<SignedDur, String> {
    let (negative, abs) = onvif_proto::time::parse_short_duration(s)?;
    Ok(SignedDur { negative, abs })
}

/// A duration that must be longer than zero: a timeout, how long to hold or move, a delay.
/// The error speaks of the duration as given (clap adds the option's name).
pub fn parse_timeout(s: &str) -> Result<SignedDur, String> {
    let d = parse_unsigned(s)?;
    if d.abs.is_zero() {
        return Err(format!(
            "{s:?}: the duration must be longer than zero (e.g. 2s, 500ms)"
        ));
    }
    Ok(d)
}

/// A duration of zero or more (what zero means is the option's to say).
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    Ok(parse_unsigned(s)?.abs)
}

/// A duration that cannot be negative, refused with examples that fit it (the general
/// parser's examples include a negative one).
fn parse_unsigned(s: &str) -> Result<SignedDur, String> {
    let d = parse_duration(s).map_err(|e| {
        if e.contains("is not a duration") {
            format!("{s:?} is not a duration (examples: 5s, 500ms, 2m, 1h)")
        } else {
            e
        }
    })?;
    if d.negative {
        return Err(format!("{s:?}: a duration cannot be negative"));
    }
    Ok(d)
}

/// `8388608`, `64K`, `8M`, `1G`.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1024),
        Some('M') => (&t[..t.len() - 1], 1024 * 1024),
        Some('G') => (&t[..t.len() - 1], 1024 * 1024 * 1024),
        _ => (t, 1),
    };
    let n: usize = num
        .trim_end_matches(['i', 'B', 'b'])
        .parse()
        .map_err(|_| format!("{s:?} is not a size (examples: 65536, 64K, 8M)"))?;
    n.checked_mul(mult)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("{s:?} is out of range"))
}

// ---- splitting lines into words ----

/// A line split into words, with where each word starts (for completion).
#[derive(Debug, Default)]
pub(crate) struct Split {
    pub(crate) words: Vec<(usize, String)>,
    /// The line ends inside quotes.
    pub(crate) open_quote: bool,
    /// The line ends between words (so the last word is complete).
    pub(crate) ends_between: bool,
}

impl Split {
    pub(crate) fn words(self) -> Vec<String> {
        self.words.into_iter().map(|(_, w)| w).collect()
    }
}

/// Shell-like splitting: whitespace separates words; 'single quotes' are literal; in "double
/// quotes" a backslash escapes `"`, `\`, `$` and `` ` ``; elsewhere a backslash escapes any
/// character; `#` at the start of a word begins a comment.
pub(crate) fn tokenize(line: &str) -> Split {
    #[derive(PartialEq)]
    enum Q {
        None,
        Single,
        Double,
    }
    let mut s = Split {
        ends_between: true,
        ..Split::default()
    };
    let mut cur: Option<(usize, String)> = None;
    let mut q = Q::None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match q {
            Q::Single => {
                if c == '\'' {
                    q = Q::None;
                } else if let Some((_, w)) = cur.as_mut() {
                    w.push(c);
                }
            }
            Q::Double => match c {
                '"' => q = Q::None,
                '\\' => {
                    let next = chars.peek().map(|&(_, n)| n);
                    let w = cur.get_or_insert_with(|| (i, String::new()));
                    match next {
                        Some(n @ ('"' | '\\' | '$' | '`')) => {
                            w.1.push(n);
                            chars.next();
                        }
                        _ => w.1.push('\\'),
                    }
                }
                _ => {
                    if let Some((_, w)) = cur.as_mut() {
                        w.push(c);
                    }
                }
            },
            Q::None => {
                if c.is_whitespace() {
                    if let Some(w) = cur.take() {
                        s.words.push(w);
                    }
                    continue;
                }
                if c == '#' && cur.is_none() {
                    s.ends_between = true;
                    return s;
                }
                let w = cur.get_or_insert_with(|| (i, String::new()));
                match c {
                    '\'' => q = Q::Single,
                    '"' => q = Q::Double,
                    '\\' => match chars.next() {
                        Some((_, n)) => w.1.push(n),
                        None => w.1.push('\\'),
                    },
                    _ => w.1.push(c),
                }
            }
        }
    }
    s.open_quote = q != Q::None;
    s.ends_between = cur.is_none();
    if let Some(w) = cur {
        s.words.push(w);
    }
    s
}

/// A word as the shell would need it typed.
pub(crate) fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/@%+=,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
