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
    /// Show or change comment moderation: the site's mode, an article's override and
    /// whether it takes comments, and the suspect and banned word lists.
    Settings(SettingsArgs),
    /// Import or update articles from Markdown files with YAML front matter.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct SettingsArgs {
    /// Change one article instead of the site (its slug).
    #[arg(long)]
    article: Option<String>,
    /// `pre` holds new comments for a moderator, `post` publishes them at once; for an
    /// article, `site` follows the site's mode again.
    #[arg(long, value_parser = ["pre", "post", "site"])]
    moderation: Option<String>,
    /// Close the article's comments (the list stays).
    #[arg(long, requires = "article", conflicts_with = "open_comments")]
    close_comments: bool,
    /// Open the article's comments again.
    #[arg(long, requires = "article")]
    open_comments: bool,
    /// Words or phrases that hold a comment for moderation.
    #[arg(long, value_name = "WORD")]
    suspect_add: Vec<String>,
    #[arg(long, value_name = "WORD")]
    suspect_remove: Vec<String>,
    /// Words or phrases that refuse a comment.
    #[arg(long, value_name = "WORD")]
    banned_add: Vec<String>,
    #[arg(long, value_name = "WORD")]
    banned_remove: Vec<String>,
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
        Command::Settings(args) => settings(&config, args).await,
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

async fn settings(config: &Config, args: SettingsArgs) -> anyhow::Result<ExitCode> {
    use crate::db::comments::{self as comments, WordListName};
    use crate::domain::comment::Moderation;
    use crate::domain::words::normalise_entry;

    let pool = db::connect(&config.database_url).await.context("opening the database")?;
    let mode = |raw: &str| Moderation::parse(raw);
    match &args.article {
        Some(slug) => {
            let Some(current) = comments::article_settings(&pool, slug).await? else {
                eprintln!("No published article has the slug {slug}.");
                return Ok(ExitCode::FAILURE);
            };
            let override_mode = match args.moderation.as_deref() {
                None => current.override_mode,
                Some(raw) => mode(raw),
            };
            let closed = if args.close_comments {
                true
            } else if args.open_comments {
                false
            } else {
                current.closed
            };
            comments::set_article_comments(&pool, slug, override_mode, closed).await?;
        }
        None => {
            if args.close_comments || args.open_comments {
                anyhow::bail!("--close-comments and --open-comments need --article");
            }
            match args.moderation.as_deref() {
                Some("site") => anyhow::bail!("`site` is only for an article's --moderation"),
                Some(raw) => comments::set_site_moderation(&pool, mode(raw).unwrap_or(Moderation::Pre)).await?,
                None => {}
            }
        }
    }
    let entries = |raw: &[String]| raw.iter().filter_map(|w| normalise_entry(w)).collect::<Vec<_>>();
    comments::add_words(&pool, WordListName::Suspect, &entries(&args.suspect_add)).await?;
    comments::remove_words(&pool, WordListName::Suspect, &entries(&args.suspect_remove)).await?;
    comments::add_words(&pool, WordListName::Banned, &entries(&args.banned_add)).await?;
    comments::remove_words(&pool, WordListName::Banned, &entries(&args.banned_remove)).await?;

    println!("Site moderation: {}", comments::site_moderation(&pool).await?.as_str());
    if let Some(slug) = &args.article
        && let Some(article) = comments::article_settings(&pool, slug).await?
    {
        let open = if article.closed { "closed" } else { "open" };
        println!("Article {slug}: moderation {}, comments {open}", article.mode.as_str());
    }
    println!("Suspect words: {}", comments::words(&pool, WordListName::Suspect).await?.join(", "));
    println!("Banned words: {}", comments::words(&pool, WordListName::Banned).await?.join(", "));
    Ok(ExitCode::SUCCESS)
}
