//! The emulator's own tests, in one test binary: it is driven over real HTTP as the bot would
//! drive Webex. The tests that hold it to Cisco's OpenAPI documents with the bot's own client
//! live with the service (`tests/emulator_contract.rs`).

mod faults;
mod meetings;
mod messaging;
mod oauth;
