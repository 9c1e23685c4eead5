//! Entry points that turn requests into data: parse input, call `db`, map errors.

/// (ssr) What the public article pages load.
#[cfg(feature = "ssr")]
pub mod articles;
/// Reader comments and reports: the comment box's server functions and the plain forms.
pub mod comments;
/// Reader suggestions for corrections: the widget's server function and the plain form.
pub mod corrections;
/// The staff desk's server functions.
pub mod staff;

#[cfg(feature = "ssr")]
pub use server::{Caller, caller, set_status};

#[cfg(feature = "ssr")]
mod server {
    use axum::extract::ConnectInfo;
    use axum::http::HeaderMap;
    use leptos::prelude::*;
    use std::net::SocketAddr;

    use crate::clients::ClientHash;
    use crate::error::AppError;
    use crate::state::AppState;

    /// Who is calling a server function.
    pub struct Caller {
        pub state: AppState,
        pub client: ClientHash,
        pub headers: HeaderMap,
    }

    pub async fn caller() -> Result<Caller, AppError> {
        let state = expect_context::<AppState>();
        let (ConnectInfo(addr), headers) =
            leptos_axum::extract::<(ConnectInfo<SocketAddr>, HeaderMap)>().await.map_err(|error| {
                tracing::error!(%error, "no client address on a server function call");
                AppError::Internal
            })?;
        let client = state.client_hash(addr.ip(), &headers);
        Ok(Caller { state, client, headers })
    }

    /// Gives a server function's error response the status that matches the error.
    pub fn set_status(error: &AppError) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let status = axum::http::StatusCode::from_u16(error.status_code());
            response.set_status(status.unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
}
