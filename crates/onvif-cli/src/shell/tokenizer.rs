//! The shell's reading of a line: its words (split by `crate::words::tokenize`, which the fuzz
//! targets share: quotes, backslashes, `#` comments), the bare `ptz` that means `ptz control`,
//! and which lines stay out of the history because they may show a password.

use crate::words::tokenize;

/// The words of a line, as the shell runs them; `None` when a quote is left open.
pub fn command_words(line: &str) -> Option<Vec<String>> {
    let split = tokenize(line);
    if split.open_quote {
        return None;
    }
    let mut words = split.words();
    // A bare `ptz` (with or without --profile) is the arrow-key mode.
    if !words.is_empty()
        && words[0] == "ptz"
        && (words.len() == 1
            || (words.len() == 2 && words[1].starts_with("--profile="))
            || (words.len() == 3 && words[1] == "--profile"))
    {
        words.push("control".into());
    }
    Some(words)
}

/// Whether a line typed at the prompt goes into the history: not an empty one, nor one that
/// may show a password.
pub fn for_history(line: &str) -> bool {
    let words = tokenize(line).words();
    !words.is_empty() && !holds_password(&words)
}

/// Lines that may show a password are kept out of the history file: `-p` and `--password`
/// in any spelling (`-p=x`, `-px`, short flags clustered with `p`, `--Password`), long flags
/// that look like a mistyped password flag (`--pasword`, `--passwd`, `--pw`), and addresses
/// with user-info, with or without a scheme (`admin:pw@cam`, `http://u:pw@cam`).
fn holds_password(words: &[String]) -> bool {
    words.iter().any(|w| {
        if let Some(long) = w.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or("").to_ascii_lowercase();
            return looks_like_password_flag(&name);
        }
        if let Some(short) = w.strip_prefix('-')
            && !short.is_empty()
            && !short.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        {
            return short.contains(['p', 'P']);
        }
        has_userinfo(w)
    })
}

/// `password` and what a hurried hand makes of it.
fn looks_like_password_flag(name: &str) -> bool {
    name.contains("pass")
        || name.contains("pw")
        || name.contains("pwd")
        || name.contains("secret")
        || edit_distance(name, "password") <= 3
}

/// An address with user-info: one that redaction changes (anything up to its last `@`, after
/// any `scheme://`: a password may hold `/ ? # @`, so `http://admin:pa/ss@cam` has user-info).
fn has_userinfo(word: &str) -> bool {
    onvif::address::redact_userinfo(word) != word
}

/// Levenshtein distance (short words only: flag names).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::words::quote;

    #[test]
    fn lines_that_may_show_a_password_stay_out_of_the_history() {
        let held = |line: &str| holds_password(&tokenize(line).words());
        for line in [
            "connect admin:Pw-9x@127.0.0.1",
            "connect admin@127.0.0.1",
            "connect http://admin:Pw-9x@127.0.0.1/onvif/device_service",
            "connect http://admin:pa/ss@cam",
            "connect admin:pa/ss@127.0.0.1:8080",
            "connect https://admin:p?w#x@cam:8443/onvif/device_service",
            "connect 'admin:p@ss/w rd@cam'",
            "info --pasword Pw-9x",
            "info --passwd Pw-9x",
            "info --pass=Pw-9x",
            "info --Password Pw-9x",
            "info --pw Pw-9x",
            "info --passowrd Pw-9x",
            "info -p Pw-9x",
            "info -pPw-9x",
            "info -p=Pw-9x",
            "info -P Pw-9x",
            "-vp Pw-9x info",
            "info -u admin --password=Pw-9x",
        ] {
            assert!(held(line), "{line:?} would be kept in the history");
        }
        for line in [
            "info",
            "connect 127.0.0.1:8000",
            "connect http://cam.local/onvif/device_service",
            "stream-uri --profile Profile_2",
            "ptz move --pan -0.5 --tilt 0.2",
            "use garden",
            "imaging set --brightness 60",
        ] {
            assert!(!held(line), "{line:?} would be left out of the history");
        }
    }

    #[test]
    fn lines_split_like_a_shell() {
        let w = |s: &str| tokenize(s).words();
        assert_eq!(w("info"), ["info"]);
        assert_eq!(
            w("  ptz  preset goto 'Front door' "),
            ["ptz", "preset", "goto", "Front door"]
        );
        assert_eq!(w(r#"raw "a \"b\" c" d\ e"#), ["raw", r#"a "b" c"#, "d e"]);
        assert_eq!(w("info # a comment"), ["info"]);
        assert_eq!(w("a'b'c"), ["abc"]);
        assert!(tokenize("raw 'oops").open_quote);
        assert!(w("").is_empty());
    }

    #[test]
    fn words_are_quoted_when_they_need_it() {
        assert_eq!(quote("Profile_1"), "Profile_1");
        assert_eq!(quote("Front door"), "'Front door'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(tokenize(&quote("it's")).words(), ["it's"]);
    }
}
