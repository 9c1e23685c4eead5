//! Rebuilds when a migration is added: `sqlx::migrate!` embeds the folder's files, and cargo
//! would not otherwise notice a new one.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
