//! Help, generated from the command table and the clause topics below. Every example shown
//! here is parsed by the tests, so the help cannot promise what the grammar does not do.

use super::lexicon::{COMMANDS, CommandSpec, ZONE_ABBREVIATIONS, command_named};
use std::fmt::Write as _;

/// A help topic about one kind of schedule clause.
pub struct Topic {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub title: &'static str,
    /// What can be typed, one form per line.
    pub forms: &'static [&'static str],
    /// Whole commands that use the forms; the tests parse each one.
    pub examples: &'static [&'static str],
}

/// The clause topics, in the order `help schedule` lists them.
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "dates",
        aliases: &["date", "day", "days"],
        title: "Dates",
        forms: &[
            "`today`, `tomorrow`, `day after tomorrow`",
            "`monday` … `sunday` (also `mon`, `tue`, `tues`, `wed`, `thu`, `thur`, `thurs`, `fri`, `sat`, `sun`), `this friday`, `next tue`",
            "`next week` (its Monday), `tuesday next week`",
            "`march 29`, `29 march 2027`, `the 29th of march`, `2027-03-29`, `on the 15th`",
            "`in 3 days`, `in 2 weeks`; a leading `on` is fine: `on friday`",
            "`Jan first`, `March the 3rd`, `the twenty second`, `the 17`, `friday 23` (the weekday must agree)",
            "`23.04.2027`, `23.4.` (dots: day first), `the first monday of next month`, `the last friday of april`",
            "`3/4`: the way your zone's region writes it (day first in Europe, month first in the US); elsewhere, when both readings are dates, I ask",
            "`two weeks from now`, `3 days from tuesday`, `in a fortnight`, `monday week` (a week after monday)",
        ],
        examples: &[
            "standup tomorrow 9:30",
            "retro next tue 4pm",
            "planning on march 29 10am",
            "review the 29th of march at 2pm",
            "offsite 2027-03-29 09:00",
            "sync in 2 weeks at 11",
            "party Jan first at 8pm",
            "sync the first monday of next month 1pm to 3pm",
            "review monday week at 10",
        ],
    },
    Topic {
        name: "times",
        aliases: &["time", "duration", "durations", "range", "ranges"],
        title: "Times, ranges and durations",
        forms: &[
            "`3pm`, `3:30pm`, `3.30pm`, `15:00`, `15h30`, `noon`, `midnight`",
            "`at 3` (1–6 is afternoon, 7–11 morning, 12 noon; `07:30` or `15:00` is the 24-hour clock)",
            "`now`, `in 10 minutes`, `in an hour`, `in half an hour`",
            "`3-4pm`, `11-1pm`, `from 3 to 4:30pm`, `between 10 and 11am`, `until 5pm`",
            "`for 45m`, `for 1h30`, `for 1.5 hours`, `for an hour`, `30 min` (without an end: 30 minutes)",
            "parts of the day decide am/pm: `tonight at 8`, `tomorrow morning 9:30`, `monday morning 6-8`, `at 8 in the evening`; alone (`tomorrow afternoon`) I ask for a time",
            "`half past 7`, `quarter to 4`, `10 past 9`, `twenty to six`, `half 8` (8:30), `8 o'clock`, `7p`, `9a`, `around 3`, `3pm-ish`, `0730-0930`, `1430`",
            "in words: `at seven`, `seven thirty`, `for forty five minutes`, `in two hours`, `30 minutes from now`",
            "a bare end before its start is the next such hour: `10-1` is 10:00–13:00; `1-1`, `1:1`, `one on one` are titles",
        ],
        examples: &[
            "design review friday 3-4pm",
            "call tomorrow at 3 for 45m",
            "huddle in 10 minutes",
            "lunch tomorrow from noon to 1:30pm",
            "interview tomorrow 10am until 11:15",
            "dinner tonight at 8",
            "gym monday morning 6-8",
            "call friday at quarter to 4",
            "catch-up tomorrow at seven thirty",
        ],
    },
    Topic {
        name: "zones",
        aliases: &["zone", "timezones", "time zones", "tz"],
        title: "Time zones",
        forms: &[
            "after a time: `3pm PST`, `15:00 Europe/Paris`; or `in Tokyo`, `tz America/Chicago`",
            "an IANA name in any case (`europe/berlin`), a city (`New York`, `new york time`, `Sao Paulo`), `UTC`, `GMT`, `Z`",
            "`UTC+2`, `GMT-5` (whole hours only: Webex needs a named zone)",
            "`pacific`, `eastern`, `central`, `mountain` after a time or with `time` (`pacific time`, `India time`, `berlin time`), and `PT`, `ET`, `CT`, `MT`: the zone in force on that day (`PST` in summer is Pacific Daylight Time)",
            "abbreviations name places, not offsets: {abbreviations}",
            "without a zone: your `tz` setting, else your Webex profile's zone",
        ],
        examples: &[
            "sync tomorrow 3pm PST",
            "board call friday 15:00 Europe/Paris",
            "kickoff monday 9am in Tokyo",
            "standup tomorrow 10am UTC+2",
            "sync tomorrow 3pm pacific",
            "review friday 9am India time",
        ],
    },
    Topic {
        name: "repeats",
        aliases: &["repeat", "recurrence", "recurring", "series"],
        title: "Repeating meetings",
        forms: &[
            "`daily`, `everyday`, `every day`, `every morning`, `every night`, `every other day`, `every 3 days`, `every weekday`, `weekdays`",
            "`weekly`, `every week`, `every monday`, `every mon and wed`, `mondays`, `on tuesdays and thursdays`",
            "`every other week`, `biweekly` (every two weeks), `fortnightly`, `every fortnight`, `every 2 weeks`, `every other monday`",
            "`monthly`, `every month on the 15th`, `every first monday`, `the last friday of every month`, `every 3 months`",
            "`yearly`, `every year`",
            "ends: `4 times`, `x4`, `for 6 weeks`, `for 10 occurrences`, `until june 30` (no end: an open series)",
        ],
        examples: &[
            "standup every weekday 9:30 for 15m",
            "1:1 every other monday 10am 6 times",
            "team sync tuesdays and thursdays 2pm until june 30",
            "all hands the first monday of every month 5pm",
            "budget review monthly on the 15th at 11",
            "standup every morning at 9",
        ],
    },
    Topic {
        name: "people",
        aliases: &["invitees", "invite", "cohost", "cohosts", "guests"],
        title: "People",
        forms: &[
            "`with ana@acme.com, bob@acme.com and @Carol`, `invite ana@acme.com`",
            "`cohost bob@acme.com` or `bob@acme.com as cohost` (co-hosts are invited too)",
            "`with everyone`: every member of this space except bots and you",
            "`with Bob` (a name, no address): in a group space, the one member called Bob (display or first name); otherwise I say Bob is not invited",
        ],
        examples: &[
            "coffee tomorrow 10am with ana@acme.com",
            "planning friday 2pm with ana@acme.com and bob@acme.com as cohosts",
            "demo monday 4pm invite everyone cohost ana@acme.com",
        ],
    },
    Topic {
        name: "options",
        aliases: &["option", "password", "passcode", "title", "titles"],
        title: "Title, password and agenda",
        forms: &[
            "the words that are not a date, time, repeat or person become the title; or put it in double quotes",
            "asking in a sentence is fine: `can you set up a call with ana@acme.com tomorrow at 3`, `please book …`, `let's meet …`, `help me schedule …`",
            "a word about time that I can't use with the rest (`later`, `quarterly`, `central` alone) is not left in the title: I ask",
            "`password Blue42sky` (also `passcode`, `pw`)",
            "`agenda: text to the end of the message`, or `agenda \"quoted text\"`",
            "`remind 15m before` (1m to 24h) or `no reminder`: this meeting's reminder, over your `settings reminders`",
        ],
        examples: &[
            "\"Q3 planning: next steps\" friday 11am",
            "board call monday 9am password Blue42sky",
            "retro friday 4pm agenda: what went well, what to change",
            "can you set up a call with ana@acme.com tomorrow at 3",
        ],
    },
];

