//! Staff roles and accounts as the desk knows them.

use serde::{Deserialize, Serialize};

use super::text::is_plausible_email;

/// What a staff member may do. Each role includes the ones before it: moderators moderate
/// comments; editors also handle corrections and articles; admins also manage staff and
/// settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Moderator,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Moderator, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Whether this role may do what `required` may.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
}

/// A member as the team page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TeamMember {
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub staff: StaffMember,
    pub last_sign_in_at: Option<time::OffsetDateTime>,
}

/// One of a member's signed-in sessions. `id_hash` is the SHA-256 of the cookie's id: it
/// names the session in the form that ends it and cannot sign anyone in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Session {
    pub id_hash: String,
    pub created_at: time::OffsetDateTime,
    pub expires_at: time::OffsetDateTime,
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Role::parse(&raw).ok_or_else(|| format!("unknown role {raw}"))
    }
}

/// Characters a staff member's name may hold.
pub const MAX_NAME_CHARS: usize = 80;
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A new account's details, checked.
pub fn parse_account(email: &str, name: &str, password: &str) -> Result<(String, String), String> {
    let email = email.trim().to_lowercase();
    if !is_plausible_email(&email) {
        return Err(format!("{email:?} is not an email address"));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(format!("the name must be 1 to {MAX_NAME_CHARS} printable characters"));
    }
    check_password(password)?;
    Ok((email, name.to_owned()))
}

pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("the password must have at most {MAX_PASSWORD_CHARS} characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Moderator));
        assert!(Role::Editor.allows(Role::Editor));
        assert!(!Role::Moderator.allows(Role::Editor));
        assert!(!Role::Editor.allows(Role::Admin));
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn accounts_need_an_address_a_name_and_a_long_password() {
        assert_eq!(
            parse_account(" Desk@Example.ORG ", " Ana ", "correct horse battery"),
            Ok(("desk@example.org".into(), "Ana".into()))
        );
        assert!(parse_account("desk", "Ana", "correct horse battery").is_err());
        assert!(parse_account("desk@example.org", " ", "correct horse battery").is_err());
        assert!(parse_account("desk@example.org", "Ana", "short").is_err());
        assert!(check_password(&"p".repeat(257)).is_err());
    }
}
