use std::process::ExitCode;

/// Rendering a page makes and frees thousands of small strings on two threads at once:
/// glibc's allocator took a quarter of the server's CPU time doing so (perf, uncached
/// article renders), mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
