//! dialogue-desk: delegates file proposals to a dialogue conference, each is routed
//! to the body responsible, answered, approved, published and followed up.

pub mod auth;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod i18n;
pub mod mail;
pub mod render;
pub mod reports;
pub mod routes;
pub mod scheduler;
pub mod secrets;
pub mod startup;
