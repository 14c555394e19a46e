//! The service's integration and end-to-end tests, in one test binary so that the service and
//! its dependencies are linked once (`cargo test --test integration <filter>` runs a part).
//! `common` is the `spawn_app()` harness (the real server on port 0 against the emulator);
//! `peers` runs the real calendar parsers and SMTP sink, `browser` drives Debian's Chromium.

#[path = "browser/harness.rs"]
mod browser;
mod common;
#[path = "peers/harness.rs"]
mod peers;

mod account_linking;
mod admin;
mod cards_browser;
mod cards_validity;
mod command_tool;
mod compose_example;
mod crash;
mod emulator_contract;
mod forms;
mod foundation;
mod grant_expiry;
mod group_privacy;
mod health;
mod http_headers;
mod image;
mod invitations;
mod mail_message;
mod mail_smtp;
mod meeting_updates;
mod message_size;
mod metrics;
mod migrate_data;
mod multi_replica;
mod new_user;
mod openapi_examples;
mod passwords;
mod reading_notes;
mod readme_tour;
mod recurrence_rules;
mod reminder_crash;
mod reminders;
mod replicas;
mod rescheduling;
mod sandbox;
mod scheduling;
mod small_things;
mod support_logs;
mod webex_client;
mod whose_meetings;
