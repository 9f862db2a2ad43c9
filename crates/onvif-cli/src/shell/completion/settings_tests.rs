//! The settings commands complete in the shell like the others: from the command tree.

use super::*;
use crate::args::shell_tree;

fn names(before: &str) -> Vec<String> {
    let tree = shell_tree();
    let (_, pairs) = complete(&tree, &Cache::default(), before);
    pairs.into_iter().map(|p| p.display).collect()
}

#[test]
fn settings_commands_and_their_values_complete() {
    assert_eq!(names("user"), ["users"]);
    assert_eq!(names("discovery-mode set non"), ["non-discoverable"]);
    assert_eq!(names("users a"), ["add"]);
    assert_eq!(names("users add op --level op"), ["operator"]);
    assert!(names("dns set --s").contains(&"--server".to_owned()));
    assert!(names("protocols set --d").contains(&"--disable".to_owned()));
    assert_eq!(names("factory-reset --fo"), ["--force"]);
    assert_eq!(names("hostname s"), ["set"]);
}
