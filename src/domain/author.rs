//! Authors: the public profile at `/authors/{slug}`, the byline links, and the profile form.

use serde::{Deserialize, Serialize};

use super::text::{FieldError, has_control_chars};

/// Longest display name.
pub const MAX_NAME: usize = 100;
/// Longest short biography.
pub const MAX_BIO: usize = 1_000;
/// Links a profile shows at most.
pub const MAX_LINKS: usize = 5;
/// Longest link.
pub const MAX_LINK: usize = 300;

/// An author as a byline links them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuthorRef {
    pub slug: String,
    pub name: String,
}

impl AuthorRef {
    pub fn href(&self) -> String {
        format!("/authors/{}", self.slug)
    }
}

/// A public profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub links: Vec<String>,
    /// The staff member the profile belongs to, who may edit it.
    pub staff_id: Option<i64>,
}

impl Profile {
    /// "MG" for "María García": the picture until there is a photo.
    pub fn initials(&self) -> String {
        initials(&self.name)
    }

    /// The biography's paragraphs (blank lines between them).
    pub fn bio_paragraphs(&self) -> Vec<&str> {
        self.bio.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
    }

    /// The link's text: its host and path, without the scheme.
    pub fn link_label(link: &str) -> &str {
        let bare = link.trim_start_matches("https://").trim_start_matches("http://");
        bare.strip_suffix('/').unwrap_or(bare)
    }
}

/// Up to two capitals: of the first and the last word.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &str| w.chars().next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    match words.as_slice() {
        [] => String::new(),
        [one] => first(one),
        [one, .., last] => first(one) + &first(last),
    }
}

/// The profile form as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub bio: String,
    /// One address per line.
    #[serde(default)]
    pub links: String,
}

/// A profile's editable part, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEdit {
    pub name: String,
    pub bio: String,
    pub links: Vec<String>,
}

impl ProfileForm {
    pub fn of(profile: &Profile) -> Self {
        Self { name: profile.name.clone(), bio: profile.bio.clone(), links: profile.links.join("\n") }
    }

    pub fn parse(&self) -> Result<ProfileEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            refuse("name", "Write the name readers see in bylines.".into());
        } else if name.chars().count() > MAX_NAME {
            refuse("name", format!("Keep the name to {MAX_NAME} characters."));
        } else if has_control_chars(&name) || crate::domain::slug::Slug::derive(&name).is_none() {
            refuse("name", "The name needs letters or digits, and no control characters.".into());
        }
        let bio = super::text::normalise_newlines(self.bio.trim());
        if bio.chars().count() > MAX_BIO {
            refuse("bio", format!("Keep the biography to {MAX_BIO} characters."));
        } else if has_control_chars(&bio.replace('\n', " ")) {
            refuse("bio", "Remove the control characters.".into());
        }
        let links: Vec<String> =
            self.links.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if links.len() > MAX_LINKS {
            refuse("links", format!("Give at most {MAX_LINKS} links."));
        }
        for link in &links {
            let web = (link.starts_with("https://") || link.starts_with("http://"))
                && link.len() > "https://".len()
                && !link.contains(char::is_whitespace);
            if !web || link.chars().count() > MAX_LINK {
                refuse("links", format!("\u{201c}{link}\u{201d} is not a web address (https://…, one per line)."));
                break;
            }
        }
        if errors.is_empty() { Ok(ProfileEdit { name, bio, links }) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_and_last_names() {
        assert_eq!(initials("María García"), "MG");
        assert_eq!(initials("Ana María de la Cruz"), "AC");
        assert_eq!(initials("Cher"), "C");
        assert_eq!(initials("  "), "");
        assert_eq!(initials("élodie durand"), "ÉD");
    }

    #[test]
    fn profiles_are_checked_field_by_field() {
        let form = |name: &str, bio: &str, links: &str| ProfileForm {
            name: name.into(),
            bio: bio.into(),
            links: links.into(),
        };
        let ok =
            form("  María   García ", "Covers City Hall.\r\n\r\nBefore that, courts.", "https://example.org/maria\n\n")
                .parse();
        assert_eq!(
            ok,
            Ok(ProfileEdit {
                name: "María García".into(),
                bio: "Covers City Hall.\n\nBefore that, courts.".into(),
                links: vec!["https://example.org/maria".into()],
            })
        );
        let fields =
            |r: Result<ProfileEdit, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(form("", "", "").parse()), ["name"]);
        assert_eq!(fields(form("--", "", "").parse()), ["name"]);
        assert_eq!(fields(form(&"x".repeat(101), "", "").parse()), ["name"]);
        assert_eq!(fields(form("A", &"b".repeat(1001), "").parse()), ["bio"]);
        assert_eq!(fields(form("A", "", "javascript:alert(1)").parse()), ["links"]);
        assert_eq!(fields(form("A", "", "https://").parse()), ["links"]);
        assert_eq!(fields(form("A", "", &"https://a.example\n".repeat(6)).parse()), ["links"]);
    }

    #[test]
    fn link_labels_drop_the_scheme() {
        assert_eq!(Profile::link_label("https://example.org/maria/"), "example.org/maria");
        assert_eq!(Profile::link_label("http://x.example"), "x.example");
    }
}
