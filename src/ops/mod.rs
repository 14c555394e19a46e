//! Operating the bot: what an administrator or an orchestrator uses, beside the conversation.

pub mod healthcheck;
pub mod reference;
