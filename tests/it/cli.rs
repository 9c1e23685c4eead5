//! The `copydesk` command line, run as a separate process against a temporary database.

use std::process::{Command, Output};

struct Cli {
    url: String,
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { url: crate::support::fresh_database(dir.path()), dir }
    }

    fn url(&self) -> String {
        self.url.clone()
    }

    /// Runs `copydesk ARGS` with `COPYDESK_PASSWORD` set when a password is given.
    fn run(&self, args: &[&str], password: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        command.args(args).env("DATABASE_URL", self.url()).env("RUST_LOG", "error");
        match password {
            Some(p) => command.env("COPYDESK_PASSWORD", p),
            None => command.env_remove("COPYDESK_PASSWORD"),
        };
        command.output().unwrap()
    }

    async fn pool(&self) -> copydesk::db::Pool {
        copydesk::db::connect(&self.url()).await.unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn staff_accounts_are_added_listed_given_new_passwords_and_removed() {
    let cli = Cli::new();
    let add = ["staff", "add", "--email", "Ed@Paper.example", "--name", "Ed Itor", "--role", "editor"];

    let short = cli.run(&add, Some("too short"));
    assert!(!short.status.success(), "a short password is refused");
    assert!(stderr(&short).contains("12"), "{}", stderr(&short));

    let added = cli.run(&add, Some("a long enough password"));
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout(&added).trim(), "Added Ed Itor <ed@paper.example> as editor.");
    let again = cli.run(&add, Some("a long enough password"));
    assert!(!again.status.success());
    assert!(stderr(&again).contains("exists already"));
    assert_eq!(stdout(&cli.run(&["staff", "list"], None)).trim(), "ed@paper.example\teditor\tEd Itor");

    let passwd = cli.run(&["staff", "passwd", "--email", "ed@paper.example"], Some("another long password"));
    assert!(passwd.status.success(), "{}", stderr(&passwd));
    let pool = cli.pool().await;
    let (_, hash) = copydesk::db::staff::credentials(&pool, "ed@paper.example").await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(copydesk::services::staff::verify_password(&hash, "another long password"));
    assert!(!copydesk::services::staff::verify_password(&hash, "a long enough password"));
    let unknown = cli.run(&["staff", "passwd", "--email", "nobody@paper.example"], Some("another long password"));
    assert!(!unknown.status.success());

    let removed = cli.run(&["staff", "remove", "--email", "ed@paper.example"], None);
    assert!(removed.status.success());
    assert_eq!(stdout(&cli.run(&["staff", "list"], None)).trim(), "");
    let audit: Vec<String> =
        copydesk::db::query_scalar("SELECT action FROM audit_log WHERE kind = 'staff' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(audit, ["added account", "set password", "removed account"]);
    // The password never appears on the command line, so `ps` cannot show it: a flag for it
    // is an unknown argument, even with a password that would otherwise do.
    let add = ["staff", "add", "--email", "a@b.example", "--name", "A", "--role", "admin"];
    let flagged: Vec<&str> = add.iter().copied().chain(["--password", "a long enough password"]).collect();
    let no_flag = cli.run(&flagged, Some("a long enough password"));
    assert!(!no_flag.status.success());
    assert!(stderr(&no_flag).contains("unexpected argument '--password'"), "{}", stderr(&no_flag));
    assert_eq!(stdout(&cli.run(&["staff", "list"], None)).trim(), "", "no account was made");
}

#[tokio::test]
async fn settings_change_moderation_closing_and_word_lists() {
    let cli = Cli::new();
    let file = cli.dir.path().join("a.md");
    std::fs::write(
        &file,
        "---\ntitle: Pier Repairs\nslug: pier\nbyline: B\npublished: 2026-11-01T00:00:00Z\n---\nThe pier is shut.\n",
    )
    .unwrap();
    assert!(cli.run(&["import", file.to_str().unwrap()], None).status.success());

    let site = cli
        .run(&["settings", "--moderation", "post", "--suspect-add", "Cheap Pills", "--banned-add", "spamword"], None);
    assert!(site.status.success(), "{}", stderr(&site));
    let out = stdout(&site);
    assert!(out.contains("Site moderation: post"), "{out}");
    assert!(out.contains("Suspect words: cheap pills") && out.contains("Banned words: spamword"), "{out}");

    let article = cli.run(&["settings", "--article", "pier", "--moderation", "pre", "--close-comments"], None);
    assert!(stdout(&article).contains("Article pier: moderation pre, comments closed"), "{}", stdout(&article));
    let reopened =
        cli.run(&["settings", "--article", "pier", "--open-comments", "--suspect-remove", "cheap pills"], None);
    let out = stdout(&reopened);
    assert!(out.contains("comments open") && out.contains("Suspect words: \n"), "{out}");

    let unknown = cli.run(&["settings", "--article", "nope", "--close-comments"], None);
    assert!(!unknown.status.success() && stderr(&unknown).contains("No published article has the slug nope"));
    assert!(!cli.run(&["settings", "--close-comments"], None).status.success(), "closing needs an article");
    assert!(!cli.run(&["settings", "--moderation", "site"], None).status.success(), "`site` is for articles");
}

/// The command line changes settings through the same services as the settings page: each
/// change is in the audit log (as done from the command line), and the page's rules hold.
#[tokio::test]
async fn settings_from_the_command_line_are_audited_and_follow_the_pages_rules() {
    let cli = Cli::new();
    let file = cli.dir.path().join("a.md");
    std::fs::write(&file, "---\ntitle: Pier\nslug: pier\nbyline: B\npublished: 2026-11-01T00:00:00Z\n---\nShut.\n")
        .unwrap();
    assert!(cli.run(&["import", file.to_str().unwrap()], None).status.success());

    let unknown = cli.run(&["settings", "--moderation", "sometimes"], None);
    assert!(!unknown.status.success(), "an unknown mode is refused, not taken as pre-moderation");
    assert!(stderr(&unknown).contains("Choose pre- or post-moderation."), "{}", stderr(&unknown));
    let unknown = cli.run(&["settings", "--article", "pier", "--moderation", "never"], None);
    assert!(
        !unknown.status.success() && stderr(&unknown).contains("Choose a moderation mode."),
        "{}",
        stderr(&unknown)
    );

    assert!(cli.run(&["settings", "--moderation", "post"], None).status.success());
    let words =
        cli.run(&["settings", "--suspect-add", "Crème", "--suspect-add", "creme", "--banned-add", "spam"], None);
    assert!(words.status.success(), "{}", stderr(&words));
    assert!(stdout(&words).contains("Suspect words: creme\n"), "folded and deduplicated: {}", stdout(&words));
    assert!(cli.run(&["settings", "--article", "pier", "--close-comments"], None).status.success());

    let mut too_many = vec!["settings".to_owned()];
    for i in 0..501 {
        too_many.extend(["--banned-add".to_owned(), format!("word{i}")]);
    }
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let refused = cli.run(&too_many, None);
    assert!(!refused.status.success() && stderr(&refused).contains("at most 500 entries"), "{}", stderr(&refused));

    let pool = cli.pool().await;
    let audit: Vec<(Option<i64>, String, String, String)> = copydesk::db::query_as(
        "SELECT staff_id, action, subject, detail FROM audit_log WHERE kind = 'settings' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let audit: Vec<(Option<i64>, &str, &str, &str)> =
        audit.iter().map(|(who, a, s, d)| (*who, a.as_str(), s.as_str(), d.as_str())).collect();
    assert_eq!(
        audit,
        [
            (None, "set site moderation", "site", "post"),
            (None, "set word lists", "site", "1 suspect, 1 banned"),
            (None, "set article comments", "pier", "moderation site, comments closed"),
        ],
        "one entry per change, none for what was refused"
    );
    let words: Vec<String> = copydesk::db::query_scalar("SELECT word FROM moderation_words WHERE list = 'banned'")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(words, ["spam"], "the refused change stored nothing");
}

/// Every setting `Config` reads, with its environment variable, is in `serve --help`; a
/// malformed value stops start-up with a message naming the variable.
#[test]
fn help_lists_every_setting_and_bad_values_name_their_variable() {
    let cli = Cli::new();
    let (help, top) = (stdout(&cli.run(&["serve", "--help"], None)), stdout(&cli.run(&["--help"], None)));
    for variable in [
        "DATABASE_URL",
        "COPYDESK_DB_POOL_SIZE",
        "COPYDESK_DB_STATEMENT_TIMEOUT_MS",
        "COPYDESK_DB_ACQUIRE_TIMEOUT_MS",
        "COPYDESK_DB_RETRIES",
        "COPYDESK_LOG_FORMAT",
        "COPYDESK_LISTEN",
        "COPYDESK_PUBLIC_URL",
        "COPYDESK_DEMO",
        "COPYDESK_DEMO_PASSWORD",
        "COPYDESK_TRUSTED_PROXIES",
        "COPYDESK_HEADER_TIMEOUT_SECS",
        "COPYDESK_PAGE_CACHE_MB",
        "COPYDESK_STALE_IF_ERROR_SECS",
        "COPYDESK_CDN_MAX_AGE_SECS",
        "COPYDESK_SIGN_IN_CHECKS",
        "COPYDESK_METRICS_ADDR",
        "COPYDESK_SITE_ROOT",
    ] {
        assert!(help.contains(&format!("[env: {variable}")), "serve --help names {variable}:\n{help}");
        assert!(top.contains(&format!("[env: {variable}")), "--help names {variable}:\n{top}");
    }
    assert!(help.contains("[default: 127.0.0.1:3000]"), "defaults are shown");
    // The database URL may carry a password: its value is never printed.
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    let shown =
        command.args(["serve", "--help"]).env("DATABASE_URL", "postgres://desk:s3cret@db/news").output().unwrap();
    assert!(!stdout(&shown).contains("s3cret"));

    for (variable, value) in [
        ("COPYDESK_PAGE_CACHE_MB", "lots"),
        ("COPYDESK_LISTEN", "localhost"),
        ("COPYDESK_DB_POOL_SIZE", "0"),
        ("COPYDESK_TRUSTED_PROXIES", "10.0.0.1,proxy"),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        let output = command.arg("serve").env("DATABASE_URL", cli.url()).env(variable, value).output().unwrap();
        assert!(!output.status.success(), "{variable}={value} stops start-up");
        assert!(stderr(&output).contains(variable), "{variable}={value}: {}", stderr(&output));
    }
}

#[tokio::test]
async fn check_reports_each_problem_with_its_line_and_column_and_import_warns() {
    let cli = Cli::new();
    let file = cli.dir.path().join("story.md");
    std::fs::write(
        &file,
        "---\ntitle: Teh Vote\nbyline: A Writer\npublished: 2026-11-01T00:00:00Z\n---\nFirst line is fine.\n\nIt was the the end.\n",
    )
    .unwrap();
    let clean = cli.dir.path().join("clean.md");
    std::fs::write(
        &clean,
        "---\ntitle: The Vote\nbyline: A Writer\npublished: 2026-11-01T00:00:00Z\n---\nAll is well.\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let checked = cli.run(&["check", &path], None);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    let out = stdout(&checked);
    assert!(out.contains(&format!("{path}:2:1: Possible misspelling: \u{201c}Teh\u{201d}")), "{out}");
    assert!(out.contains(&format!("{path}:8:8: Doubled word: \u{201c}the the\u{201d}")), "{out}");
    let clean_run = cli.run(&["check", &clean.display().to_string()], None);
    assert_eq!(clean_run.status.code(), Some(0), "{}", stdout(&clean_run));

    // The import prints the same warnings and imports all the same.
    let imported = cli.run(&["import", &path], None);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stderr(&imported).contains("warning: ") && stderr(&imported).contains("the the"), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("created /articles/teh-vote"), "{}", stdout(&imported));
}
