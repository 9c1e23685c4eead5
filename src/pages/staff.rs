//! (ssr) The staff desk's pages. Each checks the session and role on the server before it
//! loads anything (`http::guards::staff_page`); their form posts are in `http::forms`.

/// `/staff/account`: a member's own password and sessions.
pub mod account;
/// `/staff/articles`: the list, and creating, saving and publishing articles.
pub mod articles;
/// `/staff/authors`: author profiles.
pub mod authors;
/// `/staff/comments/bans`: banned authors, and lifting bans.
pub mod bans;
/// The copy check's findings in the editor.
pub mod check_list;
/// `/staff/comments/{id}/correction`: a correction suggestion made from a comment.
pub mod comment_correction;
/// `/staff/comments`: moderation queues and actions.
pub mod comments;
/// `/staff/corrections`: readers' suggestions, applied or dismissed.
pub mod corrections;
/// `/staff`: the desk's front page.
pub mod desk;
/// `/staff/dictionary`: the house dictionary.
pub mod dictionary;
/// The article editor with its live preview.
pub mod editor;
/// `/staff/inbox`: comments, reports and suggestions waiting, together.
pub mod inbox;
/// `/staff/login` and signing out.
pub mod login;
/// `/staff/media`: the photo library.
pub mod media;
/// `/staff/outbox`: mail queued and sent.
pub mod outbox;
/// An article's revision history.
pub mod revisions;
/// `/staff/settings`: moderation mode, word lists, per-article comments (admins).
pub mod settings;
/// `/staff/team`: members, roles, adding and removing (admins).
pub mod team;

use leptos::prelude::*;

use crate::domain::staff::{Role, StaffMember};

/// Where to go after signing in: only a path on the desk itself, so a crafted link cannot
/// send staff elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/staff") && !n.contains("//") && !n.contains('\\') && !n.starts_with("/staff/login") =>
        {
            n.to_owned()
        }
        _ => "/staff".to_owned(),
    }
}

/// The desk's frame: navigation by role, who is signed in, and signing out.
#[component]
pub fn StaffFrame(staff: StaffMember, #[prop(into)] current: String, children: Children) -> impl IntoView {
    let link = |href: &'static str, label: &'static str, needs: Role| {
        let current = (current == href).then_some("page");
        staff.role.allows(needs).then(|| view! { <li><a href=href aria-current=current>{label}</a></li> })
    };
    view! {
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <div class="staff wrap">
            <nav class="staff-nav" aria-label="Staff desk">
                <ul>
                    {link("/staff", "Desk", Role::Moderator)}
                    {link("/staff/inbox", "Inbox", Role::Moderator)}
                    {link("/staff/comments", "Comments", Role::Moderator)}
                    {link("/staff/corrections", "Corrections", Role::Editor)}
                    {link("/staff/articles", "Articles", Role::Editor)}
                    {link("/staff/authors", "Authors", Role::Editor)}
                    {link("/staff/media", "Media", Role::Editor)}
                    {link("/staff/dictionary", "Dictionary", Role::Editor)}
                    {link("/staff/outbox", "Outbox", Role::Editor)}
                    {link("/staff/audit", "Audit", Role::Editor)}
                    {link("/staff/settings", "Settings", Role::Admin)}
                    {link("/staff/team", "Team", Role::Admin)}
                    {link("/staff/account", "Your account", Role::Moderator)}
                </ul>
                <form method="post" action="/staff/logout" class="staff-signout">
                    <span>{format!("{} ({})", staff.name, staff.role.as_str())}</span>
                    <button type="submit" class="button-quiet">"Sign out"</button>
                </form>
            </nav>
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_desk_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/staff/comments?queue=reported")), "/staff/comments?queue=reported");
        for bad in ["https://evil.example", "//evil.example", "/staff//evil", "/\\evil", "/articles/x", "/staff/login"]
        {
            assert_eq!(safe_next(Some(bad)), "/staff", "{bad}");
        }
        assert_eq!(safe_next(None), "/staff");
    }
}
