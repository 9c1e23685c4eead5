//! `/staff/articles/new` and `/staff/articles/{slug}/edit`: the article form with a live
//! preview. Saving, publishing and unpublishing are posts handled in `articles`.

use leptos::prelude::*;

use super::StaffFrame;
use super::check_list::{CheckList, count_label};
use crate::api::preview_article::Preview;
use crate::components::dates::Time;
use crate::components::form::TextField;
use crate::content::article_form::{ArticleForm, MAX_SUMMARY_CHARS};
use crate::content::markdown::{Field, Mark, block_at, render_marked};
use crate::domain::desk::Editable;
use crate::domain::draft::Draft;
use crate::domain::media::{LibraryItem, Picture};
use crate::domain::staff::{Role, StaffMember};
use crate::domain::text::FieldError;
use crate::http::guards::staff_page;
use crate::islands::article_preview::{ArticlePreview, PreviewBody};
use crate::pages::load_page;
use crate::pages::staff::media::{MediaAttempt, upload_form};
use crate::pages::{PageTitle, param, query};
use crate::services::copy_check::{Checked, Text};
use crate::services::media::Lead;
use crate::services::{editing, media};

/// A post the desk could not save, shown again with what was typed.
#[derive(Debug, Clone)]
pub struct EditorAttempt {
    pub form: ArticleForm,
    pub errors: Vec<FieldError>,
    /// Someone saved this revision after the editor had opened the article.
    pub stale: Option<i64>,
    /// The publication time typed in the schedule form, when that was refused.
    pub publish_at: Option<String>,
}

/// The body with the check's findings in it marked, numbered as the list numbers them.
fn marked_body(body: &str, checked: &Checked, media: &[Picture]) -> String {
    let marks: Vec<Mark> = checked
        .problems
        .iter()
        .enumerate()
        .filter(|(_, p)| p.field == Field::Body)
        .map(|(i, p)| Mark { range: p.range.clone(), id: i + 1 })
        .collect();
    render_marked(body, &marks, media).into_iter().map(|b| b.html).collect()
}

/// The preview island's answer: the marked body and the check's list, as HTML.
pub fn preview_parts(text: &Text, checked: Checked, slug: Option<String>, media: &[Picture]) -> Preview {
    let body = marked_body(&text.body_md, &checked, media);
    let article = (text.title.clone(), text.dek.clone(), text.body_md.clone());
    Preview { body, checks: super::check_list::html(checked, article, slug) }
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "Draft created. Readers cannot see it until you publish it.",
        "saved" => "Saved as a new revision.",
        "unchanged" => "Nothing had changed; no revision was added.",
        "published" => "Published: readers can see the article now.",
        "unpublished" => "Unpublished: readers get \u{201c}not found\u{201d}; comments and history are kept.",
        "already" => "The article already was in that state.",
        "scheduled" => "Scheduled: it will be published at the time set. Until then readers cannot see it.",
        "unscheduled" => "Schedule cancelled: the article stays a draft.",
        "lead-set" => "Lead image saved: it shows above the story and on its card.",
        "lead-removed" => "Lead image removed.",
        _ => return None,
    })
}

const BODY_HINT: &str = "Markdown: blank line between paragraphs, *italic*, **bold**, [link text](https://…), \
                         ## subheading, - list item, ![alt text](media:12 \"caption\") a photo from the media library. HTML is shown as text.";

/// The fields shared by the new and the edit form.
#[component]
fn ArticleFields(form: ArticleForm, errors: Vec<FieldError>, is_new: bool) -> impl IntoView {
    let error = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
    view! {
        <TextField name="title" label="Headline" value=form.title.clone() error=error("title") required=true max_chars=300 />
        {is_new.then(|| view! {
            <TextField name="slug" label="Address (slug)" value=form.slug.clone() error=error("slug") max_chars=100
                hint="Lower-case words joined by hyphens. Leave empty to make one from the headline; it cannot change later." />
        })}
        <TextField name="dek" label="Dek" value=form.dek.clone() error=error("dek") max_chars=600
            hint="One sentence under the headline (optional)." />
        <TextField name="byline" label="Byline" value=form.byline.clone() error=error("byline") required=true max_chars=200 />
        <TextField name="authors" label="Authors (optional)" value=form.authors.clone() error=error("authors") max_chars=1000
            hint="Names separated by commas; each links to the author's page (made when new). With none, the byline is shown as written." />
        <TextField name="topics" label="Topics" value=form.topics.clone() error=error("topics") hint="Separate topics with commas." />
        <TextField name="lang" label="Language (optional)" value=form.lang.clone() error=error("lang") max_chars=35
            hint="A tag such as fr or en-US when the article is not in the site's language. Mark a phrase in another language in the text as [bon appétit](lang:fr)." />
        <TextField name="body" label="Text" value=form.body.clone() error=error("body") multiline=true required=true rows=24 hint=BODY_HINT />
        <TextField name="summary" label="What changed (optional, kept in the history)" value=form.summary.clone()
            error=error("summary") max_chars=MAX_SUMMARY_CHARS />
    }
}

