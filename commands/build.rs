//! Rebuild when a migration is added or changed: `sqlx::migrate!` embeds
//! the `migrations/` directory at compile time and cannot see new files
//! on its own.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
