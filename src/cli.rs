//! (ssr) The `copydesk` command line: `serve` (the default), `migrate`, `import FILE...`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::{self, articles::Upserted};
use crate::import::{import_sources, seed_demo};
use crate::startup;
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about = "A newsroom site: articles, comments and reader corrections")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Load the sample articles when the database has none (also `COPYDESK_DEMO=1`).
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// List readers' correction suggestions, most recent first, one JSON object a line.
    Corrections,
    /// Import or update articles from Markdown files with YAML front matter.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub async fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let mut config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            config.demo |= demo;
            serve(config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            db::connect(&config.database_url).await.context("opening the database")?;
            println!("The database at {} is up to date.", config.database_url);
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files } => import(&config, files).await,
        Command::Corrections => {
            let pool = db::connect(&config.database_url).await.context("opening the database")?;
            for group in db::corrections::list(&pool).await? {
                println!("{}", serde_json::to_string(&group)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(&config.database_url)
        .await
        .with_context(|| format!("opening the database at {}", config.database_url))?;
    if config.demo {
        let loaded = seed_demo(&pool).await?;
        if loaded > 0 {
            tracing::info!(loaded, "demo articles loaded into the empty database");
        }
    }
    let addr = config.leptos.site_addr;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let state = AppState::new(pool, config).await.context("reading site settings")?;
    println!("Copydesk is serving {} at http://{}", state.config.database_url, listener.local_addr()?);
    startup::serve(listener, startup::router(state)).await?;
    Ok(())
}

async fn import(config: &Config, files: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect(&config.database_url).await.context("opening the database")?;
    let mut texts = Vec::new();
    let mut failed = 0;
    for path in files {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => texts.push((name, text)),
            Err(error) => {
                eprintln!("{name}: not imported: cannot read the file: {error}");
                failed += 1;
            }
        }
    }
    let reports = import_sources(&pool, texts.iter().map(|(n, t)| (n.clone(), t.as_str()))).await;
    for report in reports {
        match report.result {
            Ok((outcome, slug)) => {
                let what = match outcome {
                    Upserted::Created => "created",
                    Upserted::Updated => "updated",
                    Upserted::Unchanged => "unchanged",
                };
                println!("{}: {what} /articles/{slug}", report.name);
            }
            Err(problem) => {
                eprintln!("{}: not imported: {problem}", report.name);
                failed += 1;
            }
        }
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