/// What a refused post to the editor says above the form.
fn error_summary(errors: &[FieldError]) -> Option<impl IntoView + use<>> {
    let scheduling = errors.iter().all(|e| e.field == "publish_at");
    let heading = if scheduling { "The article was not scheduled:" } else { "The article was not saved:" };
    crate::components::form::error_summary(heading, errors)
}

/// A draft's publication time (UTC): set, change or cancel it.
fn schedule_forms(
    slug: &str,
    scheduled_at: Option<time::OffsetDateTime>,
    typed: Option<String>,
    errors: &[FieldError],
) -> impl IntoView + use<> {
    let value = typed.or_else(|| scheduled_at.map(crate::domain::dates::local_field)).unwrap_or_default();
    let error = errors.iter().find(|e| e.field == "publish_at").map(|e| e.message.clone());
    let label = if scheduled_at.is_some() { "Change the time" } else { "Schedule" };
    let cancel = scheduled_at.map(|_| {
        view! {
            <form method="post" action=format!("/staff/articles/{slug}/unschedule") class="editor-status">
                <button type="submit" class="button-quiet">"Cancel the schedule"</button>
            </form>
        }
    });
    view! {
        <form method="post" action=format!("/staff/articles/{slug}/schedule") class="editor-schedule">
            <TextField name="publish_at" label="Publish at (UTC)" value input_type="datetime-local" error
                hint="The story goes live on every page, feed and the sitemap at this time; until then it stays a draft." />
            <button type="submit" class="button-quiet">{label}</button>
        </form>
        {cancel}
    }
}

/// The editor's fields as the preview island sends them.
fn draft_of(form: &ArticleForm) -> Draft {
    Draft {
        title: form.title.clone(),
        dek: form.dek.clone(),
        body: form.body.clone(),
        lang: form.lang.clone(),
        slug: None,
    }
}

/// The check of the form as shown, of the stored article `article_id` or a new one; `None`
/// when there is nothing to check or it failed (the check advises: it never stands in the
/// way of the page).
async fn check_form(
    state: &crate::state::AppState,
    form: &ArticleForm,
    article_id: Option<i64>,
) -> Option<(Text, Checked)> {
    if form.body.trim().is_empty() {
        return None;
    }
    editing::check_draft(&state.pool, draft_of(form), article_id).await.ok()
}

/// The preview pane: the marked body, then the check's list.
fn preview_pane(
    checked: Option<(Text, Checked)>,
    body: &str,
    media: &[Picture],
    slug: Option<String>,
    focus: Option<(u32, u32)>,
) -> impl IntoView + use<> {
    let (html, list) = match checked {
        Some((text, checked)) => {
            let html = marked_body(&text.body_md, &checked, media);
            let article = (text.title, text.dek, text.body_md);
            (html, Some(view! { <CheckList checked article slug=slug.clone() /> }))
        }
        None => (render_marked(body, &[], media).into_iter().map(|b| b.html).collect(), None),
    };
    view! { <ArticlePreview slug><PreviewBody html focus />{list}</ArticlePreview> }
}

#[component]
pub fn NewArticlePage() -> impl IntoView {
    let attempt = use_context::<EditorAttempt>();
    let for_check = attempt.clone();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let checked = match &for_check {
                Some(a) => check_form(&state, &a.form, None).await,
                None => None,
            };
            let body = for_check.as_ref().map(|a| a.form.body.as_str()).unwrap_or_default();
            let media = media::pictures_in(&state.pool, body).await?;
            Ok((staff, checked, media))
        },
        move |(staff, checked, media)| {
            let (form, errors) = attempt
                .clone()
                .map(|a| (a.form, a.errors))
                .unwrap_or_else(|| (ArticleForm { byline: staff.name.clone(), ..ArticleForm::default() }, Vec::new()));
            let pane = preview_pane(checked, &form.body, &media, None, None);
            view! {
                <PageTitle text="New article · Staff desk" />
                <StaffFrame staff current="/staff/articles">
                    <h1 class="page-title">"New article"</h1>
                    {error_summary(&errors)}
                    <div class="editor">
                        <form method="post" action="/staff/articles" class="stacked editor-form">
                            <ArticleFields form errors is_new=true />
                            <button type="submit">"Create draft"</button>
                        </form>
                        {pane}
                    </div>
                </StaffFrame>
            }
        },
    )
}

