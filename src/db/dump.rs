//! (ssr) A whole site as one file, the same whichever database it came from: `copydesk export`
//! writes it, `copydesk import-dump` reads it into an empty database of either kind.
//! One cohesive thing, kept in one file: the format, its writer and its reader.
//!
//! The file is JSON lines: a header object, then for each table an object naming it and its
//! columns followed by one array per row, then an end object with the number of rows (a cut-off
//! file is refused). Values are JSON numbers, strings, booleans, RFC 3339 times, base64
//! strings (image files) or null.
//! What the database derives (the page keys, the queue counts) is not written: the
//! triggers rebuild it as rows arrive. Staff sessions and failed sign-ins are not moved: staff
//! sign in again.

use std::io::{BufRead, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::query::Type::{self, Bool, Bytes, Int, Text, Time};
use super::{Arg, Kind, Pool, query, query_as, query_scalar};

const FORMAT: &str = "copydesk-dump";
const VERSION: u64 = 1;

/// A table as the dump holds it: its columns in order, and what to sort its rows by so that
/// every row comes after the rows it refers to.
struct Table {
    name: &'static str,
    order: &'static str,
    columns: &'static [(&'static str, Type)],
    /// Has an `id` its database numbers; PostgreSQL's counter is moved past the imported ones.
    numbered: bool,
}

