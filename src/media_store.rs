//! (ssr) Where photo files are kept: in the database by default (every app server has them,
//! `copydesk export` carries them, nothing else to run), or in an S3-compatible bucket for
//! archives too large for it (`COPYDESK_MEDIA_STORE=s3://bucket/prefix`). Either way the
//! database keeps each file's row, and pages name files by `/media/{hash}.{ext}`: readers
//! never see the bucket, so a deleted photo is gone everywhere at once.

use std::sync::Arc;

use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

/// A bucket's objects are named `{prefix}/{hash}.{ext}`.
#[derive(Clone)]
pub enum MediaStore {
    Database,
    Bucket { store: Arc<dyn ObjectStore>, prefix: String, url: String },
}

/// The bucket could not be reached or refused a request.
#[derive(Debug, thiserror::Error)]
#[error("the media bucket failed: {0}")]
pub struct BucketError(#[from] object_store::Error);

/// How long one request to the bucket is tried again before it fails.
const RETRY_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// How `media_variants.stored` names where a file's bytes are.
pub const IN_DATABASE: &str = "database";
pub const IN_BUCKET: &str = "bucket";

impl MediaStore {
    /// `database`, or `s3://bucket[/prefix]` with the usual AWS variables for the rest
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, and `AWS_ENDPOINT` with
    /// `AWS_ALLOW_HTTP=true` for a server of one's own, such as MinIO or Ceph).
    pub fn from_setting(setting: &str) -> anyhow::Result<Self> {
        if setting == IN_DATABASE {
            return Ok(Self::Database);
        }
        let Some(rest) = setting.strip_prefix("s3://") else {
            anyhow::bail!("COPYDESK_MEDIA_STORE must be `database` or `s3://bucket/prefix`, not {setting:?}");
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        anyhow::ensure!(!bucket.is_empty(), "COPYDESK_MEDIA_STORE names no bucket: {setting:?}");
        use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
        use object_store::{BackoffConfig, ClientConfigKey, RetryConfig};
        // A bucket that stops answering fails a request within seconds (an upload is
        // refused, a file not sent), not after the library's default three minutes.
        let retry = RetryConfig { backoff: BackoffConfig::default(), max_retries: 3, retry_timeout: RETRY_FOR };
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_retry(retry)
            .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout), "5s")
            .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), "30s")
            .build()?;
        Ok(Self::Bucket {
            store: Arc::new(store),
            prefix: prefix.trim_matches('/').to_owned(),
            url: format!("s3://{bucket}/{}", prefix.trim_matches('/')),
        })
    }

    /// Where new files go, as `media_variants.stored` says it.
    pub fn stored(&self) -> &'static str {
        match self {
            Self::Database => IN_DATABASE,
            Self::Bucket { .. } => IN_BUCKET,
        }
    }

    /// For the start-up log: `database` or the bucket's address (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Self::Database => IN_DATABASE.to_owned(),
            Self::Bucket { url, .. } => url.clone(),
        }
    }

    fn path(prefix: &str, name: &str) -> Path {
        if prefix.is_empty() { Path::from(name) } else { Path::from(format!("{prefix}/{name}")) }
    }

    /// Writes one file (`{hash}.{ext}`) to the bucket; nothing to do for the database.
    pub async fn put(&self, name: &str, bytes: &[u8]) -> Result<(), BucketError> {
        if let Self::Bucket { store, prefix, .. } = self {
            store.put(&Self::path(prefix, name), PutPayload::from(bytes.to_vec())).await?;
        }
        Ok(())
    }

    /// A file from the bucket; `None` when it is not there.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, BucketError> {
        let Self::Bucket { store, prefix, .. } = self else { return Ok(None) };
        match store.get(&Self::path(prefix, name)).await {
            Ok(found) => Ok(Some(found.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes files from the bucket, if they are there.
    pub async fn delete(&self, names: &[String]) -> Result<(), BucketError> {
        if let Self::Bucket { store, prefix, .. } = self {
            for name in names {
                match store.delete(&Self::path(prefix, name)).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(error) => return Err(error.into()),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_the_database_or_an_s3_address() {
        assert!(matches!(MediaStore::from_setting("database").unwrap(), MediaStore::Database));
        let bucket = MediaStore::from_setting("s3://newsroom-photos/copydesk/").unwrap();
        assert_eq!(bucket.describe(), "s3://newsroom-photos/copydesk");
        assert_eq!(bucket.stored(), IN_BUCKET);
        assert_eq!(MediaStore::path("copydesk", "ab.webp").as_ref(), "copydesk/ab.webp");
        assert_eq!(MediaStore::path("", "ab.webp").as_ref(), "ab.webp");
        for wrong in ["s3://", "/var/photos", "S3://x", "gs://bucket"] {
            assert!(MediaStore::from_setting(wrong).is_err(), "{wrong}");
        }
    }
}