/// The canonical name of a help topic: a command (by any alias) or a clause topic.
pub(crate) fn topic_named(typed: &str) -> Option<&'static str> {
    let typed = typed.trim().trim_end_matches(['.', '?', '!']);
    if let Some(spec) = command_named(typed) {
        return Some(spec.name);
    }
    if typed.eq_ignore_ascii_case("new meeting") {
        return Some("schedule");
    }
    TOPICS
        .iter()
        .find(|t| {
            t.name.eq_ignore_ascii_case(typed)
                || t.aliases.iter().any(|a| a.eq_ignore_ascii_case(typed))
        })
        .map(|t| t.name)
}

fn abbreviations() -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < ZONE_ABBREVIATIONS.len() {
        let zone = ZONE_ABBREVIATIONS[i].1;
        let mut names = Vec::new();
        while i < ZONE_ABBREVIATIONS.len() && ZONE_ABBREVIATIONS[i].1 == zone {
            names.push(format!("`{}`", ZONE_ABBREVIATIONS[i].0));
            i += 1;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(out, "{} {}", names.join(" "), zone.name());
    }
    out
}

fn form_line(form: &str) -> String {
    form.replace("{abbreviations}", &abbreviations())
}

fn aliases(spec: &CommandSpec) -> String {
    spec.aliases
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Help as markdown: all commands (`None`), one command, or one clause topic. An unknown topic
/// gets the overview.
pub fn help(topic: Option<&str>) -> String {
    let Some(topic) = topic.and_then(topic_named) else {
        return overview();
    };
    if topic == "schedule" {
        return schedule_help();
    }
    if let Some(spec) = COMMANDS.iter().find(|c| c.name == topic) {
        return command_help(spec);
    }
    match TOPICS.iter().find(|t| t.name == topic) {
        Some(t) => topic_help(t),
        None => overview(),
    }
}

fn overview() -> String {
    let mut out = String::from("**I schedule Webex meetings.** Commands:\n\n");
    for spec in COMMANDS {
        let _ = write!(out, "- `{}`: {}", spec.usage, spec.summary);
        if !spec.aliases.is_empty() {
            let _ = write!(out, " (also {})", aliases(spec));
        }
        out.push('\n');
    }
    out.push_str("\nFor example:\n\n");
    for spec in COMMANDS.iter().filter(|c| c.name == "schedule") {
        for example in spec.examples {
            let _ = writeln!(out, "- `{example}`");
        }
    }
    out.push_str("\nMore: `help schedule`, or a topic: ");
    let topics: Vec<String> = TOPICS
        .iter()
        .map(|t| format!("`help {}`", t.name))
        .collect();
    out.push_str(&topics.join(", "));
    out.push('.');
    out
}

fn command_help(spec: &CommandSpec) -> String {
    let mut out = format!("**{}**: {}\n\n`{}`\n", spec.name, spec.summary, spec.usage);
    if !spec.aliases.is_empty() {
        let _ = write!(out, "\nAlso: {}\n", aliases(spec));
    }
    out.push_str("\nFor example:\n\n");
    for example in spec.examples {
        let _ = writeln!(out, "- `{example}`");
    }
    out.trim_end().to_string()
}

fn schedule_help() -> String {
    let spec = command_named("schedule").expect("schedule is a command");
    let mut out = command_help(spec);
    out.push_str(
        "\n\nClauses come in any order, each once. The words that are none of them make the title.\n",
    );
    for topic in TOPICS {
        let _ = write!(out, "\n**{}** (`help {}`)\n", topic.title, topic.name);
        for form in topic.forms {
            let _ = writeln!(out, "- {}", form_line(form));
        }
    }
    out.trim_end().to_string()
}

fn topic_help(topic: &Topic) -> String {
    let mut out = format!("**{}**\n\n", topic.title);
    for form in topic.forms {
        let _ = writeln!(out, "- {}", form_line(form));
    }
    out.push_str("\nFor example:\n\n");
    for example in topic.examples {
        let _ = writeln!(out, "- `{example}`");
    }
    out.trim_end().to_string()
}

/// Every example the help shows, for the tests.
pub fn help_examples() -> Vec<&'static str> {
    COMMANDS
        .iter()
        .flat_map(|c| c.examples.iter().copied())
        .chain(TOPICS.iter().flat_map(|t| t.examples.iter().copied()))
        .collect()
}
