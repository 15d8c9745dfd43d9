//! Seed data: on a new database the reference data of Notice 920-TB/TU and its
//! 2023 conference; in development also the demo accounts and items.

mod demo;
mod reference;

pub use demo::{demo_data, seed_if_empty, DemoAccount};
pub use reference::{is_empty, reference_data};
