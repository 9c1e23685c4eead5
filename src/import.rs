//! (ssr) Importing article files, for `copydesk import` and the demo content alike.

/// The demo site's lead images.
mod demo_photos;
pub use demo_photos::seed_photos as seed_demo_photos;
/// `copydesk import-wxr`: a WordPress export.
pub mod wordpress;

use crate::content::front_matter::{ArticleDraft, LeadFile, parse_article};
use crate::db::{self, Pool, articles::Upserted};
use crate::domain::media::{MediaText, check_upload};
use crate::media_store::MediaStore;

/// The outcome for one source file.
#[derive(Debug)]
pub struct FileReport {
    pub name: String,
    pub result: Result<(Upserted, String), String>,
}

/// Parses and stores each `(name, text)` source; a bad file is reported by name and leaves
/// nothing behind, and does not stop the others. A source's `image:` is a path relative to
/// the file named `name`; it is checked and made into its files before the article is
/// stored, so a bad image stores neither.
pub async fn import_sources<'a>(
    pool: &Pool,
    media: &MediaStore,
    sources: impl IntoIterator<Item = (String, &'a str)>,
) -> Vec<FileReport> {
    let mut reports = Vec::new();
    for (name, text) in sources {
        let result = match parse_article(text) {
            Err(problem) => Err(problem.to_string()),
            Ok(draft) => store(pool, media, &name, &draft).await,
        };
        reports.push(FileReport { name, result });
    }
    reports
}

async fn store(
    pool: &Pool,
    media: &MediaStore,
    name: &str,
    draft: &ArticleDraft,
) -> Result<(Upserted, String), String> {
    let image = match &draft.image {
        Some(lead) => Some(lead_image(pool, media, name, lead).await?),
        None => None,
    };
    let failed = |error: &dyn std::fmt::Display| {
        tracing::error!(%error, file = %name, "import failed to store the article");
        "the article could not be stored (see the log)".to_owned()
    };
    let outcome = db::articles::upsert(pool, draft).await.map_err(|e| failed(&e))?;
    if let Some((media_id, lead)) = image {
        let article = crate::services::editing::editable(pool, draft.slug.as_str()).await.map_err(|e| failed(&e))?;
        let words = db::media::Lead {
            media_id,
            alt: Some(lead.alt.clone()),
            caption: Some(lead.caption.clone()).filter(|c| !c.is_empty()),
            credit: Some(lead.credit.clone()).filter(|c| !c.is_empty()),
        };
        let body_ids = crate::content::markdown::media_ids(&draft.body_md);
        let current = db::media::lead_of(pool, article.id).await.map_err(|e| failed(&e))?;
        if current.as_ref() != Some(&words) {
            db::media::set_lead(pool, article.id, Some(&words), &body_ids).await.map_err(|e| failed(&e))?;
        }
    }
    Ok((outcome, draft.slug.to_string()))
}

/// The library image for a front matter `image:`: the one this file became before, or a
/// new one made from it.
async fn lead_image<'l>(
    pool: &Pool,
    media: &MediaStore,
    name: &str,
    lead: &'l LeadFile,
) -> Result<(i64, &'l LeadFile), String> {
    use sha2::Digest;
    let path = std::path::Path::new(name).parent().unwrap_or(std::path::Path::new(".")).join(&lead.path);
    let bytes =
        tokio::fs::read(&path).await.map_err(|e| format!("image {}: cannot read the file: {e}", path.display()))?;
    let refused = |reason: String| format!("image {}: {reason}", path.display());
    check_upload(&bytes, &lead.path, "").map_err(|r| refused(r.to_string()))?;
    let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let stored = |e: sqlx::Error| {
        tracing::error!(error = %e, file = %name, "import failed to store the image");
        refused("could not be stored (see the log)".to_owned())
    };
    if let Some(id) = db::media::imported(pool, &digest).await.map_err(stored)? {
        return Ok((id, lead));
    }
    let processed = tokio::task::spawn_blocking(move || crate::imaging::process(&bytes))
        .await
        .map_err(|_| refused("could not be processed".to_owned()))?
        .map_err(|r| refused(r.to_string()))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let words = MediaText { alt: lead.alt.clone(), caption: lead.caption.clone(), credit: lead.credit.clone() }
        .validate()
        .map_err(|errors| {
            refused(errors.into_iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join(" "))
        })?;
    let id = crate::services::media::store(pool, media, None, &file_name, &words, &processed)
        .await
        .map_err(|e| refused(e.to_string()))?;
    db::media::remember_import(pool, &digest, id).await.map_err(stored)?;
    Ok((id, lead))
}

