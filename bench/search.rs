//! Reader search over 100,000 published articles on SQLite (target: p50 ≤ 10 ms per query,
//! issue 18). `cargo bench --bench search`; `COPYDESK_BENCH_DB=FILE` keeps the generated
//! database for `bench/run.sh`, which then drives `/search` over HTTP next to nginx. The
//! figures are in docs/benchmarks.md.
//!
//! The articles are written from the demo stories' vocabulary, words drawn with a Zipf-like
//! skew (a few words in most stories, most words in few) plus one of 20,000 surnames each,
//! so queries meet the spread of matches real archives have: a name in a dozen stories, a
//! word in most of them, two words together, nothing at all.

use std::time::{Duration, Instant};

use copydesk::db::{self, Pool, query};
use copydesk::domain::search::SearchQuery;

const ARTICLES: u64 = 100_000;
const WORDS_PER_BODY: usize = 220;
const SURNAMES: u64 = 20_000;
const TARGET_P50: Duration = Duration::from_millis(10);

/// A small deterministic generator (xorshift): the same archive on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An index below `n`, skewed towards small ones (roughly Zipf: rank r drawn ∝ 1/r).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

fn vocabulary() -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, source) in copydesk::import::DEMO_ARTICLES {
        let article = copydesk::content::front_matter::parse_article(source).unwrap();
        for word in article.body_md.split(|c: char| !c.is_alphabetic()).filter(|w| w.len() > 1) {
            *counts.entry(word.to_lowercase()).or_default() += 1;
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.into_iter().map(|(w, _)| w).collect()
}

/// "Okonkwo-like" surnames from syllables, some with accents.
fn surname(n: u64) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ra", "sen", "vo", "da", "ner", "pé", "ho", "gar", "cí", "tu", "bel", "an", "zo", "ri",
        "mar", "es", "ül", "dan", "is", "ko", "wa",
    ];
    let mut name = String::new();
    let mut k = n;
    for _ in 0..3 {
        name.push_str(SYLLABLES[(k % 24) as usize]);
        k /= 24;
    }
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

async fn generate(pool: &Pool) {
    let words = vocabulary();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    for batch in 0..(ARTICLES / 1000) {
        let mut tx = pool.begin().await.unwrap();
        for i in 0..1000 {
            let n = batch * 1000 + i + 1;
            let name = surname(n % SURNAMES);
            let mut body = String::new();
            for w in 0..WORDS_PER_BODY {
                if w == 40 || w == 150 {
                    body.push_str(&name);
                    body.push(' ');
                }
                body.push_str(&words[rng.skewed(words.len())]);
                body.push(if w % 18 == 17 { '.' } else { ' ' });
                if w % 72 == 71 {
                    body.push_str("\n\n");
                }
            }
            let title =
                format!("{} {} and the {}", name, words[rng.skewed(words.len())], words[rng.skewed(words.len())]);
            let published = time::OffsetDateTime::from_unix_timestamp(1_790_000_000 - n as i64 * 600).unwrap();
            query(
                "INSERT INTO articles (slug, title, dek, byline, body_md, status, published_at, revision)
                 VALUES ($1, $2, $3, 'Bench Desk', $4, 'published', $5, 1)",
            )
            .bind(format!("search-article-{n}"))
            .bind(title)
            .bind(format!("A standfirst about {}.", words[rng.skewed(words.len())]))
            .bind(body)
            .bind(published)
            .execute(&mut tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    println!("{ARTICLES} articles written and indexed in {:.1} s", started.elapsed().as_secs_f64());
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let file =
            std::env::var("COPYDESK_BENCH_DB").unwrap_or_else(|_| dir.path().join("search.db").display().to_string());
        let url = format!("sqlite://{file}");
        let pool = db::connect(&url).await.unwrap();
        if db::articles::count(&pool).await.unwrap() == 0 {
            generate(&pool).await;
            query("ANALYZE").execute(&pool).await.unwrap();
        }
        let words = vocabulary();
        let queries: Vec<(&str, String)> = vec![
            ("a name (5 stories)", surname(4_321)),
            ("a name, accents folded", deunicode::deunicode(&surname(9_876))),
            ("a rare word", words[words.len() - 40].clone()),
            ("a middling word", words[words.len() / 20].clone()),
            ("a common word", words[3].clone()),
            ("two common words", format!("{} {}", words[3], words[7])),
            ("a name and a word", format!("{} {}", surname(1_234), words[10])),
            ("nothing matches", "zyxwvutsrq".to_owned()),
        ];
        println!("{:<26} {:>8} {:>9} {:>9} {:>9}", "query", "matches", "p50 ms", "p99 ms", "page 5 p50");
        let mut all = Vec::new();
        for (label, text) in &queries {
            let search = SearchQuery::parse(text).unwrap();
            let matches: i64 = db::query_scalar("SELECT COUNT(*) FROM article_search WHERE article_search MATCH $1")
                .bind(search.fts5(false))
                .fetch_one(&pool)
                .await
                .unwrap();
            let mut times = Vec::new();
            for _ in 0..60 {
                let started = Instant::now();
                let found = db::search::published(&pool, &search, 11, 0).await.unwrap();
                // What the service does with a page: plain text and a snippet per result.
                for f in &found {
                    std::hint::black_box(search.snippet(&copydesk::content::markdown::plain_text(&f.body_md)));
                }
                times.push(started.elapsed());
            }
            let mut deep = Vec::new();
            for _ in 0..20 {
                let started = Instant::now();
                std::hint::black_box(db::search::published(&pool, &search, 11, 40).await.unwrap());
                deep.push(started.elapsed());
            }
            times.sort();
            deep.sort();
            println!(
                "{label:<26} {matches:>8} {:>9.2} {:>9.2} {:>9.2}",
                percentile(&times, 0.5).as_secs_f64() * 1000.0,
                percentile(&times, 0.99).as_secs_f64() * 1000.0,
                percentile(&deep, 0.5).as_secs_f64() * 1000.0,
            );
            all.extend(times);
        }
        all.sort();
        let p50 = percentile(&all, 0.5);
        println!(
            "all queries: p50 {:.2} ms, p99 {:.2} ms; target p50 ≤ {} ms: {}",
            p50.as_secs_f64() * 1000.0,
            percentile(&all, 0.99).as_secs_f64() * 1000.0,
            TARGET_P50.as_millis(),
            if p50 <= TARGET_P50 { "met" } else { "MISSED" }
        );
        pool.close().await;
    });
}
