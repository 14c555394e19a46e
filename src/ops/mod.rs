//! Operating the bot: what an administrator or an orchestrator uses, beside the conversation.

pub mod access;
mod admin;
pub mod healthcheck;
pub mod reference;
