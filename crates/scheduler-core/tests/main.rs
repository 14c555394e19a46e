//! The core crate's integration tests, in one test binary: the grammar's and the invitations'
//! property tests, and the invitations read back by real calendar parsers (`peers`, the harness
//! shared with the service's mail tests, installed by `tests/peers/install.sh`).

#[path = "../../../tests/peers/harness.rs"]
mod peers;

mod command_corpus;
mod command_misreading;
mod command_proptest;
mod invite_ics;
mod invite_peers;
mod invite_proptest;
