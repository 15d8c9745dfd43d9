//! Rebuilds when a migration is added, so the embedded migrations are never stale.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
}
