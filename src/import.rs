//! (ssr) Importing article files, for `copydesk import` and the demo content alike.

use crate::content::front_matter::parse_article;
use crate::db::{self, Pool, articles::Upserted};

/// The outcome for one source file.
#[derive(Debug)]
pub struct FileReport {
    pub name: String,
    pub result: Result<(Upserted, String), String>,
}

/// Parses and stores each `(name, text)` source; a bad file is reported by name and leaves
/// nothing behind, and does not stop the others.
pub async fn import_sources<'a>(pool: &Pool, sources: impl IntoIterator<Item = (String, &'a str)>) -> Vec<FileReport> {
    let mut reports = Vec::new();
    for (name, text) in sources {
        let result = match parse_article(text) {
            Err(problem) => Err(problem.to_string()),
            Ok(draft) => match db::articles::upsert(pool, &draft).await {
                Ok(outcome) => Ok((outcome, draft.slug.to_string())),
                Err(error) => {
                    tracing::error!(%error, file = %name, "import failed to store the article");
                    Err("the article could not be stored (see the log)".to_owned())
                }
            },
        };
        reports.push(FileReport { name, result });
    }
    reports
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
pub async fn seed_demo(pool: &Pool) -> anyhow::Result<usize> {
    if db::articles::count(pool).await? > 0 {
        return Ok(0);
    }
    let reports = import_sources(pool, DEMO_ARTICLES.iter().map(|(n, t)| ((*n).to_owned(), *t))).await;
    let mut imported = 0;
    for report in reports {
        match report.result {
            Ok(_) => imported += 1,
            Err(problem) => anyhow::bail!("demo article {} is invalid: {problem}", report.name),
        }
    }
    Ok(imported)
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
