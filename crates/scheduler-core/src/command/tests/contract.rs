//! Every example on the contract page (docs/command-language.md), in its order.
//! Now is Wednesday 24 March 2027, 10:00 in Berlin (CET, four days before CEST).

use super::{BERLIN, NOW, check_at, table, table_at};
use crate::command::{Context, json, parse};

#[test]
fn commands() {
    table(&[
        (
            "schedule sync tomorrow 3pm",
            "command=schedule; title=Sync; start=2027-03-25T15:00:00+01:00; end=2027-03-25T15:30:00+01:00",
        ),
        (
            "book sync tomorrow 3pm",
            "command=schedule; title=Sync; start=2027-03-25T15:00:00+01:00",
        ),
        ("meet sync tomorrow 3pm", "command=schedule; title=Sync"),
        ("create sync tomorrow 3pm", "command=schedule; title=Sync"),
        (
            "new meeting sync tomorrow 3pm",
            "command=schedule; title=Sync",
        ),
        ("form", "command=form"),
        ("new", "command=form"),
        ("card", "command=form"),
        ("list", "command=list; range=next 7 days"),
        ("list today", "command=list; range=today"),
        ("list tomorrow", "command=list; range=tomorrow"),
        ("list this week", "command=list; range=this week"),
        ("list next week", "command=list; range=next week"),
        ("upcoming", "command=list; range=next 7 days"),
        ("meetings", "command=list; range=next 7 days"),
        ("agenda", "command=list; range=next 7 days"),
        ("cancel 2", "command=cancel; list_index=2"),
        ("delete 2", "command=cancel; list_index=2"),
        (
            "cancel 2551 234 5678",
            "command=cancel; meeting_number=25512345678",
        ),
        (
            "reschedule 2 to friday 10am",
            "command=reschedule; list_index=2; start=2027-03-26T10:00:00+01:00; end=null",
        ),
        (
            "move 2 to friday 10-11am",
            "command=reschedule; start=2027-03-26T10:00:00+01:00; end=2027-03-26T11:00:00+01:00",
        ),
        ("tz", "command=tz; zone=null"),
        ("tz Europe/Berlin", "command=tz; zone=Europe/Berlin"),
        ("timezone new york", "command=tz; zone=America/New_York"),
        ("connect", "command=connect"),
        ("login", "command=connect"),
        ("disconnect", "command=disconnect"),
        ("logout", "command=disconnect"),
        ("settings", "command=settings; change=null"),
        ("settings confirm on", "command=settings; confirm=true"),
        ("settings confirm off", "command=settings; confirm=false"),
        ("help", "command=help; topic=null"),
        ("help schedule", "command=help; topic=schedule"),
        ("help book", "command=help; topic=schedule"),
        ("?", "command=help; topic=null"),
        // No command word: a hint, unless the words say when.
        ("hello there", "command=none"),
        (
            "design review tomorrow 3pm",
            "command=schedule; title=Design review",
        ),
        // Questions, requests the bot cannot do, and thanks.
        ("what's on tomorrow", "command=question; range=tomorrow"),
        ("what do I have today", "command=question; range=today"),
        ("am I free friday", "command=question; range=this week"),
        (
            "do I have meetings next week",
            "command=question; range=next week",
        ),
        ("show my meetings", "command=question; range=next 7 days"),
        (
            "when is my next meeting",
            "command=question; range=next 7 days",
        ),
        (
            "remind me 10 minutes before",
            "command=unsupported; request=reminder",
        ),
        (
            "find a time with ana next week",
            "command=unsupported; request=find a time",
        ),
        (
            "when is everyone free",
            "command=unsupported; request=find a time",
        ),
        ("book a room", "command=unsupported; request=room"),
        (
            "accept the invitation",
            "command=unsupported; request=respond",
        ),
        ("join my next meeting", "command=unsupported; request=join"),
        ("thanks", "command=thanks"),
        ("thank you", "command=thanks"),
        ("ty", "command=thanks"),
        ("cheers", "command=thanks"),
        ("many thanks", "command=thanks"),
        ("ok great, thanks for the help", "command=thanks"),
    ]);
}