/// Every table with data of its own, parents before children. A test checks that this names
/// every column of every table the migrations make, so a new column cannot be left behind.
const TABLES: &[Table] = &[
    Table { name: "site_settings", order: "key", columns: &[("key", Text), ("value", Text)], numbered: false },
    Table {
        name: "staff",
        order: "id",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Time),
            ("last_sign_in_at", Time),
            ("totp_secret", Text),
            ("totp_last_step", Int),
            ("digest", Bool),
            ("digest_sent_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "staff_recovery_codes",
        order: "staff_id, code_hash",
        columns: &[("staff_id", Int), ("code_hash", Text)],
        numbered: false,
    },
    Table {
        name: "media",
        order: "id",
        columns: &[
            ("id", Int),
            ("file_name", Text),
            ("width", Int),
            ("height", Int),
            ("alt", Text),
            ("caption", Text),
            ("credit", Text),
            ("source_sha256", Text),
            ("created_by", Int),
            ("created_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "media_variants",
        order: "media_id, kind, format, width",
        columns: &[
            ("media_id", Int),
            ("kind", Text),
            ("format", Text),
            ("width", Int),
            ("height", Int),
            ("hash", Text),
            ("bytes", Bytes),
            ("stored", Text),
        ],
        numbered: false,
    },
    Table {
        name: "articles",
        order: "id",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("title", Text),
            ("dek", Text),
            ("byline", Text),
            ("body_md", Text),
            ("status", Text),
            ("published_at", Time),
            ("updated_at", Time),
            ("revision", Int),
            ("comment_moderation", Text),
            ("comments_closed", Bool),
            ("ever_published", Bool),
            ("lang", Text),
            ("scheduled_at", Time),
            ("lead_media_id", Int),
            ("lead_alt", Text),
            ("lead_caption", Text),
            ("lead_credit", Text),
        ],
        numbered: true,
    },
    Table {
        name: "article_media",
        order: "article_id, media_id",
        columns: &[("article_id", Int), ("media_id", Int)],
        numbered: false,
    },
    Table {
        name: "authors",
        order: "id",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("name", Text),
            ("bio", Text),
            ("links", Text),
            ("staff_id", Int),
            ("created_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "article_authors",
        order: "article_id, position",
        columns: &[("article_id", Int), ("author_id", Int), ("position", Int)],
        numbered: false,
    },
    Table {
        name: "imported_ids",
        order: "source, kind, external_id",
        columns: &[("source", Text), ("kind", Text), ("external_id", Text), ("local_id", Int)],
        numbered: false,
    },
    Table {
        name: "copy_check_ignores",
        order: "article_id, kind, text",
        columns: &[("article_id", Int), ("kind", Text), ("text", Text)],
        numbered: false,
    },
    Table {
        name: "house_words",
        order: "word",
        columns: &[("word", Text), ("added_by", Text), ("added_at", Time)],
        numbered: false,
    },
    Table {
        name: "article_revisions",
        order: "article_id, revision",
        columns: &[
            ("article_id", Int),
            ("revision", Int),
            ("title", Text),
            ("dek", Text),
            ("byline", Text),
            ("body_md", Text),
            ("created_at", Time),
            ("saved_by", Text),
            ("summary", Text),
            ("topics", Text),
        ],
        numbered: false,
    },
    Table { name: "topics", order: "id", columns: &[("id", Int), ("slug", Text), ("name", Text)], numbered: true },
    Table {
        name: "article_topics",
        order: "article_id, position",
        columns: &[("article_id", Int), ("topic_id", Int), ("position", Int)],
        numbered: false,
    },
    Table {
        name: "correction_groups",
        order: "id",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("revision", Int),
            ("quote", Text),
            ("prefix", Text),
            ("suffix", Text),
            ("start_offset", Int),
            ("end_offset", Int),
            ("kind", Text),
            ("suggested_text", Text),
            ("status", Text),
            ("report_count", Int),
            ("created_at", Time),
            ("last_reported_at", Time),
            ("decided_at", Time),
            ("decided_by", Int),
            ("decision_note", Text),
            ("fixed_revision", Int),
        ],
        numbered: true,
    },
    // A reply's id is always above its parent's, so id order writes parents first.
    Table {
        name: "comments",
        order: "id",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("parent_id", Int),
            ("root_id", Int),
            ("depth", Int),
            ("author_name", Text),
            ("email", Text),
            ("body", Text),
            ("status", Text),
            ("held_for", Text),
            ("held_detail", Text),
            ("featured", Bool),
            ("report_count", Int),
            ("client_hash", Text),
            ("author_token", Text),
            ("created_at", Time),
            ("moderated_at", Time),
            ("staff_id", Int),
            ("rejection_reason", Text),
            ("reviewed_reports", Int),
            ("notify_replies", Bool),
        ],
        numbered: true,
    },
    Table {
        name: "comment_reports",
        order: "id",
        columns: &[
            ("id", Int),
            ("comment_id", Int),
            ("reason", Text),
            ("note", Text),
            ("client_hash", Text),
            ("created_at", Time),
        ],
        numbered: true,
    },
    // After comments: a report can link the comment it was made from.
    Table {
        name: "correction_reports",
        order: "id",
        columns: &[
            ("id", Int),
            ("group_id", Int),
            ("kind", Text),
            ("note", Text),
            ("email", Text),
            ("client_hash", Text),
            ("created_at", Time),
            ("comment_id", Int),
            ("reply_id", Int),
        ],
        numbered: true,
    },
    Table {
        name: "correction_notices",
        order: "id",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("kind", Text),
            ("note", Text),
            ("revision", Int),
            ("group_id", Int),
            ("staff_id", Int),
            ("created_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "moderation_words",
        order: "list, word",
        columns: &[("list", Text), ("word", Text)],
        numbered: false,
    },
    Table {
        name: "banned_authors",
        order: "id",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("client_hash", Text),
            ("reason", Text),
            ("staff_id", Int),
            ("created_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "audit_log",
        order: "id",
        columns: &[
            ("id", Int),
            ("staff_id", Int),
            ("staff_name", Text),
            ("kind", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
            ("created_at", Time),
        ],
        numbered: true,
    },
    // Mail not yet sent goes on from the new database; who unsubscribed stays unsubscribed.
    Table {
        name: "outbox",
        order: "id",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("recipient", Text),
            ("list", Text),
            ("payload", Text),
            ("batch_key", Text),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Time),
            ("lease_owner", Text),
            ("lease_until", Time),
            ("last_error", Text),
            ("created_at", Time),
            ("sent_at", Time),
        ],
        numbered: true,
    },
    Table {
        name: "mail_unsubscribes",
        order: "address, list",
        columns: &[("address", Text), ("list", Text), ("created_at", Time)],
        numbered: false,
    },
    Table {
        name: "reply_subscribers",
        order: "address",
        columns: &[("address", Text), ("asked_at", Time), ("confirmed_at", Time)],
        numbered: false,
    },
];

/// Why an export or import stopped. An import that stops writes nothing.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("line {line}: {problem}")]
    Malformed { line: usize, problem: String },
    #[error("the database already holds a site ({table} has rows); import into an empty one")]
    NotEmpty { table: &'static str },
}

/// How many rows of each table an export wrote or an import read.
pub type Counts = Vec<(&'static str, u64)>;

impl Table {
    fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(name, _)| *name).collect()
    }

    fn column_list(&self) -> String {
        self.names().join(", ")
    }

    fn types(&self) -> Vec<Type> {
        self.columns.iter().map(|(_, t)| *t).collect()
    }
}