/// The sample articles written for the demo site, embedded so the binary needs no files.
pub const DEMO_ARTICLES: &[(&str, &str)] = &[
    ("tram-line.md", include_str!("demo/tram-line.md")),
    ("river-heat.md", include_str!("demo/river-heat.md")),
    ("library-hours.md", include_str!("demo/library-hours.md")),
    ("grid-battery.md", include_str!("demo/grid-battery.md")),
    ("school-meals.md", include_str!("demo/school-meals.md")),
    ("budget-gap.md", include_str!("demo/budget-gap.md")),
    ("marathon.md", include_str!("demo/marathon.md")),
    ("heat-pumps.md", include_str!("demo/heat-pumps.md")),
    ("harbour-festival.md", include_str!("demo/harbour-festival.md")),
    ("clinic-waits.md", include_str!("demo/clinic-waits.md")),
];

/// Loads the demo articles, but only into a database without any article: a site with real
/// content is never touched.
pub async fn seed_demo(pool: &Pool, media: &MediaStore) -> anyhow::Result<usize> {
    if db::articles::count(pool).await? > 0 {
        return Ok(0);
    }
    let reports = import_sources(pool, media, DEMO_ARTICLES.iter().map(|(n, t)| ((*n).to_owned(), *t))).await;
    let mut imported = 0;
    for report in reports {
        match report.result {
            Ok(_) => imported += 1,
            Err(problem) => anyhow::bail!("demo article {} is invalid: {problem}", report.name),
        }
    }
    seed_demo_comments(pool).await?;
    // A word of the demo the dictionary lacks, so the house dictionary page shows one.
    db::copy_check::add_house_word(pool, "grayling", "Copydesk demo").await?;
    seed_demo_authors(pool).await?;
    Ok(imported)
}

/// Biographies for two of the demo's authors, so their pages show a full profile.
async fn seed_demo_authors(pool: &Pool) -> anyhow::Result<()> {
    let profiles = [
        (
            "marta-okonkwo",
            "Marta Okonkwo covers transport and City Hall. She joined Copydesk from the regional wire in 2021.\n\nTips: write to the newsroom.",
            vec!["https://example.org/marta-okonkwo".to_owned()],
        ),
        ("priya-natarajan", "Priya Natarajan reports on health and schools.", Vec::new()),
    ];
    for (slug, bio, links) in profiles {
        if let Some(profile) = db::authors::by_slug(pool, slug).await? {
            let edit = crate::domain::author::ProfileEdit { name: profile.name, bio: bio.to_owned(), links };
            db::authors::update(pool, profile.id, &edit).await?;
        }
    }
    Ok(())
}

/// The demo's staff account: an admin, so every part of the desk can be tried.
pub const DEMO_STAFF_EMAIL: &str = "desk@copydesk.example";

/// Makes sure the demo admin exists and gives it a password: `chosen`, or a fresh random one
/// at every start (printed, never stored in clear).
pub async fn demo_staff(pool: &Pool, chosen: Option<&str>) -> anyhow::Result<(String, String)> {
    use crate::domain::staff::Role;
    let password = match chosen {
        Some(p) if p.chars().count() >= crate::domain::staff::MIN_PASSWORD_CHARS => p.to_owned(),
        _ => crate::domain::tokens::random_token(8),
    };
    let hash = crate::services::staff::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    if db::staff::create(pool, DEMO_STAFF_EMAIL, "Demo Editor", Role::Admin, &hash).await?.is_none() {
        db::staff::set_password(pool, DEMO_STAFF_EMAIL, &hash).await?;
    }
    Ok((DEMO_STAFF_EMAIL.to_owned(), password))
}

