//! The `copydesk` binary: the command line (`cli`).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match copydesk::cli::run().await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("copydesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}
