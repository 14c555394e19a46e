//! The pure domain of webex-scheduler: what people type, what a meeting is, and the calendar
//! invitation that describes it.
//!
//! Nothing here does I/O: no network, no database, no files, no runtime (`cargo tree -p
//! scheduler-core -e normal` shows no tokio, sqlx, axum, reqwest or lettre). That is what lets
//! the grammar be fuzzed, benchmarked and property-tested on its own, and what lets every
//! answer be reproduced from its input and a [`clock::Clock`].
//!
//! * [`command`]: the command grammar (nom), help text generated from its tables, the JSON view
//!   the `parse` tool prints;
//! * [`schedule`]: meetings as values: zones, recurrence to RRULE, Webex's limits;
//! * [`invite`]: RFC 5545 invitations with VTIMEZONE built from chrono-tz;
//! * [`clock`]: time as a dependency.

pub mod clock;
pub mod command;
pub mod invite;
pub mod schedule;
