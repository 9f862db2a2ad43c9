//! `decode`: a saved SOAP answer, read by the code that reads live ones, printed as JSON.

use std::io::Read;
use std::path::Path;

use onvif::proto;

use crate::commands::events::kind_table;
use crate::failure::{Failure, exit};
use crate::output;

/// `decode`: always JSON.
pub fn run(file: &Path, kinds: Option<&Path>) -> Result<(), Failure> {
    let kinds = kind_table(kinds)?;
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
        b
    } else {
        std::fs::read(file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?
    };
    let decoded = proto::decode::decode_with_kinds(&bytes, &kinds).map_err(|e| Failure {
        code: exit::DEVICE,
        message: format!("{}: {e}", file.display()),
    })?;
    match output::answer_json(&decoded, false) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            return Err(Failure {
                code: exit::INTERNAL,
                message: format!("cannot render JSON: {e}"),
            });
        }
    }
    Ok(())
}