fn to_json(arg: Arg) -> Value {
    match arg {
        Arg::Int(v) => v.map_or(Value::Null, Value::from),
        Arg::Text(v) => v.map_or(Value::Null, Value::from),
        Arg::Bool(v) => v.map_or(Value::Null, Value::from),
        Arg::Time(v) => v.and_then(|t| t.format(&Rfc3339).ok()).map_or(Value::Null, Value::from),
        Arg::Bytes(v) => v.map_or(Value::Null, |b| Value::from(BASE64.encode(b))),
    }
}

fn from_json(value: &Value, kind: Type) -> Option<Arg> {
    if value.is_null() {
        return Some(match kind {
            Int => Arg::Int(None),
            Text => Arg::Text(None),
            Bool => Arg::Bool(None),
            Time => Arg::Time(None),
            Bytes => Arg::Bytes(None),
        });
    }
    Some(match kind {
        Int => Arg::Int(Some(value.as_i64()?)),
        Text => Arg::Text(Some(value.as_str()?.to_owned())),
        Bool => Arg::Bool(Some(value.as_bool()?)),
        Time => Arg::Time(Some(OffsetDateTime::parse(value.as_str()?, &Rfc3339).ok()?)),
        Bytes => Arg::Bytes(Some(BASE64.decode(value.as_str()?).ok()?)),
    })
}

fn write_line(out: &mut impl Write, value: &Value) -> Result<(), sqlx::Error> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes the whole site to `out`, from one consistent snapshot of the database.
pub async fn export(pool: &Pool, out: &mut impl Write) -> Result<Counts, DumpError> {
    let mut tx = pool.begin().await?;
    if pool.kind() == Kind::Postgres {
        // Every table read as of the same moment, as SQLite's read transaction does anyway.
        query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut tx).await?;
    }
    write_line(out, &json!({ "format": FORMAT, "version": VERSION }))?;
    let mut counts = Counts::new();
    let mut total = 0;
    for table in TABLES {
        write_line(out, &json!({ "table": table.name, "columns": table.names() }))?;
        // The key client addresses are hashed with stays behind: with it, anyone holding a
        // dump could reverse every IPv4 hash. The site the dump is read into keeps its own.
        let secret = if table.name == "site_settings" { " WHERE key <> 'client_hash_key'" } else { "" };
        let sql = format!("SELECT {} FROM {}{secret} ORDER BY {}", table.column_list(), table.name, table.order);
        let mut rows = 0;
        query(sqlx::AssertSqlSafe(sql))
            .for_each_row(&table.types(), &mut tx, |values| {
                rows += 1;
                write_line(out, &Value::Array(values.into_iter().map(to_json).collect()))
            })
            .await?;
        counts.push((table.name, rows));
        total += rows;
    }
    write_line(out, &json!({ "end": true, "rows": total }))?;
    out.flush()?;
    tx.commit().await?;
    Ok(counts)
}

/// Reads a dump into `pool`'s database, which must hold no site yet (the settings the
/// migrations create are replaced by the dump's). All of it or nothing is written.
pub async fn import(pool: &Pool, input: impl BufRead) -> Result<Counts, DumpError> {
    let mut tx = pool.begin().await?;
    for table in TABLES.iter().filter(|t| t.name != "site_settings") {
        let rows: i64 = query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name)))
            .fetch_one(&mut tx)
            .await?;
        if rows > 0 {
            return Err(DumpError::NotEmpty { table: table.name });
        }
    }

    let malformed = |line: usize, problem: String| DumpError::Malformed { line, problem };
    let mut lines = input.lines().enumerate().map(|(i, line)| (i + 1, line));
    let mut next_line = || -> Result<(usize, Value), DumpError> {
        let (n, line) = lines.next().ok_or_else(|| malformed(0, "the file ends before the dump does".into()))?;
        let value = serde_json::from_str(&line?).map_err(|e| malformed(n, format!("not JSON: {e}")))?;
        Ok((n, value))
    };

    let (n, header) = next_line()?;
    if header["format"] != FORMAT || header["version"] != VERSION {
        return Err(malformed(n, format!("not a {FORMAT} of version {VERSION}")));
    }
    let mut counts = Counts::new();
    let mut total = 0_u64;
    let (mut n, mut line) = next_line()?;
    for table in TABLES {
        let expected = table.names();
        if line["table"] != table.name || line["columns"] != json!(expected) {
            return Err(malformed(
                n,
                format!("expected the table {} with columns {}", table.name, expected.join(", ")),
            ));
        }
        let placeholders: Vec<String> = (1..=expected.len()).map(|i| format!("${i}")).collect();
        let mut sql =
            format!("INSERT INTO {} ({}) VALUES ({})", table.name, table.column_list(), placeholders.join(", "));
        if table.name == "site_settings" {
            sql.push_str(" ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        }
        let mut rows = 0;
        loop {
            (n, line) = next_line()?;
            let Some(values) = line.as_array() else { break };
            if values.len() != table.columns.len() {
                return Err(malformed(
                    n,
                    format!("{} values where {} has {} columns", values.len(), table.name, expected.len()),
                ));
            }
            let mut insert = query(sqlx::AssertSqlSafe(sql.clone()));
            for (value, (column, kind)) in values.iter().zip(table.columns) {
                let arg = from_json(value, *kind)
                    .ok_or_else(|| malformed(n, format!("{}.{column} cannot be {value}", table.name)))?;
                insert = insert.bind(arg);
            }
            insert.execute(&mut tx).await?;
            rows += 1;
        }
        counts.push((table.name, rows));
        total += rows;
    }
    if line["end"] != true || line["rows"] != total {
        return Err(malformed(n, format!("expected the end of the dump after {total} rows")));
    }

    if pool.kind() == Kind::Postgres {
        // Identity columns count on from their own counter, which the imported ids bypassed.
        for table in TABLES.iter().filter(|t| t.numbered) {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                table.name
            );
            query_scalar::<i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut tx).await?;
        }
    }
    tx.commit().await?;
    Ok(counts)
}

