//! `completions` and `manpage`: the command tree, written out for shells and for `man`.

use crate::failure::{Failure, exit};

/// `completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::args::command(), "onvif", &mut script);
    write_stdout(&script)
}

/// `manpage`: the page on stdout, or with `--dir` one page per command in that directory.
pub fn manpage(dir: Option<&std::path::Path>) -> Result<(), Failure> {
    let cmd = crate::args::command();
    if let Some(dir) = dir {
        clap_mangen::generate_to(cmd, dir)
            .map_err(|e| Failure::usage(format!("cannot write to {}: {e}", dir.display())))?;
        eprintln!("manual pages written to {}", dir.display());
        return Ok(());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| Failure::usage(format!("cannot render the manual page: {e}")))?;
    write_stdout(&page)
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure {
            code: exit::INTERNAL,
            message: format!("cannot write to stdout: {e}"),
        }),
        _ => Ok(()),
    }
}
