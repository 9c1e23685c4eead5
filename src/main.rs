//! The `copydesk` binary: logging, then the command line (`cli`).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    if let Err(problem) = copydesk::telemetry::init() {
        eprintln!("copydesk: {problem}");
        return ExitCode::FAILURE;
    }
    match copydesk::cli::run().await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("copydesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}
