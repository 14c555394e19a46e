//! `help [topic]`, a refusal of what could not be read, the hint for words that are no
//! command at all, and straight answers to questions, requests and thanks the grammar
//! recognised (`Command::Question`, `Unsupported`, `Thanks`). The help texts come from the
//! grammar's own tables (`scheduler_core::command`).

use crate::bot::reply::{self, Reply, escape_markdown};
use scheduler_core::command::{self, ListRange, Refusal, Request};

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

/// A question about the calendar: there is no agenda to answer it with yet, so the person is
/// pointed to the `list` that shows the range they asked about.
pub(super) fn question(range: Option<ListRange>) -> Reply {
    let pointer = match range {
        Some(ListRange::Today) => "`list today` shows your meetings today.",
        Some(ListRange::Tomorrow) => "`list tomorrow` shows your meetings tomorrow.",
        Some(ListRange::ThisWeek) => {
            "`list this week` shows your meetings for the rest of this week."
        }
        Some(ListRange::NextWeek) => "`list next week` shows your meetings next week.",
        Some(ListRange::Next7Days) => "`list` shows your meetings in the next 7 days.",
        None => {
            "`list` shows your meetings from now to the end of next week \
             (`list today`, `list tomorrow`, `list this week`, `list next week`); \
             your Webex calendar shows the rest."
        }
    };
    Reply::text(format!("I can't answer questions yet, but {pointer}"))
}

/// Something the bot does not do: said in one line, with what it does.
pub(super) fn unsupported(request: Request) -> Reply {
    if request == Request::Reminder {
        // Reminders exist, but only for meetings: say how to get them instead of "I can't".
        return Reply::text(REMINDERS_COME_WITH_MEETINGS);
    }
    Reply::text(format!(
        "I can't {}. I can schedule, list, cancel and reschedule your Webex meetings: \
         type `help` to see how.",
        request.what()
    ))
}

/// The answer to a reminder asked for on its own ("remind me 10 minutes before").
pub(crate) const REMINDERS_COME_WITH_MEETINGS: &str = "Reminders come with the meetings you \
     schedule with me: I post one 10 minutes before each, where you scheduled it. Add `remind \
     15m before` or `no reminder` to a request, or change it for all of them with `settings \
     reminders 15m` or `settings reminders off`.";

pub(super) fn thanks() -> Reply {
    Reply::text("You're welcome!")
}
