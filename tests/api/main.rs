//! Integration tests: the real app on 127.0.0.1 port 0, each test with its own
//! database (a SQLite file, or a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` is set).

mod accounts;
mod admin;
mod authorization;
mod calendar;
mod clock;
mod concurrency;
mod contributions;
mod dashboard;
mod deadlines;
mod demo;
mod digests;
mod exports;
mod follow_up;
mod four_eyes;
mod helpers;
mod journey;
mod leadership;
mod lists;
mod mail;
mod mail_templates;
mod matrix;
mod outcomes;
mod search;
mod second_factor;
mod security;
mod sessions;
mod smtp;
mod tasks;
mod thematic;
mod throttling;
mod validation;
mod wording;