#[test]
fn addressing() {
    table(&[
        (
            "SCHEDULE Sync TOMORROW 3PM",
            "title=Sync; start=2027-03-25T15:00:00+01:00",
        ),
        (
            "schedule   sync   tomorrow    3pm.",
            "title=Sync; start=2027-03-25T15:00:00+01:00",
        ),
        (
            "schedule \u{201C}Design review\u{201D} tomorrow 3pm",
            "title=Design review",
        ),
    ]);
}

#[test]
fn titles() {
    table(&[
        ("schedule tomorrow 3pm design review", "title=Design review"),
        ("schedule design 3pm tomorrow review", "title=Design review"),
        ("schedule \"Budget\" tomorrow planning 3pm", "title=Budget"),
        (
            "schedule the design review tomorrow 3pm",
            "title=Design review",
        ),
        ("schedule a sync tomorrow 3pm", "title=Sync"),
        ("schedule an offsite tomorrow 3pm", "title=Offsite"),
        ("schedule tomorrow 3pm", "title=Webex meeting"),
    ]);
}

#[test]
fn dates() {
    table(&[
        ("sync today 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync tomorrow 3pm", "start=2027-03-25T15:00:00+01:00"),
        (
            "sync day after tomorrow 3pm",
            "start=2027-03-26T15:00:00+01:00",
        ),
        ("sync monday 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync tuesday 3pm", "start=2027-03-30T15:00:00+02:00"),
        ("sync wednesday 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync thursday 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync friday 3pm", "start=2027-03-26T15:00:00+01:00"),
        ("sync saturday 3pm", "start=2027-03-27T15:00:00+01:00"),
        ("sync sunday 3pm", "start=2027-03-28T15:00:00+02:00"),
        ("sync mon 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync tue 3pm", "start=2027-03-30T15:00:00+02:00"),
        ("sync tues 3pm", "start=2027-03-30T15:00:00+02:00"),
        ("sync wed 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync thu 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync thur 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync thurs 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync fri 3pm", "start=2027-03-26T15:00:00+01:00"),
        ("sync sat 3pm", "start=2027-03-27T15:00:00+01:00"),
        ("sync sun 3pm", "start=2027-03-28T15:00:00+02:00"),
        ("sync this friday 3pm", "start=2027-03-26T15:00:00+01:00"),
        ("sync next friday 3pm", "start=2027-03-26T15:00:00+01:00"),
        ("sync next wednesday 3pm", "start=2027-03-31T15:00:00+02:00"),
        ("sync march 29 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync march 29, 2027 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync mar 29 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync 29 march 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync 29 march 2028 3pm", "start=2028-03-29T15:00:00+02:00"),
        (
            "sync the 29th of march 3pm",
            "start=2027-03-29T15:00:00+02:00",
        ),
        ("sync april 1st 3pm", "start=2027-04-01T15:00:00+02:00"),
        ("sync april 2nd 3pm", "start=2027-04-02T15:00:00+02:00"),
        ("sync april 3rd 3pm", "start=2027-04-03T15:00:00+02:00"),
        ("sync april 4th 3pm", "start=2027-04-04T15:00:00+02:00"),
        ("sync 2027-04-01 3pm", "start=2027-04-01T15:00:00+02:00"),
        ("sync on the 15th 3pm", "start=2027-04-15T15:00:00+02:00"),
        ("sync on the 25th 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync in 3 days 3pm", "start=2027-03-27T15:00:00+01:00"),
        ("sync in 2 weeks 3pm", "start=2027-04-07T15:00:00+02:00"),
        ("sync next week 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync on friday 3pm", "start=2027-03-26T15:00:00+01:00"),
        ("sync on march 29 3pm", "start=2027-03-29T15:00:00+02:00"),
    ]);
}

