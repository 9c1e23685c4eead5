//! (ssr) The five kinds of value a statement binds, in the form each driver takes them,
//! and the columns of rows read without a row type (`db::dump`).

use sqlx::{Arguments, ColumnIndex, Database, Decode, Encode, Row, Type as SqlType};
use time::OffsetDateTime;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<OffsetDateTime>),
    Bytes(Option<Vec<u8>>),
}

impl From<Vec<u8>> for Arg {
    fn from(value: Vec<u8>) -> Self {
        Arg::Bytes(Some(value))
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(Some(value))
    }
}

impl From<&i64> for Arg {
    fn from(value: &i64) -> Self {
        Arg::Int(Some(*value))
    }
}

impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Self {
        Arg::Int(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(Some(value.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(Some(value))
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(Some(value.clone()))
    }
}

impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Self {
        Arg::Text(value.map(str::to_owned))
    }
}

impl From<Option<String>> for Arg {
    fn from(value: Option<String>) -> Self {
        Arg::Text(value)
    }
}

impl From<&Option<String>> for Arg {
    fn from(value: &Option<String>) -> Self {
        Arg::Text(value.clone())
    }
}

impl From<bool> for Arg {
    fn from(value: bool) -> Self {
        Arg::Bool(Some(value))
    }
}

impl From<OffsetDateTime> for Arg {
    fn from(value: OffsetDateTime) -> Self {
        Arg::Time(Some(value))
    }
}

impl From<Option<OffsetDateTime>> for Arg {
    fn from(value: Option<OffsetDateTime>) -> Self {
        Arg::Time(value)
    }
}

/// The values in the form driver `DB` binds them.
pub(super) fn arguments<DB>(args: &[Arg]) -> Result<DB::Arguments, sqlx::Error>
where
    DB: Database,
    Option<i64>: for<'e> Encode<'e, DB> + SqlType<DB>,
    Option<String>: for<'e> Encode<'e, DB> + SqlType<DB>,
    Option<bool>: for<'e> Encode<'e, DB> + SqlType<DB>,
    Option<OffsetDateTime>: for<'e> Encode<'e, DB> + SqlType<DB>,
    Option<Vec<u8>>: for<'e> Encode<'e, DB> + SqlType<DB>,
{
    let mut bound = DB::Arguments::default();
    for arg in args.iter().cloned() {
        match arg {
            Arg::Int(v) => bound.add(v),
            Arg::Text(v) => bound.add(v),
            Arg::Bool(v) => bound.add(v),
            Arg::Time(v) => bound.add(v),
            Arg::Bytes(v) => bound.add(v),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(bound)
}

/// The type of a column read without a row type (`db::dump`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Int,
    Text,
    Bool,
    Time,
    Bytes,
}

/// One row's columns as values of the given types.
pub(super) fn values<R>(row: &R, types: &[Type]) -> Result<Vec<Arg>, sqlx::Error>
where
    R: Row,
    usize: ColumnIndex<R>,
    Option<i64>: for<'r> Decode<'r, R::Database> + SqlType<R::Database>,
    Option<String>: for<'r> Decode<'r, R::Database> + SqlType<R::Database>,
    Option<bool>: for<'r> Decode<'r, R::Database> + SqlType<R::Database>,
    Option<OffsetDateTime>: for<'r> Decode<'r, R::Database> + SqlType<R::Database>,
    Option<Vec<u8>>: for<'r> Decode<'r, R::Database> + SqlType<R::Database>,
{
    types
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            Ok(match kind {
                Type::Int => Arg::Int(row.try_get(i)?),
                Type::Text => Arg::Text(row.try_get(i)?),
                Type::Bool => Arg::Bool(row.try_get(i)?),
                Type::Time => Arg::Time(row.try_get(i)?),
                Type::Bytes => Arg::Bytes(row.try_get(i)?),
            })
        })
        .collect()
}
