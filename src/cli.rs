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
    /// Manage staff accounts. Passwords come from `COPYDESK_PASSWORD` or a prompt, never
    /// from the command line (where other users could see them).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Import or update articles from Markdown files with YAML front matter.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the whole site (articles and their revisions, topics, comments, reports,
    /// suggestions, notices, staff, bans, the audit log, settings) to FILE or standard output,
    /// as JSON lines, from one consistent snapshot.
    Export {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read a site written by `export` (from SQLite or PostgreSQL) into the empty database
    /// DATABASE_URL names; FILE `-` reads standard input. All or nothing is written.
    ImportDump { file: PathBuf },
    /// Write Brotli and gzip copies of the static assets under DIR (a build step: the
    /// server sends them instead of compressing on the fly).
    Precompress { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Create an account.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["moderator", "editor", "admin"])]
        role: String,
    },
    /// Set a new password (and sign the account out everywhere).
    Passwd {
        #[arg(long)]
        email: String,
    },
    /// Delete an account; its audit entries stay.
    Remove {
        #[arg(long)]
        email: String,
    },
    /// List accounts.
    List,
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
            db::connect_with(&config.database).await.context("opening the database")?;
            println!("The database at {} is up to date.", db::redacted(&config.database.url));
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files } => import(&config, files).await,
        Command::Precompress { dir } => {
            let done = crate::assets::precompress(&dir).with_context(|| format!("compressing {}", dir.display()))?;
            println!("Compressed {} files under {}.", done.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { output } => export(&config, output).await,
        Command::ImportDump { file } => import_dump(&config, &file).await,
        Command::Settings(args) => settings(&config, args).await,
        Command::Staff(command) => staff(&config, command).await,
        Command::Corrections => {
            let pool = db::connect_with(&config.database).await.context("opening the database")?;
            for group in db::corrections::list(&pool).await? {
                println!("{}", serde_json::to_string(&group)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn export(config: &Config, output: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let counts = match &output {
        Some(path) => {
            // Written beside the target and renamed when complete: a failed export leaves
            // no half file under the name asked for.
            let partial = path.with_extension("partial");
            let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
            let counts = db::dump::export(&pool, &mut std::io::BufWriter::new(file)).await?;
            std::fs::rename(&partial, path)?;
            counts
        }
        None => db::dump::export(&pool, &mut std::io::BufWriter::new(std::io::stdout().lock())).await?,
    };
    eprintln!("Exported {}.", summary(&counts));
    Ok(ExitCode::SUCCESS)
}

async fn import_dump(config: &Config, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let counts = if file.as_os_str() == "-" {
        db::dump::import(&pool, std::io::stdin().lock()).await?
    } else {
        let input = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        db::dump::import(&pool, std::io::BufReader::new(input)).await?
    };
    eprintln!("Imported {} into {}.", summary(&counts), db::redacted(&config.database.url));
    Ok(ExitCode::SUCCESS)
}

fn summary(counts: &db::dump::Counts) -> String {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let tables: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(t, n)| format!("{t} {n}")).collect();
    format!("{total} rows ({})", tables.join(", "))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = db::connect_with(&config.database)
        .await
        .with_context(|| format!("opening the database at {}", db::redacted(&config.database.url)))?;
    let mut demo_sign_in = None;
    if config.demo {
        let loaded = seed_demo(&pool).await?;
        if loaded > 0 {
            tracing::info!(loaded, "demo articles loaded into the empty database");
        }
        demo_sign_in = Some(crate::import::demo_staff(&pool).await?);
    }
    let addr = config.leptos.site_addr;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let header_timeout = config.header_timeout;
    let state = AppState::new(pool, config).await.context("reading site settings")?;
    println!("Copydesk is serving {} at http://{}", db::redacted(&state.config.database.url), listener.local_addr()?);
    if let Some((email, password)) = demo_sign_in {
        println!("Staff desk: http://{}/staff  (demo admin: {email} / {password})", listener.local_addr()?);
    }
    startup::serve(listener, startup::site(state), header_timeout).await?;
    Ok(())
}

async fn import(config: &Config, files: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
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

    let pool = db::connect_with(&config.database).await.context("opening the database")?;
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

/// The new password: `COPYDESK_PASSWORD`, or typed twice at a prompt that does not echo.
fn new_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("COPYDESK_PASSWORD") {
        return Ok(password);
    }
    let first = rpassword::prompt_password("New password: ").context("reading the password")?;
    let second = rpassword::prompt_password("Again: ").context("reading the password")?;
    anyhow::ensure!(first == second, "the two passwords differ");
    Ok(first)
}

async fn staff(config: &Config, command: StaffCommand) -> anyhow::Result<ExitCode> {
    use crate::db::audit::{Kind, record};
    use crate::domain::staff::{Role, check_password, parse_account};

    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    match command {
        StaffCommand::Add { email, name, role } => {
            let role = Role::parse(&role).context("unknown role")?;
            let password = new_password()?;
            let (email, name) = parse_account(&email, &name, &password).map_err(anyhow::Error::msg)?;
            let hash = crate::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            if db::staff::create(&pool, &email, &name, role, &hash).await?.is_none() {
                eprintln!("An account with the email {email} exists already.");
                return Ok(ExitCode::FAILURE);
            }
            record(&pool, None, Kind::Staff, "added account", &email, role.as_str()).await?;
            println!("Added {name} <{email}> as {}.", role.as_str());
        }
        StaffCommand::Passwd { email } => {
            let email = email.trim().to_lowercase();
            let password = new_password()?;
            check_password(&password).map_err(anyhow::Error::msg)?;
            let hash = crate::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            if !db::staff::set_password(&pool, &email, &hash).await? {
                eprintln!("No account has the email {email}.");
                return Ok(ExitCode::FAILURE);
            }
            record(&pool, None, Kind::Staff, "set password", &email, "").await?;
            println!("Password changed for {email}; its sessions are signed out.");
        }
        StaffCommand::Remove { email } => {
            let email = email.trim().to_lowercase();
            if !db::staff::remove(&pool, &email).await? {
                eprintln!("No account has the email {email}.");
                return Ok(ExitCode::FAILURE);
            }
            record(&pool, None, Kind::Staff, "removed account", &email, "").await?;
            println!("Removed {email}.");
        }
        StaffCommand::List => {
            for s in db::staff::list(&pool).await? {
                println!("{}\t{}\t{}", s.email, s.role.as_str(), s.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
