//! webex-scheduler: schedule Webex meetings from any Webex space.
//!
//! # Layout
//! The crate is split along the boundaries a reader needs to find things:
//!
//! * a **pure domain** that knows no HTTP, no SQL and no Webex wire format:
//!   [`command`] (what people type), [`schedule`] (meetings as values, zones, recurrence,
//!   Webex's limits) and [`invite`] (RFC 5545 invitations);
//! * **one module per external system**: [`webex`] (REST client), [`mail`] (SMTP),
//!   [`store`] (every SQL statement);
//! * the **machinery** that makes the bot reliable: [`jobs`] (durable queue), [`auth`]
//!   (per-user OAuth and tokens at rest);
//! * the **edges**: [`server`] (HTTP routes), [`bot`] (the conversation and the user-safe
//!   error tier), [`cards`] (Adaptive Cards);
//! * the **stand-ins** that let anyone run it without accounts: [`emulator`] (Webex) and
//!   [`sandbox`] (a local chat).
//!
//! [`startup`] wires them together; `main.rs` only parses the command line.

pub mod auth;
pub mod bot;
pub mod cards;
pub mod cli;
pub mod clock;
pub mod command;
pub mod emulator;
pub mod invite;
pub mod jobs;
pub mod mail;
pub mod sandbox;
pub mod schedule;
pub mod server;
pub mod settings;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webex;