/// Tables the database fills itself, or that are not moved.
const NOT_DUMPED: &[&str] =
    &["page_keys", "comment_counts", "staff_sessions", "sign_in_failures", "staff_pending_sign_ins"];
/// Tables whose names start so are the search index and (SQLite) its shadow tables, which
/// the triggers rebuild as the articles are imported.
const DERIVED_PREFIX: &str = "article_search";
/// Columns the triggers keep, rebuilt as the rows they count are imported.
const DERIVED_COLUMNS: &[&str] = &["articles.comment_count"];

/// What the migrations made that the dump does not carry: a table (`"name"`) or a column
/// (`"table.column"`), and columns the dump names that the database lacks. Read from the
/// database's own catalogue (SQLite's `pragma_table_info`, PostgreSQL's
/// `information_schema`), so a new migration cannot leave data behind on either.
pub async fn undumped(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    let columns: Vec<(String, String)> = match pool.kind() {
        Kind::Sqlite => {
            query_as(
                "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .fetch_all(pool)
            .await?
        }
        Kind::Postgres => {
            query_as(
                "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(pool)
            .await?
        }
    };
    let mut problems = Vec::new();
    for (table, column) in &columns {
        if NOT_DUMPED.contains(&table.as_str())
            || table.starts_with(DERIVED_PREFIX)
            || DERIVED_COLUMNS.contains(&format!("{table}.{column}").as_str())
        {
            continue;
        }
        match TABLES.iter().find(|t| t.name == table) {
            None => problems.push(table.clone()),
            Some(spec) if !spec.names().contains(&column.as_str()) => problems.push(format!("{table}.{column}")),
            Some(_) => {}
        }
    }
    for spec in TABLES {
        for name in spec.names() {
            if !columns.iter().any(|(t, c)| t == spec.name && c == name) {
                problems.push(format!("{}.{name} (not in the database)", spec.name));
            }
        }
    }
    problems.sort();
    problems.dedup();
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dump_holds_every_column_of_every_table() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::test_pool(dir.path(), "d.db").await;
        assert_eq!(undumped(&pool).await.unwrap(), Vec::<String>::new());
    }

    #[test]
    fn values_cross_json_and_back() {
        let at = time::macros::datetime!(2026-11-29 08:30:00 UTC);
        for (arg, kind) in [
            (Arg::Int(Some(-4)), Int),
            (Arg::Int(None), Int),
            (Arg::Text(Some("Ein \"Zitat\"\n".into())), Text),
            (Arg::Bool(Some(false)), Bool),
            (Arg::Time(Some(at)), Time),
            (Arg::Time(None), Time),
            (Arg::Bytes(Some(vec![0, 255, 10])), Bytes),
            (Arg::Bytes(None), Bytes),
        ] {
            assert_eq!(from_json(&to_json(arg.clone()), kind), Some(arg));
        }
        assert_eq!(from_json(&json!("yesterday"), Time), None);
        assert_eq!(from_json(&json!(1.5), Int), None);
        assert_eq!(from_json(&json!(1), Bool), None);
    }
}
