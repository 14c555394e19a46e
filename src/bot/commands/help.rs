//! `help [topic]`, a refusal of what could not be read, and the hint for words that are no
//! command at all. The texts come from the grammar's own tables (`scheduler_core::command`).

use crate::bot::reply::{self, Reply, escape_markdown};
use scheduler_core::command::{self, Refusal};

pub(super) fn help(topic: Option<&str>) -> Reply {
    Reply::text(command::help(topic))
}

pub(super) fn hint() -> Reply {
    Reply::text(reply::hint())
}

/// A command that could not be read, said with where and why, and where to find examples.
pub(super) fn refused(refusal: &Refusal) -> Reply {
    Reply::text(format!(
        "{} Type `help` for examples.",
        escape_markdown(&refusal.message)
    ))
}
