//! Peak memory of reading XML, in bytes, counted by this test binary's allocator: any accepted
//! input is read within a small multiple of its size, and a hostile one is refused before it
//! costs more. Nothing here opens a socket.
#![allow(clippy::unwrap_used)]

use onvif_testkit::alloc::{self, CountingAlloc};
use onvif_testkit::captures::{captures_dir, files};

#[global_allocator]
static A: CountingAlloc = CountingAlloc;

/// One test at a time: the counters are global, and another test's allocations would count.
fn alone() -> std::sync::MutexGuard<'static, ()> {
    alloc::alone()
}

/// Bytes allocated at the peak of `f`, above what was allocated before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    alloc::peak_of(&A, f)
}

fn envelope_with(body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

#[test]
fn many_siblings_that_each_declare_a_prefix_cost_memory_in_proportion() {
    let _alone = alone();
    // A few long namespace URIs in scope, then many siblings that each declare one prefix:
    // each element used to copy every binding in scope.
    let long: String = "u".repeat(2000);
    let mut doc = String::from(r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope""#);
    for i in 0..20 {
        doc.push_str(&format!(r#" xmlns:l{i}="urn:{long}{i}""#));
    }
    doc.push_str("><s:Body><r>");
    while doc.len() < 148_000 {
        doc.push_str(r#"<x xmlns:p="urn:p"/>"#);
    }
    doc.push_str("</r></s:Body></s:Envelope>");
    let (res, peak) = peak_of(|| onvif_proto::xml::parse(doc.as_bytes()));
    let ratio = peak as f64 / doc.len() as f64;
    println!(
        "{} bytes in, peak {peak} bytes ({ratio:.1}x), accepted: {}",
        doc.len(),
        res.is_ok()
    );
    assert!(
        peak < 24 * doc.len() + 64 * 1024,
        "peak {peak} bytes for {} bytes",
        doc.len()
    );
}

#[test]
fn a_flood_of_tiny_elements_is_refused_before_it_costs_much() {
    let _alone = alone();
    let mut body = String::with_capacity(2_100_000);
    while body.len() < 2_000_000 {
        body.push_str("<a/>");
    }
    let doc = envelope_with(&format!("<r>{body}</r>"));
    let (res, peak) = peak_of(|| onvif_proto::xml::parse(doc.as_bytes()));
    println!(
        "{} bytes in, peak {peak} bytes, accepted: {}",
        doc.len(),
        res.is_ok()
    );
    assert!(
        peak < 24 * doc.len() + 64 * 1024,
        "peak {peak} bytes for {} bytes",
        doc.len()
    );
    if let Err(e) = res {
        assert!(e.message.contains("elements"), "{e}");
    }
}

#[test]
fn every_capture_is_read_within_a_small_multiple_of_its_size() {
    let _alone = alone();
    let Some(dir) = captures_dir() else { return };
    let files: Vec<_> = files(&dir)
        .into_iter()
        .filter(|f| f.ends_with(".xml"))
        .map(|f| dir.join(f))
        .collect();
    assert!(files.len() > 100, "{} captures", files.len());
    let mut worst = (0.0, String::new());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let (_, peak) = peak_of(|| onvif_proto::xml::parse(&bytes));
        let ratio = peak as f64 / bytes.len().max(1) as f64;
        if ratio > worst.0 {
            worst = (ratio, f.display().to_string());
        }
        assert!(
            peak < 24 * bytes.len() + 64 * 1024,
            "{}: peak {peak} bytes for {} bytes",
            f.display(),
            bytes.len()
        );
    }
    println!("worst ratio {:.1}x: {}", worst.0, worst.1);
}

#[test]
fn reporting_camera_mistakes_costs_little_on_a_deep_wide_answer() {
    let _alone = alone();
    // 250 levels, then 100 000 empty siblings with undeclared prefixes and placeholders.
    let mut doc = String::new();
    for i in 0..250 {
        doc.push_str(&format!("<level{i}>"));
    }
    for i in 0..100_000 {
        doc.push_str(&format!("<u{}:n{i} v=\"{{{{x}}}}\"/>", i % 7));
    }
    for i in (0..250).rev() {
        doc.push_str(&format!("</level{i}>"));
    }
    let el = onvif_proto::xml::parse(doc.as_bytes()).unwrap();
    let ((ph, unbound), peak) = peak_of(|| (el.placeholders(), el.unbound_names().len()));
    println!("{} bytes in, reports peak {peak} bytes", doc.len());
    assert_eq!(ph.len(), onvif_proto::xml::MAX_REPORTED);
    assert!(ph[0].starts_with("level0/level1/"), "{}", ph[0]);
    assert_eq!(unbound, onvif_proto::xml::MAX_REPORTED);
    assert!(peak < 256 * 1024, "peak {peak} bytes");
}

#[test]
fn prefixed_attributes_do_not_copy_a_long_namespace_each() {
    let _alone = alone();
    let uri = format!("urn:{}", "n".repeat(64 * 1024));
    let mut doc = format!(r#"<r xmlns:p="{uri}"><e"#);
    while doc.len() < 1024 * 1024 {
        doc.push_str(r#" p:a="""#);
    }
    doc.push_str("/></r>");
    let (res, peak) = peak_of(|| onvif_proto::xml::parse(doc.as_bytes()));
    println!(
        "{} bytes in, peak {peak} bytes, accepted: {}",
        doc.len(),
        res.is_ok()
    );
    assert!(
        peak < 24 * doc.len() + 64 * 1024,
        "peak {peak} bytes for {} bytes",
        doc.len()
    );
    let e = res.unwrap_err();
    assert!(e.message.contains("more attributes than"), "{e}");
    // A few such attributes are read, their namespace shared.
    let ok = format!(r#"<r xmlns:p="{uri}"><e p:a="1" p:b="2"/></r>"#);
    let el = onvif_proto::xml::parse(ok.as_bytes()).unwrap();
    let e = &el.children[0];
    assert_eq!(e.attr_ns(&uri, "b"), Some("2"));
    let (a, b) = (
        e.attrs[0].ns.as_ref().unwrap(),
        e.attrs[1].ns.as_ref().unwrap(),
    );
    assert!(std::sync::Arc::ptr_eq(a, b));
}
