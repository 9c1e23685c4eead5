-- Where a file's bytes are: `database` (in `bytes`), or `bucket` (an S3-compatible bucket,
-- named `{hash}.{ext}` under the configured prefix; `bytes` is then empty).
ALTER TABLE media_variants ADD COLUMN stored TEXT NOT NULL DEFAULT 'database'
    CHECK (stored IN ('database', 'bucket'));