/// Where a reader's suggestion points, when the editor was opened for one: the field, and
/// for the body the paragraph's source, to select.
struct Pointer {
    suggestion: i64,
    field: Field,
    paragraph: String,
    utf16: (u32, u32),
}

fn pointer(article: &Editable, at: Option<usize>, suggestion: Option<i64>) -> Option<Pointer> {
    let (at, suggestion) = (at?, suggestion?);
    let content = &article.content;
    let (field, range) = block_at(&content.title, content.dek.as_deref(), &content.body_md, at);
    let source = match field {
        Field::Title => &content.title,
        Field::Dek => content.dek.as_deref().unwrap_or_default(),
        Field::Body => &content.body_md,
    };
    let paragraph = source.get(range.clone())?.to_owned();
    let utf16 = |bytes: usize| source[..bytes].encode_utf16().count() as u32;
    Some(Pointer { suggestion, field, paragraph, utf16: (utf16(range.start), utf16(range.end)) })
}

/// What the edit page shows of photos: the body's, the lead choice, the library's latest.
#[derive(Clone)]
struct EditorImages {
    body: Vec<Picture>,
    lead: Option<Lead>,
    library: Vec<LibraryItem>,
    /// A lead image upload from this page that was refused.
    upload: Option<MediaAttempt>,
}

/// "Lead image": a choice of the library's latest images (or none), and this story's own
/// alt text, caption and credit for it (empty: the library's).
fn lead_form(
    slug: &str,
    lead: Option<&Lead>,
    library: &[LibraryItem],
    upload: Option<&MediaAttempt>,
) -> impl IntoView + use<> {
    let action = format!("/staff/articles/{slug}/lead-image");
    let chosen = lead.map(|l| l.media_id);
    let mut options: Vec<(i64, String)> =
        library.iter().map(|item| (item.picture.id, format!("{} ({})", item.picture.alt, item.file_name))).collect();
    if let Some(id) = chosen
        && !options.iter().any(|(o, _)| *o == id)
    {
        options.insert(0, (id, format!("Image {id}")));
    }
    let current = chosen.and_then(|id| library.iter().find(|i| i.picture.id == id)).map(|item| {
        let html = crate::components::picture::thumbnail_html(&item.picture);
        view! { <div class="lead-current" inner_html=html></div> }
    });
    let text = |f: fn(&Lead) -> &Option<String>| lead.and_then(|l| f(l).clone()).unwrap_or_default();
    let (upload_text, upload_errors) = upload.map(|a| (a.text.clone(), a.errors.clone())).unwrap_or_default();
    view! {
        <section class="lead-image" aria-labelledby="lead-heading">
            <h2 id="lead-heading">"Lead image"</h2>
            {current}
            <form method="post" action=action class="stacked">
                <label for="field-media_id">"Image"</label>
                <select id="field-media_id" name="media_id">
                    <option value="" selected=chosen.is_none()>"No lead image"</option>
                    {options
                        .into_iter()
                        .map(|(id, label)| view! { <option value=id.to_string() selected=chosen == Some(id)>{label}</option> })
                        .collect_view()}
                </select>
                <p class="hint">"All photos are in the " <a href="/staff/media">"media library"</a> "."</p>
                <TextField name="alt" label="Alt text for this story (empty: the library's)" value=text(|l| &l.alt) error=None max_chars=300 />
                <TextField name="caption" label="Caption for this story (empty: the library's)" value=text(|l| &l.caption) error=None max_chars=600 />
                <TextField name="credit" label="Credit for this story (empty: the library's)" value=text(|l| &l.credit) error=None max_chars=150 />
                <button type="submit">"Apply lead image"</button>
            </form>
            {upload_form(&upload_text, &upload_errors, Some(slug))}
        </section>
    }
}

#[component]
pub fn EditArticlePage() -> impl IntoView {
    let slug = param("slug");
    let attempt = use_context::<EditorAttempt>();
    let upload = use_context::<MediaAttempt>();
    let done = query("done").as_deref().and_then(done_message);
    let at = query("at").and_then(|a| a.parse::<usize>().ok());
    let suggestion = query("suggestion").and_then(|s| s.parse::<i64>().ok());
    let for_check = attempt.clone();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let article = editing::editable(&state.pool, &slug).await?;
            let form = match &for_check {
                Some(a) => a.form.clone(),
                None => ArticleForm::from_edit(&article.content, article.revision),
            };
            let checked = check_form(&state, &form, Some(article.id)).await;
            let images = EditorImages {
                body: media::pictures_in(&state.pool, &form.body).await?,
                lead: media::lead_of(&state.pool, article.id).await?,
                library: media::library(&state.pool, None, 1).await?.0,
                upload,
            };
            Ok((staff, article, checked, images))
        },
        move |(staff, article, checked, images)| {
            let pointer = pointer(&article, at, suggestion);
            editor(staff, article, attempt.clone(), done, pointer, checked, images)
        },
    )
}

