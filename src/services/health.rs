//! (ssr) Whether this server can do its work: for the load balancer's readiness check.

use crate::db::{self, Pool, comments::CommentWriter};

/// `Ok(())` when the database answers, every migration of this build is applied and the
/// comment writer runs; otherwise why not, in words fit for an operator (no personal data).
#[tracing::instrument(skip_all)]
pub async fn ready(pool: &Pool, writer: &CommentWriter) -> Result<(), String> {
    let waiting = tokio::time::timeout(std::time::Duration::from_secs(2), db::readiness(pool)).await;
    match waiting {
        Err(_) => return Err("the database did not answer within 2 s".into()),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database is not reachable");
            return Err("the database is not reachable".into());
        }
        Ok(Ok(Some(missing))) => return Err(missing),
        Ok(Ok(None)) => {}
    }
    if !writer.is_running() {
        return Err("the comment writer has stopped".into());
    }
    Ok(())
}