/// Demo articles that show each comment setting: one publishes comments at once, one is
/// closed; the rest follow the site's pre-moderation.
pub const DEMO_POST_MODERATED: &str = "central-library-to-open-on-sundays-from-january";
pub const DEMO_CLOSED: &str = "city-faces-38-million-euro-budget-gap-next-year-auditors-warn";
/// The demo article with a conversation under it.
pub const DEMO_DISCUSSED: &str = "council-approves-eastern-tram-line-after-six-hour-debate";

/// A short conversation written for the demo: (reply to entry, author, text, featured).
const DEMO_COMMENTS: &[(Option<usize>, &str, &str, bool)] = &[
    (
        None,
        "Marit Olsen",
        "I take the 14 bus from the eastern estates every morning. If the tram really runs every six minutes at peak, that alone would save me twenty minutes a day.\n\nWhat I would like to know is where the depot goes.",
        true,
    ),
    (
        Some(0),
        "Jonas Weber",
        "The depot is in the plans on the council's site, behind the old goods yard: www.example.org/tram-plans (page 14).",
        false,
    ),
    (Some(1), "Marit Olsen", "Thank you, that is further from the houses than I feared.", false),
    (
        None,
        "Priya Natarajan",
        "Six hours of debate and nobody asked how the shops on Mill Street survive two years of roadworks? A fund for them would cost a fraction of the line.",
        false,
    ),
];

/// Work waiting in every queue, so a newcomer signing in finds the inbox in use: comments
/// held for moderation, a reported comment, and readers' correction suggestions (one with
/// an address, so applying it shows the reporter's notification in the outbox).
const DEMO_HELD: &[(&str, &str)] = &[
    ("Anna Berg", "Does the waiting list keep its order when the region tops the budget up?"),
    ("Tomas Kral", "Our installer quoted eight months, not four to six. Worth asking more firms."),
];

/// A published comment readers reported, and their reasons.
const DEMO_REPORTED: (&str, &str) =
    ("Best Deals 24", "Cheap heat pumps, no grant needed, today only: www.example.com/deals");

/// A published comment that points out an error, on a story of its own: a moderator can turn
/// it into a correction suggestion (`/staff/comments/{id}/correction`).
pub const DEMO_POINTS_OUT: (&str, &str, &str) = (
    "free-school-lunches-extended-to-all-primary-pupils",
    "Lena Hoffmann",
    "The council's budget papers put the cost at 6.4 million euros a year, not 6.1 million.",
);

