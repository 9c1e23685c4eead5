//! The `copydesk` binary: logging, then the command line (`cli`).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    copydesk::telemetry::init();
    match copydesk::cli::run().await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("copydesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}