#[test]
fn times() {
    table(&[
        ("sync tomorrow 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 3 pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 3:30pm", "start=2027-03-25T15:30:00+01:00"),
        ("sync tomorrow 3.30pm", "start=2027-03-25T15:30:00+01:00"),
        ("sync tomorrow 15:00", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 15h", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 15h30", "start=2027-03-25T15:30:00+01:00"),
        ("sync tomorrow noon", "start=2027-03-25T12:00:00+01:00"),
        ("sync tomorrow midnight", "start=2027-03-25T00:00:00+01:00"),
        ("sync tomorrow at 1", "start=2027-03-25T13:00:00+01:00"),
        ("sync tomorrow at 3", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow at 6", "start=2027-03-25T18:00:00+01:00"),
        ("sync tomorrow at 7", "start=2027-03-25T07:00:00+01:00"),
        ("sync tomorrow at 11", "start=2027-03-25T11:00:00+01:00"),
        ("sync tomorrow at 12", "start=2027-03-25T12:00:00+01:00"),
        ("sync tomorrow 3", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 9:30", "start=2027-03-25T09:30:00+01:00"),
        ("sync tomorrow 07:30", "start=2027-03-25T07:30:00+01:00"),
        ("sync tomorrow 05:00", "start=2027-03-25T05:00:00+01:00"),
        ("sync tomorrow at 13", "start=2027-03-25T13:00:00+01:00"),
        ("sync tomorrow at 0", "start=2027-03-25T00:00:00+01:00"),
        (
            "sync now",
            "start=2027-03-24T10:00:00+01:00; end=2027-03-24T10:30:00+01:00",
        ),
        ("sync in 10 minutes", "start=2027-03-24T10:10:00+01:00"),
        ("sync in 2 hours", "start=2027-03-24T12:00:00+01:00"),
        ("sync in an hour", "start=2027-03-24T11:00:00+01:00"),
        ("sync in half an hour", "start=2027-03-24T10:30:00+01:00"),
    ]);
    // Seconds dropped.
    table_at(
        "2027-03-24T09:00:42Z",
        BERLIN,
        &[
            ("sync now", "start=2027-03-24T10:00:00+01:00"),
            ("sync in 10 minutes", "start=2027-03-24T10:10:00+01:00"),
        ],
    );
}

#[test]
fn ranges_durations_and_ends() {
    table(&[
        (
            "sync tomorrow 3pm - 4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm to 4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow from 3pm to 4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow from 3 until 4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow between 3 and 4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm\u{2013}4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm\u{2014}4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3-4pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 11-1pm",
            "start=2027-03-25T11:00:00+01:00; end=2027-03-25T13:00:00+01:00",
        ),
        ("sync tomorrow 3pm for 45m", "end=2027-03-25T15:45:00+01:00"),
        (
            "sync tomorrow 3pm for 45 min",
            "end=2027-03-25T15:45:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 45 minutes",
            "end=2027-03-25T15:45:00+01:00",
        ),
        ("sync tomorrow 3pm for 1h", "end=2027-03-25T16:00:00+01:00"),
        (
            "sync tomorrow 3pm for 1h30",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 1h30m",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 1.5 hours",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 90 minutes",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for an hour",
            "end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm for half an hour",
            "end=2027-03-25T15:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 2 hours",
            "end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm until 5pm",
            "end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm till 5pm",
            "end=2027-03-25T17:00:00+01:00",
        ),
        ("sync tomorrow 3pm", "end=2027-03-25T15:30:00+01:00"),
    ]);
}

#[test]
fn time_zones() {
    table(&[
        (
            "sync tomorrow 3pm tz America/Chicago",
            "start=2027-03-25T15:00:00-05:00; timezone=America/Chicago",
        ),
        (
            "sync tomorrow 3pm in Tokyo",
            "start=2027-03-25T15:00:00+09:00; timezone=Asia/Tokyo",
        ),
        (
            "sync tomorrow 3pm PST",
            "start=2027-03-25T15:00:00-07:00; timezone=America/Los_Angeles",
        ),
        (
            "sync tomorrow 15:00 Europe/Paris",
            "start=2027-03-25T15:00:00+01:00; timezone=Europe/Paris",
        ),
        ("sync tomorrow 3pm europe/berlin", "timezone=Europe/Berlin"),
        ("sync tomorrow 3pm Berlin", "timezone=Europe/Berlin"),
        (
            "sync tomorrow 3pm New York",
            "start=2027-03-25T15:00:00-04:00; timezone=America/New_York",
        ),
        (
            "sync tomorrow 3pm new york time",
            "timezone=America/New_York",
        ),
        ("sync tomorrow 3pm Tokyo", "timezone=Asia/Tokyo"),
        (
            "sync tomorrow 3pm Sao Paulo",
            "start=2027-03-25T15:00:00-03:00; timezone=America/Sao_Paulo",
        ),
        (
            "sync tomorrow 3pm UTC",
            "start=2027-03-25T15:00:00+00:00; timezone=UTC",
        ),
        ("sync tomorrow 3pm GMT", "timezone=UTC"),
        ("sync tomorrow 3pm Z", "timezone=UTC"),
        ("sync tomorrow 3pm ET", "timezone=America/New_York"),
        ("sync tomorrow 3pm EST", "timezone=America/New_York"),
        ("sync tomorrow 3pm EDT", "timezone=America/New_York"),
        ("sync tomorrow 3pm CT", "timezone=America/Chicago"),
        ("sync tomorrow 3pm CST", "timezone=America/Chicago"),
        ("sync tomorrow 3pm CDT", "timezone=America/Chicago"),
        ("sync tomorrow 3pm MT", "timezone=America/Denver"),
        ("sync tomorrow 3pm MST", "timezone=America/Denver"),
        ("sync tomorrow 3pm MDT", "timezone=America/Denver"),
        ("sync tomorrow 3pm PT", "timezone=America/Los_Angeles"),
        ("sync tomorrow 3pm PDT", "timezone=America/Los_Angeles"),
        ("sync tomorrow 3pm BST", "timezone=Europe/London"),
        ("sync tomorrow 3pm CET", "timezone=Europe/Berlin"),
        ("sync tomorrow 3pm CEST", "timezone=Europe/Berlin"),
        ("sync tomorrow 3pm EET", "timezone=Europe/Athens"),
        ("sync tomorrow 3pm EEST", "timezone=Europe/Athens"),
        ("sync tomorrow 3pm WET", "timezone=Europe/Lisbon"),
        ("sync tomorrow 3pm WEST", "timezone=Europe/Lisbon"),
        (
            "sync tomorrow 3pm IST",
            "start=2027-03-25T15:00:00+05:30; timezone=Asia/Kolkata",
        ),
        ("sync tomorrow 3pm JST", "timezone=Asia/Tokyo"),
        ("sync tomorrow 3pm KST", "timezone=Asia/Seoul"),
        ("sync tomorrow 3pm SGT", "timezone=Asia/Singapore"),
        ("sync tomorrow 3pm HKT", "timezone=Asia/Hong_Kong"),
        (
            "sync tomorrow 3pm AEST",
            "start=2027-03-25T15:00:00+11:00; timezone=Australia/Sydney",
        ),
        ("sync tomorrow 3pm AEDT", "timezone=Australia/Sydney"),
        (
            "sync tomorrow 3pm UTC+2",
            "start=2027-03-25T15:00:00+02:00; timezone=Etc/GMT-2",
        ),
        (
            "sync tomorrow 3pm GMT-5",
            "start=2027-03-25T15:00:00-05:00; timezone=Etc/GMT+5",
        ),
        (
            "sync tomorrow 3pm UTC+05:30",
            "error=Webex needs a named time zone; word=4",
        ),
        // No zone: the zone in force.
        ("sync tomorrow 3pm", "timezone=Europe/Berlin"),
    ]);
    // Calendar words count days in the meeting's zone: at 00:30 on Thursday in Berlin it is
    // still Wednesday afternoon in Los Angeles.
    table_at(
        "2027-03-24T23:30:00Z",
        BERLIN,
        &[
            ("sync tomorrow 3pm", "start=2027-03-26T15:00:00+01:00"),
            ("sync tomorrow 3pm PST", "start=2027-03-25T15:00:00-07:00"),
        ],
    );
}

#[test]
fn recurrence_table() {
    table(&[
        (
            "standup daily 9am",
            "start=2027-03-25T09:00:00+01:00; recurrence=FREQ=DAILY",
        ),
        ("standup every day 9am", "recurrence=FREQ=DAILY"),
        (
            "standup every weekday 9am",
            "start=2027-03-25T09:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "standup weekdays 9am",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "sync weekly 3pm",
            "start=2027-03-24T15:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=WE",
        ),
        ("sync every week 3pm", "recurrence=FREQ=WEEKLY;BYDAY=WE"),
        (
            "sync every monday 3pm",
            "start=2027-03-29T15:00:00+02:00; recurrence=FREQ=WEEKLY;BYDAY=MO",
        ),
        (
            "sync every mon and wed 3pm",
            "start=2027-03-24T15:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,WE",
        ),
        ("sync mondays 3pm", "recurrence=FREQ=WEEKLY;BYDAY=MO"),
        (
            "sync on mondays and thursdays 3pm",
            "start=2027-03-25T15:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,TH",
        ),
        (
            "sync every other week 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync biweekly 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync fortnightly 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync every 2 weeks 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync every other monday 3pm",
            "start=2027-03-29T15:00:00+02:00; recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
        ("sync every 3 days 3pm", "recurrence=FREQ=DAILY;INTERVAL=3"),
        (
            "sync every other day 3pm",
            "recurrence=FREQ=DAILY;INTERVAL=2",
        ),
        (
            "sync monthly 3pm",
            "start=2027-03-24T15:00:00+01:00; recurrence=FREQ=MONTHLY;BYMONTHDAY=24",
        ),
        (
            "sync every month 3pm",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=24",
        ),
        (
            "sync every month on the 15th 3pm",
            "start=2027-04-15T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync monthly on the 15th 3pm",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync every first monday 3pm",
            "start=2027-04-05T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYDAY=1MO",
        ),
        (
            "sync first monday of every month 3pm",
            "start=2027-04-05T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYDAY=1MO",
        ),
        (
            "sync the second tuesday of each month 3pm",
            "start=2027-04-13T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYDAY=2TU",
        ),
        (
            "sync the third thursday of every month 3pm",
            "start=2027-04-15T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYDAY=3TH",
        ),
        (
            "sync the fourth friday of every month 3pm",
            "start=2027-03-26T15:00:00+01:00; recurrence=FREQ=MONTHLY;BYDAY=4FR",
        ),
        (
            "sync every last friday 3pm",
            "start=2027-03-26T15:00:00+01:00; recurrence=FREQ=MONTHLY;BYDAY=-1FR",
        ),
        (
            "sync every 2 months 3pm",
            "recurrence=FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=24",
        ),
    ]);
}

#[test]
fn recurrence_ends() {
    table(&[
        (
            "sync weekly 3pm until june 30",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630T215959Z",
        ),
        (
            "sync weekly 3pm for 4 weeks",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        ),
        (
            "sync daily 9am for 10 days",
            "recurrence=FREQ=DAILY;COUNT=10",
        ),
        (
            "sync monthly 3pm for 6 months",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=24;COUNT=6",
        ),
        (
            "sync weekly 3pm 4 times",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        ),
        (
            "sync weekly 3pm x4",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        ),
        (
            "sync weekly 3pm for 4 occurrences",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        ),
        ("sync weekly 3pm", "recurrence=FREQ=WEEKLY;BYDAY=WE"),
        // Weekdays named, no date: the first such day still ahead, today included.
        (
            "sync every wednesday 3pm",
            "start=2027-03-24T15:00:00+01:00",
        ),
        (
            "sync every wednesday 9am",
            "start=2027-03-31T09:00:00+02:00",
        ),
        // A date that is not one of the rule's days is refused.
        (
            "sync every monday tomorrow 3pm",
            "error=isn't one of the series' days; word=4",
        ),
        // Webex's limits.
        (
            "sync daily 9am 1826 times",
            "recurrence=FREQ=DAILY;COUNT=1826",
        ),
        (
            "sync daily 9am 1827 times",
            "error=at most 1826 daily occurrences",
        ),
        (
            "sync weekly 3pm 262 times",
            "error=at most 261 weekly occurrences",
        ),
        (
            "sync monthly 3pm 61 times",
            "error=at most 60 monthly occurrences",
        ),
        (
            "sync yearly 3pm 6 times",
            "error=at most 5 yearly occurrences",
        ),
        (
            "sync weekly 3pm until 2032-03-22",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20320322T225959Z",
        ),
        (
            "sync weekly 3pm until 2032-04-01",
            "error=at most 5 years from now",
        ),
        (
            "sync every weekday 9am until 2028-06-01",
            "error=at most 261 weekly occurrences",
        ),
        (
            "sync every month on the 1st and 15th 3pm",
            "error=one day only",
        ),
    ]);
}

#[test]
fn people() {
    table(&[
        (
            "sync tomorrow 3pm with ana@acme.com, bob@acme.com and carol@acme.com",
            "invitees=ana@acme.com, bob@acme.com, carol@acme.com",
        ),
        (
            "sync tomorrow 3pm invite ana@acme.com",
            "invitees=ana@acme.com",
        ),
        (
            "sync tomorrow 3pm cohost bob@acme.com",
            "invitees=bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm co-host bob@acme.com",
            "invitees=bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm cohosts bob@acme.com and ana@acme.com",
            "invitees=bob@acme.com*, ana@acme.com*",
        ),
        (
            "sync tomorrow 3pm co-hosts bob@acme.com",
            "invitees=bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com bob@acme.com as cohost",
            "invitees=ana@acme.com, bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm with Ana Lopez",
            "invitees=P-ANA; title=Sync",
        ),
        ("sync tomorrow 3pm with everyone", "invitees=everyone"),
        (
            "sync tomorrow 3pm with ana@acme.com cohost ANA@acme.com",
            "invitees=ana@acme.com*",
        ),
    ]);
}

/// A name without an address, in a message that mentions nobody (the table's messages mention
/// a "Bob").
#[test]
fn people_named_without_an_address() {
    let ctx = Context::new(super::now(NOW), BERLIN);
    let cases = [
        (
            "lunch with bob friday noon",
            r#""title":"Lunch with bob""#,
            r#""invitees":[{"name":"bob","cohost":false}]"#,
        ),
        (
            "lunch with Bob Smith friday noon",
            r#""title":"Lunch with Bob Smith""#,
            r#""invitees":[{"name":"Bob Smith","cohost":false}]"#,
        ),
        (
            "lunch with bob smith friday noon",
            r#""title":"Lunch with bob smith""#,
            r#""invitees":[{"name":"bob","cohost":false}]"#,
        ),
        (
            "lunch with the team friday noon",
            r#""title":"Lunch with the team""#,
            r#""invitees":[]"#,
        ),
        (
            "sync friday noon with ana@acme.com and bob",
            r#""title":"Sync""#,
            r#""invitees":[{"email":"ana@acme.com","cohost":false},{"name":"bob","cohost":false}]"#,
        ),
        (
            "sync with ana@acme.com, design review friday noon",
            r#""title":"Sync design review""#,
            r#""invitees":[{"email":"ana@acme.com","cohost":false}]"#,
        ),
        (
            "lunch with bob and ana@acme.com friday noon",
            r#""title":"Lunch with bob""#,
            r#""invitees":[{"email":"ana@acme.com","cohost":false},{"name":"bob","cohost":false}]"#,
        ),
    ];
    for (text, title, invitees) in cases {
        let out = json::to_json(&parse(text, &ctx));
        assert!(
            out.contains(title) && out.contains(invitees),
            "{text}: {out}"
        );
    }
}

#[test]
fn options() {
    table(&[
        ("sync tomorrow 3pm password Blue42sky", "password=Blue42sky"),
        ("sync tomorrow 3pm passcode Blue42sky", "password=Blue42sky"),
        ("sync tomorrow 3pm pw Blue42sky", "password=Blue42sky"),
        (
            "sync tomorrow 3pm agenda \"budget, then hiring\"",
            "agenda=budget, then hiring; title=Sync",
        ),
        (
            "sync tomorrow 3pm agenda: budget, then hiring on friday",
            "agenda=budget, then hiring on friday",
        ),
    ]);
}

#[test]
fn resolution_rules() {
    table(&[
        ("sync wednesday 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync wednesday 9am", "start=2027-03-31T09:00:00+02:00"),
        ("sync this wednesday 9am", "start=2027-03-31T09:00:00+02:00"),
        ("sync next wednesday 3pm", "start=2027-03-31T15:00:00+02:00"),
        ("sync 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync 9am", "start=2027-03-25T09:00:00+01:00"),
        ("sync tomorrow", "error=I need a time; word=2"),
        ("sync march 24 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync march 23 3pm", "start=2028-03-23T15:00:00+01:00"),
        ("sync today 9am", "error=already in the past; word=3"),
        ("sync tomorrow 3pm-2pm", "error=must end after it starts"),
        (
            "sync tomorrow 3pm for 5 minutes",
            "error=at least 10 minutes",
        ),
        (
            "sync tomorrow 3pm for 10 minutes",
            "end=2027-03-25T15:10:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 25 hours",
            "error=at most 23 hours 59 minutes",
        ),
        (
            "sync tomorrow 3pm for 24 hours",
            "error=at most 23 hours 59 minutes",
        ),
        (
            "sync march 28 2:30am",
            "error=doesn't exist in Europe/Berlin (at word 4): the clocks jump from 02:00 to 03:00; word=4",
        ),
        ("sync october 31 2:30am", "start=2027-10-31T02:30:00+02:00"),
    ]);
}

#[test]
fn errors() {
    table(&[
        (
            "schedule sync tomorow 3pm",
            "error=I couldn't read \"tomorow\" (at word 3). Did you mean \"tomorrow\"?",
        ),
        (
            "schedule sync wendesday 3pm",
            "error=Did you mean \"wednesday\"?; word=3",
        ),
        (
            "schedule sync wekly 3pm",
            "error=Did you mean \"weekly\"?; word=3",
        ),
        ("schedule sync tmw 3pm", "title=Sync tmw"),
    ]);
    let ctx = Context::new(super::now(NOW), BERLIN);
    let refusal = parse("schedule sync tomorow 3pm", &ctx).unwrap_err();
    assert_eq!(refusal.offset, Some(14));
    assert_eq!(
        refusal.message,
        "I couldn't read \"tomorow\" (at word 3). Did you mean \"tomorrow\"?"
    );
}

#[test]
fn the_parse_tools_json_example() {
    let ctx = Context::new(super::now(NOW), BERLIN);
    let result = parse(
        "design review monday 3-4pm weekly 4 times tz Europe/Berlin with ana@example.com",
        &ctx,
    );
    assert_eq!(
        json::to_json(&result),
        concat!(
            r#"{"command":"schedule","meeting":{"title":"Design review","#,
            r#""start":"2027-03-29T15:00:00+02:00","end":"2027-03-29T16:00:00+02:00","#,
            r#""timezone":"Europe/Berlin","recurrence":"FREQ=WEEKLY;BYDAY=MO;COUNT=4","#,
            r#""invitees":[{"email":"ana@example.com","cohost":false}],"password":null,"agenda":null}}"#
        )
    );
    let refusal = parse("sync tomorow 3pm", &ctx);
    assert_eq!(
        json::to_json(&refusal),
        r#"{"error":{"message":"I couldn't read \"tomorow\" (at word 2). Did you mean \"tomorrow\"?","offset":5}}"#
    );
    assert!(check_at(NOW, BERLIN, "design review next tue 3-4pm every other week with ana@acme.com cohost bob@acme.com",
        "title=Design review; start=2027-03-30T15:00:00+02:00; end=2027-03-30T16:00:00+02:00; recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=TU; invitees=ana@acme.com, bob@acme.com*").is_ok());
}
