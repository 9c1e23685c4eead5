//! The application's one error type: what went wrong, in terms a reader or staff member can
//! act on. Internal details are logged where they happen and never sent.

use leptos::server_fn::codec::PostcardEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::text::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("We could not find that page.")]
    NotFound,
    /// Some fields are invalid; each problem is named next to its field.
    #[error("Please check the highlighted fields.")]
    Invalid(Vec<FieldError>),
    /// No valid staff session.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("Your role does not allow this.")]
    Forbidden,
    /// A request that changes something came from another site's page.
    #[error("Cross-site requests are not accepted.")]
    CrossSite,
    #[error("Comments are closed on this article.")]
    CommentsClosed,
    /// Someone saved what this change was made from in the meantime; nothing was written.
    #[error(
        "The article was saved by someone else in the meantime, so nothing was changed. Look at it again and decide once more."
    )]
    Stale,
    /// A moderator banned this author.
    #[error("Comments from you are no longer accepted on this site.")]
    Banned,
    #[error("You have sent several in a short time. Please wait a few minutes and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The database stayed locked or the pool stayed exhausted past the busy timeout.
    #[error("The site is very busy right now. Nothing was saved; please try again in a moment.")]
    Busy,
    /// Transport or encoding failures of a server function call.
    #[error("The request could not be completed: {0}")]
    ServerFn(String),
}

impl AppError {
    /// A single-field problem.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// The message for one field, if that field is at fault.
    pub fn field(&self, field: &str) -> Option<&str> {
        match self {
            Self::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.as_str()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = PostcardEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::ServerFn(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            if crate::db::is_unavailable(&error) {
                tracing::warn!(%error, "database busy");
                return Self::Busy;
            }
            tracing::error!(%error, "database error");
            Self::Internal
        }
    }

    impl AppError {
        /// The HTTP status for this error; the only place where that mapping is made.
        pub fn status(&self) -> StatusCode {
            match self {
                Self::NotFound => StatusCode::NOT_FOUND,
                Self::ServerFn(_) => StatusCode::BAD_REQUEST,
                Self::Unauthorized => StatusCode::UNAUTHORIZED,
                Self::Forbidden | Self::CrossSite | Self::CommentsClosed | Self::Banned => StatusCode::FORBIDDEN,
                Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Self::Stale => StatusCode::CONFLICT,
                Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            }
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut response = (self.status(), self.to_string()).into_response();
            if self == Self::Busy {
                // Nothing was done; a moment later there is room again.
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
            }
            response
        }
    }

    #[cfg(test)]
    mod tests {
        use super::{AppError, StatusCode};

        #[test]
        fn an_exhausted_pool_is_busy_not_a_failure() {
            assert_eq!(AppError::from(sqlx::Error::PoolTimedOut), AppError::Busy);
            assert_eq!(AppError::Busy.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(AppError::from(sqlx::Error::RowNotFound), AppError::Internal);
        }

        #[test]
        fn a_lost_connection_is_busy_not_a_failure() {
            for kind in [std::io::ErrorKind::ConnectionReset, std::io::ErrorKind::BrokenPipe] {
                assert_eq!(AppError::from(sqlx::Error::Io(kind.into())), AppError::Busy);
            }
            assert_eq!(AppError::from(sqlx::Error::PoolClosed), AppError::Busy);
        }
    }
}