/// Readers' suggestions: the story, the words, what they suggest, the kind, and each
/// reporter's address (one group can have several reporters).
type DemoSuggestion =
    (&'static str, &'static str, &'static str, crate::domain::suggestion::Kind, &'static [Option<&'static str>]);
const DEMO_SUGGESTIONS: &[DemoSuggestion] = &[
    (
        DEMO_QUEUED,
        "2,430 applications",
        "2,340 applications",
        crate::domain::suggestion::Kind::Factual,
        &[Some("reader@example.org"), None],
    ),
    (
        "grid-battery-beside-old-power-station-starts-storing-solar-power",
        "14,000 homes",
        "12,000 homes",
        crate::domain::suggestion::Kind::Factual,
        &[None],
    ),
];

/// The story the demo's waiting comments are on (one the browser tests leave alone).
pub const DEMO_QUEUED: &str = "heat-pump-grants-draw-four-times-more-applications-than-expected";

async fn seed_demo_comments(pool: &Pool) -> anyhow::Result<()> {
    use crate::domain::comment::{Hold, ReportReason};
    use db::comments::{add_report, set_article_comments, set_featured};
    set_article_comments(pool, DEMO_POST_MODERATED, Some(crate::domain::comment::Moderation::Post), false).await?;
    set_article_comments(pool, DEMO_CLOSED, None, true).await?;
    let Some(article) = db::comments::article_settings(pool, DEMO_DISCUSSED).await? else {
        anyhow::bail!("demo article {DEMO_DISCUSSED} is missing");
    };
    let mut ids: Vec<i64> = Vec::new();
    for (reply_to, name, body, featured) in DEMO_COMMENTS {
        let parent = reply_to.map(|i| ids[i]);
        let id = demo_comment(pool, article.article_id, parent, name, body, None).await?;
        if *featured {
            set_featured(pool, id, true).await?;
        }
        ids.push(id);
    }
    let Some(queued) = db::comments::article_settings(pool, DEMO_QUEUED).await? else {
        anyhow::bail!("demo article {DEMO_QUEUED} is missing");
    };
    for (name, body) in DEMO_HELD {
        demo_comment(pool, queued.article_id, None, name, body, Some(Hold::Premoderation)).await?;
    }
    let (slug, name, body) = DEMO_POINTS_OUT;
    let Some(points_out) = db::comments::article_settings(pool, slug).await? else {
        anyhow::bail!("demo article {slug} is missing");
    };
    demo_comment(pool, points_out.article_id, None, name, body, None).await?;
    let (name, body) = DEMO_REPORTED;
    let spam = demo_comment(pool, queued.article_id, None, name, body, None).await?;
    for (reader, reason) in [("demo-reader-1", ReportReason::Spam), ("demo-reader-2", ReportReason::Spam)] {
        add_report(pool, spam, reason, None, reader).await?;
    }
    seed_demo_suggestions(pool).await
}

async fn demo_comment(
    pool: &Pool,
    article_id: i64,
    parent: Option<i64>,
    name: &str,
    body: &str,
    hold: Option<crate::domain::comment::Hold>,
) -> anyhow::Result<i64> {
    use crate::domain::comment::NewComment;
    let parent = match parent {
        Some(id) => db::comments::parent(pool, id).await?,
        None => None,
    };
    let comment = db::comments::Insert {
        article_id,
        comment: NewComment {
            name: name.to_owned(),
            email: None,
            body: body.to_owned(),
            parent: parent.as_ref().map(|p| p.id),
            notify: false,
        },
        parent,
        hold,
        client_hash: "demo".into(),
        author_token: "demo".into(),
        staff_id: None,
        confirm: None,
    };
    Ok(db::comments::insert(pool, &comment).await?.0)
}

async fn seed_demo_suggestions(pool: &Pool) -> anyhow::Result<()> {
    use crate::content::markdown::article_plain_text;
    use crate::domain::anchor::{Selection, locate};
    for (slug, quote, suggested, kind, reporters) in DEMO_SUGGESTIONS {
        let Some(article) = db::articles::published_by_slug(pool, slug).await? else {
            anyhow::bail!("demo article {slug} is missing");
        };
        let text = article_plain_text(&article.title, article.dek.as_deref(), &article.body_md);
        let selection = Selection { quote, prefix: "", suffix: "", hint_utf16: None };
        let Some(anchor) = locate(&text, &selection) else { anyhow::bail!("{quote:?} is not in demo article {slug}") };
        for (i, email) in reporters.iter().enumerate() {
            let client = format!("demo-reader-{i}");
            let report = db::corrections::NewReport {
                article_id: article.id,
                revision: article.revision,
                quote: &anchor.quote,
                prefix: &anchor.prefix,
                suffix: &anchor.suffix,
                span: Some((anchor.start, anchor.end)),
                kind: *kind,
                suggested,
                note: None,
                email: *email,
                client_hash: &client,
                comment_id: None,
            };
            db::corrections::add_report(pool, &report).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_article_parses() {
        for (name, text) in DEMO_ARTICLES {
            if let Err(e) = parse_article(text) {
                panic!("{name}: {e}");
            }
        }
    }

    #[test]
    fn the_demo_covers_at_least_eight_articles_and_four_topics() {
        let mut topics = std::collections::BTreeSet::new();
        for (_, text) in DEMO_ARTICLES {
            for t in parse_article(text).unwrap().topics {
                topics.insert(t.slug.to_string());
            }
        }
        assert!(DEMO_ARTICLES.len() >= 8);
        assert!(topics.len() >= 4, "{topics:?}");
    }
}
