//! (ssr) The `copydesk` command line: `serve` (the default), `migrate`, `import FILE...`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::{Config, DatabaseSettings, ServeSettings};
use crate::db::{self, articles::Upserted};
use crate::error::AppError;
use crate::import::{import_sources, seed_demo};
use crate::media_store::MediaStore;
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about = "A newsroom site: articles, comments and reader corrections")]
struct Cli {
    #[command(flatten)]
    database: DatabaseSettings,
    #[command(flatten)]
    serve: ServeSettings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
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
    /// Run the copy check on Markdown article files (the import format): one
    /// `FILE:LINE:COLUMN:` line per possible problem; exit status 1 when there is any. Uses
    /// the database's house dictionary, published names and site language.
    Check {
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
    /// Import a WordPress export (WXR, from Tools → Export): posts as articles with their
    /// topics, authors and comments (threads, approval status, dates). Checked whole first;
    /// written in one transaction; importing it again changes nothing.
    ImportWxr { file: PathBuf },
    /// Copy the live SQLite database to FILE (consistent while it serves writes), then check
    /// the copy's integrity. PostgreSQL: says what to use instead.
    Backup { file: PathBuf },
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
    #[arg(long)]
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

/// What the commands other than `serve` need.
struct Settings {
    database: db::Options,
    /// `COPYDESK_MEDIA_STORE`, read by the commands that store photos.
    media_store: String,
}

pub async fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let _log_writer = crate::telemetry::init(&cli.database.log_format)?;
    let config = Settings { database: cli.database.options(), media_store: cli.database.media_store.clone() };
    match cli.command {
        None | Some(Command::Serve) => {
            serve(Config::new(&cli.database, cli.serve)).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Migrate) => {
            db::connect_with(&config.database).await.context("opening the database")?;
            println!("The database at {} is up to date.", db::redacted(&config.database.url));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import { files }) => import(&config, files).await,
        Some(Command::Check { files }) => check(&config, files).await,
        Some(Command::Precompress { dir }) => {
            let done = crate::assets::precompress(&dir).with_context(|| format!("compressing {}", dir.display()))?;
            println!("Compressed {} files under {}.", done.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { output }) => export(&config, output).await,
        Some(Command::Backup { file }) => {
            let pool = db::connect_with(&config.database).await.context("opening the database")?;
            let copied = db::backup::sqlite(&pool, &file).await?;
            println!(
                "Backed up to {}: {} articles, {} comments; integrity check ok.",
                file.display(),
                copied.articles,
                copied.comments
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::ImportDump { file }) => import_dump(&config, &file).await,
        Some(Command::ImportWxr { file }) => import_wxr(&config, &file).await,
        Some(Command::Settings(args)) => settings(&config, args).await,
        Some(Command::Staff(command)) => staff(&config, command).await,
        Some(Command::Corrections) => {
            let pool = db::connect_with(&config.database).await.context("opening the database")?;
            for group in db::corrections::list(&pool).await? {
                println!("{}", serde_json::to_string(&group)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn export(config: &Settings, output: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let counts = match &output {
        Some(path) => {
            // Written beside the target and renamed when complete: a failed export leaves
            // no half file under the name asked for.
            let partial = path.with_extension("partial");
            // Readable by its owner alone: it holds staff password hashes and readers' emails.
            let file = {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&partial)
            }
            .with_context(|| format!("creating {}", partial.display()))?;
            let bar = progress(None, "rows exported");
            let counts = db::dump::export(&pool, &mut std::io::BufWriter::new(RowCounter(file, bar.clone()))).await?;
            bar.finish_and_clear();
            std::fs::rename(&partial, path)?;
            counts
        }
        None => db::dump::export(&pool, &mut std::io::BufWriter::new(std::io::stdout().lock())).await?,
    };
    eprintln!("Exported {}.", summary(&counts));
    Ok(ExitCode::SUCCESS)
}

async fn import_dump(config: &Settings, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let counts = if file.as_os_str() == "-" {
        db::dump::import(&pool, std::io::stdin().lock()).await?
    } else {
        let input = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        let bar = progress(input.metadata().ok().map(|m| m.len()), "bytes read");
        let counts = db::dump::import(&pool, std::io::BufReader::new(bar.wrap_read(input))).await?;
        bar.finish_and_clear();
        counts
    };
    eprintln!("Imported {} into {}.", summary(&counts), db::redacted(&config.database.url));
    Ok(ExitCode::SUCCESS)
}

async fn import_wxr(config: &Settings, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    use crate::content::wordpress::MAX_FILE_BYTES;
    let size = std::fs::metadata(file).with_context(|| format!("opening {}", file.display()))?.len();
    if size > MAX_FILE_BYTES as u64 {
        anyhow::bail!(
            "{} is over {} MB; split the export in WordPress (by date)",
            file.display(),
            MAX_FILE_BYTES >> 20
        );
    }
    let xml = std::fs::read_to_string(file).with_context(|| format!("reading {} (as UTF-8)", file.display()))?;
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let bar = progress(Some(0), "posts");
    let result = crate::import::wordpress::import_wxr(&pool, &xml, &|n| bar.set_length(n as u64), &|| bar.inc(1)).await;
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            let w = &report.written;
            println!(
                "{}: {} posts created, {} updated, {} unchanged; {} comments added, {} already there.",
                file.display(),
                w.created,
                w.updated,
                w.unchanged,
                w.comments,
                w.comments_known
            );
            for (kind, n) in &report.skipped {
                println!("skipped: {n} {kind}");
            }
            if report.pingbacks > 0 {
                println!("skipped: {} pingbacks and trackbacks", report.pingbacks);
            }
            if report.shortened > 0 {
                println!("note: {} comments over this site's length limit were shortened", report.shortened);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(refused) => {
            eprintln!("{}: not imported: {refused}", file.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// A progress bar on standard error when it is a terminal; hidden otherwise (a pipe, a log,
/// a test), so scripted runs print only their results.
fn progress(length: Option<u64>, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match length {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let template = match length {
        Some(_) => format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left)"),
        None => format!("{{spinner}} {{pos}} {unit}"),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// Counts the rows an export writes (one JSON object a line) for its progress bar.
struct RowCounter<W: std::io::Write>(W, indicatif::ProgressBar);

impl<W: std::io::Write> std::io::Write for RowCounter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.0.write(buf)?;
        self.1.inc(buf[..written].iter().filter(|&&b| b == b'\n').count() as u64);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
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
        let media = MediaStore::from_setting(&config.media_store)?;
        let loaded = seed_demo(&pool, &media).await?;
        if loaded > 0 {
            tracing::info!(loaded, "demo articles loaded into the empty database");
            // Painting and processing the lead images takes a moment: the site starts meanwhile.
            let pool = pool.clone();
            tokio::spawn(async move {
                match crate::import::seed_demo_photos(&pool, &media).await {
                    Ok(photos) => tracing::info!(photos, "demo lead images added"),
                    Err(error) => tracing::error!(%error, "the demo lead images could not be added"),
                }
            });
        }
        demo_sign_in = Some(crate::import::demo_staff(&pool, config.demo_password.as_deref()).await?);
    }
    tokio::spawn(crate::services::copy_check::warm_up(pool.clone()));
    tokio::spawn(crate::services::scheduling::run(pool.clone()));
    let missing = crate::built_site::missing(&config.leptos);
    if !missing.is_empty() {
        tracing::error!(
            site_root = %config.leptos.site_root,
            missing = missing.join(", "),
            "the built CSS and islands are missing: pages will have no styles and no interactive parts. \
             Build with `./dev.sh build` (or `cargo leptos build --release`), or point COPYDESK_SITE_ROOT at the \
             `site` folder the build wrote"
        );
    }
    let addr = config.leptos.site_addr;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let header_timeout = config.header_timeout;
    let metrics = match config.metrics_addr {
        Some(addr) => {
            crate::telemetry::install_metrics()?;
            Some(TcpListener::bind(addr).await.with_context(|| format!("listening for metrics on {addr}"))?)
        }
        None => None,
    };
    let state = AppState::new(pool, config).await.context("reading site settings and the media store")?;
    if let Some(listener) = metrics {
        println!("Metrics: http://{}/metrics", listener.local_addr()?);
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = crate::http::metrics::serve(listener, state).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }
    println!("Copydesk is serving {} at http://{}", db::redacted(&state.config.database.url), listener.local_addr()?);
    println!("Photo files are kept in: {}", state.media.describe());
    println!("Mail is {}", state.mailer.describe());
    tokio::spawn(crate::services::mail::run(
        state.pool.clone(),
        state.mailer.clone(),
        state.mail_links.clone(),
        state.config.digest_every,
    ));
    if let Some((email, password)) = demo_sign_in {
        println!("Staff desk: http://{}/staff  (demo admin: {email} / {password})", listener.local_addr()?);
    }
    crate::http::serve(listener, crate::http::site(state), header_timeout).await?;
    Ok(())
}

/// The files' text; a file that cannot be read is said and counted.
fn read_files(files: Vec<PathBuf>, failed: &mut usize, doing: &str) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => texts.push((name, text)),
            Err(error) => {
                eprintln!("{name}: not {doing}: cannot read the file: {error}");
                *failed += 1;
            }
        }
    }
    texts
}

async fn check(config: &Settings, files: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let mut failed = 0;
    let texts = read_files(files, &mut failed, "checked");
    let reports = crate::services::copy_check::check_files(&pool, &texts).await?;
    let mut problems = 0;
    for (_, lines) in &reports {
        for line in lines {
            println!("{line}");
        }
        problems += lines.len();
    }
    eprintln!("{} file(s) checked: {}.", reports.len(), crate::pages::staff::check_list::count_label(problems));
    Ok(if problems + failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

async fn import(config: &Settings, files: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let mut failed = 0;
    let texts = read_files(files, &mut failed, "imported");
    // The copy check's warnings first; they never stop an import.
    for (_, lines) in crate::services::copy_check::check_files(&pool, &texts).await? {
        for line in lines.iter().filter(|l| !l.contains(": not checked: ")) {
            eprintln!("warning: {line}");
        }
    }
    let media = MediaStore::from_setting(&config.media_store)?;
    let reports = import_sources(&pool, &media, texts.iter().map(|(n, t)| (n.clone(), t.as_str()))).await;
    for report in reports {
        match report.result {
            Ok((outcome, slug)) => {
                let what = match outcome {
                    Upserted::Created => "created",
                    Upserted::Scheduled => "scheduled (published at its date)",
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

async fn settings(config: &Settings, args: SettingsArgs) -> anyhow::Result<ExitCode> {
    use crate::services::moderation::{self, ArticleChange, WordEdits};

    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    let closed = match (args.close_comments, args.open_comments) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    match &args.article {
        Some(slug) => {
            if let Err(AppError::NotFound) = moderation::article_comments(&pool, slug).await {
                eprintln!("No published article has the slug {slug}.");
                return Ok(ExitCode::FAILURE);
            }
            let change = ArticleChange { mode: args.moderation.as_deref(), closed };
            if change.mode.is_some() || change.closed.is_some() {
                refused(moderation::set_article(&pool, None, slug, change).await, &format!("article {slug}"))?;
            }
        }
        None => {
            anyhow::ensure!(closed.is_none(), "--close-comments and --open-comments need --article");
            if let Some(mode) = args.moderation.as_deref() {
                anyhow::ensure!(mode != "site", "`site` is only for an article's --moderation");
                refused(moderation::set_site_mode(&pool, None, mode).await.map(drop), "the site")?;
            }
        }
    }
    let edits = WordEdits {
        suspect_add: args.suspect_add,
        suspect_remove: args.suspect_remove,
        banned_add: args.banned_add,
        banned_remove: args.banned_remove,
    };
    refused(moderation::edit_word_lists(&pool, None, &edits).await, "the word lists")?;

    println!("Site moderation: {}", moderation::site_mode(&pool).await?.as_str());
    if let Some(slug) = &args.article {
        let article = moderation::article_comments(&pool, slug).await?;
        let open = if article.closed { "closed" } else { "open" };
        println!("Article {slug}: moderation {}, comments {open}", article.mode.as_str());
    }
    let (suspect, banned) = moderation::word_lists(&pool).await?;
    println!("Suspect words: {}", suspect.join(", "));
    println!("Banned words: {}", banned.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// A service's refusal as the command line says it: what was wrong, and about what.
fn refused<T>(result: Result<T, AppError>, what: &str) -> anyhow::Result<T> {
    result.map_err(|error| match error {
        AppError::Invalid(problems) => {
            let messages: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            anyhow::anyhow!("{what}: {}", messages.join(" "))
        }
        other => anyhow::anyhow!("{what}: {other}"),
    })
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

async fn staff(config: &Settings, command: StaffCommand) -> anyhow::Result<ExitCode> {
    use crate::domain::staff::Role;
    use crate::services::staff;

    let pool = db::connect_with(&config.database).await.context("opening the database")?;
    match command {
        StaffCommand::Add { email, name, role } => {
            let role = Role::parse(&role).context("unknown role")?;
            let password = new_password()?;
            let added = refused(staff::add_account(&pool, None, &email, &name, role, &password).await, "account")?;
            println!("Added {} <{}> as {}.", added.name, added.email, role.as_str());
        }
        StaffCommand::Passwd { email } => {
            let password = new_password()?;
            refused(staff::set_password(&pool, None, &email, &password).await, "account")?;
            println!("Password changed for {}; its sessions are signed out.", email.trim().to_lowercase());
        }
        StaffCommand::Remove { email } => {
            refused(staff::remove_account(&pool, None, &email).await, "account")?;
            println!("Removed {}.", email.trim().to_lowercase());
        }
        StaffCommand::List => {
            for s in staff::accounts(&pool).await? {
                println!("{}\t{}\t{}", s.email, s.role.as_str(), s.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
