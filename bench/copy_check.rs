//! The copy check on a 5,000-word article (target: under 50 ms on the CI machine, with the
//! dictionary loaded once beforehand, as a server does at start-up). `cargo bench --bench
//! copy_check`; the figures are in docs/benchmarks.md.

use std::collections::HashSet;
use std::path::Path;

use copydesk::copy_check::{Article, Context, Lexicon, check, spelling};
use copydesk::domain::lang::Lang;
use criterion::{Criterion, criterion_group, criterion_main};

/// About 5,000 words of newsroom prose from the demo stories, with their slips, names and
/// figures, and a few planted mistakes per copy.
fn article() -> String {
    let stories: Vec<String> = copydesk::import::DEMO_ARTICLES
        .iter()
        .map(|(_, s)| copydesk::content::front_matter::parse_article(s).unwrap().body_md)
        .collect();
    let mut body = String::new();
    let mut i = 0;
    while body.split_whitespace().count() < 5_000 {
        body.push_str(&stories[i % stories.len()]);
        body.push_str("\n\nThe \u{421}ourt said the the rate was 4% (or 5 percent.\n\n");
        i += 1;
    }
    body
}

fn bench(c: &mut Criterion) {
    let body = article();
    let started = std::time::Instant::now();
    let dictionary = spelling::Dictionaries::new(Path::new(spelling::DEFAULT_DIR))
        .get(&Lang::parse("en-GB").unwrap())
        .expect("apt install hunspell-en-gb");
    println!("en-GB dictionary read in {:?} (once per process)", started.elapsed());
    let stories: Vec<_> = copydesk::import::DEMO_ARTICLES
        .iter()
        .enumerate()
        .map(|(i, (_, s))| (i as i64, copydesk::content::front_matter::parse_article(s).unwrap()))
        .collect();
    let lexicon =
        Lexicon::build(stories.iter().map(|(i, d)| (*i, d.title.as_str(), d.dek.as_deref(), d.body_md.as_str())));
    let house = HashSet::from(["grayling".to_owned()]);
    let context = Context { dictionary: Some(&dictionary), house: &house, lexicon: &lexicon, story: None };
    let article = Article { title: "A long read", dek: None, body_md: &body };
    println!("{} words, {} possible problems", body.split_whitespace().count(), check(&article, &context).len());
    // A story checked for the first time: no suggestions kept from before.
    c.bench_function("copy check, 5,000 words, first check", |b| {
        b.iter_batched(
            || dictionary.forget_suggestions(),
            |()| check(&article, &context),
            criterion::BatchSize::PerIteration,
        )
    });
    // The editor's preview checks again at every pause in typing.
    c.bench_function("copy check, 5,000 words, checked again", |b| b.iter(|| check(&article, &context)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
