//! The integration tests, in one binary so the suite links once: each module drives the real
//! application (on a free port, or as child processes of the built binary) with a fresh
//! database, SQLite or, when `COPYDESK_TEST_POSTGRES` is set, PostgreSQL (`support`).

mod support;

mod authors;
mod bounds;
mod bucket;
mod cli;
mod comment_corrections;
mod comments;
mod copy_check;
mod corrections;
mod database_settings;
mod dump;
mod durability;
mod editing;
mod forgery;
mod health;
mod hostile;
mod import;
mod inbox;
mod lifecycle;
mod mail;
mod media;
mod multi_server;
mod observability;
mod outage;
mod page_cache;
mod scheduling;
mod search;
mod second_factor;
mod site;
mod staff;
mod team;
mod wordpress;
