//! `onvif network set` on the real binary against the simulated camera on 127.0.0.1: an
//! interface's IPv4 address set by hand or from DHCP, its MTU, the confirmation it asks first
//! and what it says of where the camera will be; the refusals.
//! Nothing here opens a socket to these addresses: 192.0.2.x and 198.51.100.x are
//! documentation values stored as settings; the only peer is the simulator on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::process::Output;

use onvif_testkit::{Sim, cli, json, stderr, stdout};

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_set_by_hand_then_taken_from_dhcp() {
    let h = Sim::builder().start().await;
    let port = h.addr().port();
    let set = ["network", "set", "--address", "198.51.100.7/24"];
    // Not confirmed, nothing is sent.
    let o = cli!().run_on(&h, &set).await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetNetworkInterfaces"), 0);

    // A gateway outside the new network is pointed out before anything is sent.
    let o = cli!()
        .run_on(&h, &["gateway", "set", "192.0.2.1", "--yes"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!().run_on(&h, &[&set[..], &["--yes"]].concat()).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("The camera will answer at 198.51.100.7:{port}")),
        "{err}"
    );
    assert!(
        err.contains("gateway 192.0.2.1 is outside 198.51.100.0/24"),
        "{err}"
    );
    assert!(
        err.contains("takes the change at its next reboot")
            && err.contains(&format!("then use -H 198.51.100.7:{port}")),
        "{err}"
    );
    assert!(stdout(&o).contains("198.51.100.7/24"), "{}", stdout(&o));
    assert_eq!(h.reboots(), 0, "no reboot unless asked");

    // From DHCP, rebooted at once: the camera says where it stays until then.
    let v = json(
        &cli!()
            .run_on(
                &h,
                &["--json", "network", "set", "--dhcp", "--reboot", "--yes"],
            )
            .await,
    );
    assert_eq!(v["reboot_needed"], true, "{v}");
    assert_eq!(v["rebooted"], true, "{v}");
    assert_eq!(
        v["interfaces"]["interfaces"][0]["ipv4"]["dhcp"], "true",
        "{v}"
    );
    assert!(v.get("next_host").is_none(), "{v}");
    assert_eq!(h.reboots(), 1);
    let o = cli!().run_on(&h, &["network"]).await;
    let row = stdout(&o)
        .lines()
        .find(|l| l.starts_with("eth0"))
        .unwrap()
        .to_owned();
    assert!(
        row.contains(" yes ") && row.contains("127.0.0.1/8"),
        "{row}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_changes_are_refused_with_what_was_wrong() {
    let h = Sim::builder().start().await;
    for (args, exit, says) in [
        (&["network", "set", "--yes"][..], 2, "nothing to set"),
        (
            &["network", "set", "--address", "198.51.100.7", "--yes"],
            2,
            "give the prefix length",
        ),
        (
            &["network", "set", "--address", "198.51.100.0/24", "--yes"],
            2,
            "the network's own address",
        ),
        (
            &["network", "set", "--address", "198.51.100.7/33", "--yes"],
            2,
            "from 1 to 32",
        ),
        (
            &["network", "set", "--address", "127.0.0.2/8", "--yes"],
            2,
            "no address a camera can have",
        ),
        (
            &["network", "set", "--address", "0.1.2.3/8", "--yes"],
            2,
            "no address a camera can have",
        ),
        (
            &["network", "set", "--address", "240.0.0.1/8", "--yes"],
            2,
            "no address a camera can have",
        ),
        (
            &[
                "network",
                "set",
                "--interface",
                "x\u{1b}y",
                "--dhcp",
                "--yes",
            ],
            2,
            "no network interface \"x\\u{1b}y\" (it has",
        ),
        (
            &["network", "set", "--dhcp", "--address", "198.51.100.7/24"],
            2,
            "cannot be used with",
        ),
        (
            &["network", "set", "--interface", "wlan0", "--dhcp", "--yes"],
            2,
            "no network interface \"wlan0\" (it has: eth0)",
        ),
        // The camera's own refusal: a device error naming its reason.
        (
            &["network", "set", "--mtu", "100", "--yes"],
            4,
            "InvalidMtuValue",
        ),
    ] {
        let o = cli!().run_on(&h, args).await;
        assert_eq!(code(&o), exit, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(
        h.stats().operation("SetNetworkInterfaces"),
        1,
        "the MTU only"
    );
    let o = cli!().run_on(&h, &["network"]).await;
    assert!(
        stdout(&o).contains("no    1500  127.0.0.1/8"),
        "{}",
        stdout(&o)
    );
    // A host address on its own (/32) is one.
    let o = cli!()
        .run_on(
            &h,
            &["network", "set", "--address", "192.0.2.50/32", "--yes"],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A camera that takes a new address at once (`RebootNeeded` false) is not asked anything
/// more at the old one; the tool says where it is now.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_moves_at_once_is_not_asked_again_where_it_was() {
    let h = Sim::builder()
        .quirk(onvif_sim::Quirk::NetworkAtOnce)
        .start()
        .await;
    let port = h.addr().port();
    let o = cli!()
        .run_on(
            &h,
            &[
                "--json",
                "network",
                "set",
                "--address",
                "198.51.100.7/24",
                "--yes",
            ],
        )
        .await;
    let v = json(&o);
    assert_eq!(v["reboot_needed"], false, "{v}");
    assert!(v.get("interfaces").is_none(), "not read back: {v}");
    assert_eq!(v["next_host"], format!("198.51.100.7:{port}"), "{v}");
    assert!(
        stderr(&o).contains(&format!(
            "takes the change at once: use -H 198.51.100.7:{port}"
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        h.stats().operation("GetNetworkInterfaces"),
        1,
        "only before"
    );
    // The MTU alone moves nothing: read back.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "network", "set", "--mtu", "1400", "--yes"])
            .await,
    );
    assert_eq!(v["interfaces"]["interfaces"][0]["mtu"], 1400, "{v}");
}
