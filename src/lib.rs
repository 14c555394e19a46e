//! webex-scheduler: schedule Webex meetings from any Webex space. This crate is the service.
//!
//! # Layout
//! The workspace is split along the boundaries a reader needs to find things:
//!
//! * the **pure domain** is its own crate, `scheduler-core` (`crates/scheduler-core`): the
//!   command grammar, schedule rules and invitation building; it knows no HTTP, SQL or runtime;
//! * the **Webex emulator** is its own crate, `webex-emulator` (`crates/webex-emulator`): the
//!   stand-in the sandbox and the tests talk to;
//! * this crate has **one module per external system**: [`webex`] (REST client), [`mail`]
//!   (SMTP), [`store`] (every SQL statement);
//! * the **machinery** that makes the bot reliable: [`jobs`] (durable queue), [`auth`]
//!   (per-user OAuth and tokens at rest);
//! * the **edges**: [`server`] (HTTP routes), [`bot`] (the conversation and the user-safe
//!   error tier), [`cards`] (Adaptive Cards), [`parse_tool`] (the `parse` command's I/O);
//! * [`ops`]: what operators use beside the conversation (the container's health check);
//!   [`metrics`]: Prometheus metrics on their own listener;
//! * [`sandbox`]: a local chat against the emulator, so anyone can try it without accounts.
//!
//! [`startup`] wires them together; `main.rs` only parses the command line.

pub mod auth;
pub mod bot;
pub mod cards;
pub mod cli;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod ops;
pub mod parse_tool;
pub mod sandbox;
pub mod server;
pub mod settings;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webex;