fn editor(
    staff: StaffMember,
    article: Editable,
    attempt: Option<EditorAttempt>,
    done: Option<&'static str>,
    pointer: Option<Pointer>,
    checked: Option<(Text, Checked)>,
    images: EditorImages,
) -> impl IntoView {
    let slug = article.slug.clone();
    let stale = attempt.as_ref().and_then(|a| a.stale);
    let typed_at = attempt.as_ref().and_then(|a| a.publish_at.clone());
    let (mut form, errors) = match attempt {
        Some(attempt) => (attempt.form, attempt.errors),
        None => (ArticleForm::from_edit(&article.content, article.revision), Vec::new()),
    };
    if let Some(p) = &pointer {
        form.suggestion = Some(p.suggestion);
    }
    let published = article.status == "published";
    let schedule = (!published).then(|| schedule_forms(&slug, article.scheduled_at, typed_at, &errors));
    let status = match (published, article.ever_published) {
        (true, _) => view! { "Published " <Time at=article.published_at with_time=true /> }.into_any(),
        (false, _) if article.scheduled_at.is_some() => {
            let at = article.scheduled_at.unwrap_or(article.published_at);
            view! { "Scheduled for " <Time at with_time=true /> }.into_any()
        }
        (false, true) => {
            view! { "Unpublished (first published " <Time at=article.published_at with_time=true /> ")" }.into_any()
        }
        (false, false) => "Draft, never published".into_any(),
    };
    let updated = article.updated_at.map(|at| view! { " · Updated " <Time at with_time=true /> });
    let (toggle_action, toggle_label) = if published { ("unpublish", "Unpublish") } else { ("publish", "Publish") };
    let focus = pointer.as_ref().filter(|p| p.field == Field::Body).map(|p| p.utf16);
    // After a save or publication, the check's count beside what was done (it never blocks).
    let done = done.map(|d| match (&checked, d.starts_with("Nothing")) {
        (Some((_, c)), false) if !c.problems.is_empty() => {
            format!("{d} Copy check: {} (listed under the preview).", count_label(c.problems.len()))
        }
        _ => d.to_owned(),
    });
    let pane = preview_pane(checked, &form.body, &images.body, Some(slug.clone()), focus);
    let lead_form = lead_form(&slug, images.lead.as_ref(), &images.library, images.upload.as_ref());
    let pointer_note = pointer.map(|p| {
        let field = match p.field {
            Field::Title => "the headline",
            Field::Dek => "the dek",
            Field::Body => "this paragraph (selected in the text field)",
        };
        view! {
            <div class="notice" role="note">
                <p>{format!("Reader suggestion {} is about {field}:", p.suggestion)}</p>
                <blockquote class="editor-pointer">{p.paragraph}</blockquote>
                <p>"Fix the text, save, then accept the suggestion with its public note on the correction desk."</p>
            </div>
        }
    });
    let base_revision = form.base_revision.unwrap_or(article.revision).to_string();
    let suggestion = form.suggestion.map(|s| s.to_string());
    view! {
        <PageTitle text=format!("Edit: {} · Staff desk", article.content.title) />
        <StaffFrame staff current="/staff/articles">
            <h1 class="page-title">{format!("Edit: {}", article.content.title)}</h1>
            <p class="queue-meta">
                {status} {updated} {format!(" · Revision {}", article.revision)} " · "
                <a href=format!("/staff/articles/{slug}/revisions")>"History"</a>
                {published.then(|| view! { " · " <a href=format!("/articles/{slug}")>"View on the site"</a> })}
            </p>
            {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
            {stale.map(|current| view! {
                <div class="notice notice-error" role="alert">
                    <p>{format!("Someone saved revision {current} while you were editing, so your changes were not saved. ")}
                    "Your text is below. Compare it with the "<a href=format!("/staff/articles/{slug}/revisions")>"history"</a>
                    ", then save again to replace that revision's text with yours."</p>
                </div>
            })}
            {error_summary(&errors)}
            {pointer_note}
            <form method="post" action=format!("/staff/articles/{slug}/{toggle_action}") class="editor-status">
                <button type="submit" class="button-quiet">{toggle_label}</button>
            </form>
            {schedule}
            <div class="editor">
                <form method="post" action=format!("/staff/articles/{slug}/edit") class="stacked editor-form">
                    <input type="hidden" name="base_revision" value=base_revision />
                    {suggestion.map(|s| view! { <input type="hidden" name="suggestion" value=s /> })}
                    <ArticleFields form errors is_new=false />
                    <button type="submit">"Save"</button>
                </form>
                {pane}
            </div>
            {lead_form}
        </StaffFrame>
    }
}
