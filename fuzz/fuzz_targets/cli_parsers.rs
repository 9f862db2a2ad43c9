//! The command line's text parsers: durations, timeouts, sizes, the shell's splitting of a
//! line into words (a word written by `quote` splits back into itself), and the camera
//! address parser. The input is split at NUL bytes, each part tried with every parser.
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/onvif-cli/src/words.rs"]
mod words;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for part in data.split(|&b| b == 0) {
        let s = String::from_utf8_lossy(part);
        if let Ok(d) = words::parse_duration(&s) {
            assert!(d.as_secs_f64().is_finite());
        }
        let _ = words::parse_timeout(&s);
        if let Ok(n) = words::parse_size(&s) {
            assert!(n > 0);
        }
        let split = words::tokenize(&s);
        let _ = (split.open_quote, split.ends_between);
        for w in split.words() {
            let q = words::quote(&w);
            let back = words::tokenize(&q).words();
            assert_eq!(
                back,
                vec![w.clone()],
                "quote({w:?}) = {q:?} does not split back"
            );
        }
        let q = words::quote(&s);
        assert_eq!(
            words::tokenize(&q).words(),
            vec![s.to_string()],
            "quote({s:?}) = {q:?}"
        );
        if let Ok(urls) = onvif::address::candidates(&s) {
            for u in urls {
                let _ = onvif::address::Repair::new(u).repair(&s);
            }
        }
    }
});
