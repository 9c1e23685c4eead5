//! (ssr) A comment the database could not take (unreachable, or too busy), shown back to
//! its writer with every field kept. Rendered without the database: the article page would
//! wait on it again.

use leptos::prelude::*;

use crate::components::comment_forms::CommentFormView;
use crate::domain::comment::CommentForm;
use crate::error::AppError;

/// The whole document; `css` is the site's stylesheet to inline, if it was read.
pub fn unsaved_comment(css: Option<&str>, slug: &str, form: CommentForm) -> String {
    let style = css.map(|css| view! { <style>{css.to_owned()}</style> });
    let parent = Some(form.parent.clone()).filter(|p| !p.is_empty());
    let article = format!("/articles/{slug}");
    let slug = slug.to_owned();
    Owner::new().with(|| {
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="color-scheme" content="light dark" />
                    <title>"Your comment is not saved yet | Copydesk"</title>
                    {style}
                </head>
                <body>
                    <main id="main" class="page-narrow">
                        <h1 class="page-title">"Your comment is not saved yet"</h1>
                        <p>
                            "The site could not store it just now. Nothing is lost: your text is below. "
                            "Post it again in a moment."
                        </p>
                        <CommentFormView slug prefix="unsaved" parent label="Post your comment again" form
                            error=Some(AppError::Busy) />
                        <p><a href=article>"Back to the article"</a></p>
                    </main>
                </body>
            </html>
        }
        .to_html()
    })
}
