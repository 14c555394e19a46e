//! The commands other than schedule, command words, and messages with no command word.

use super::table;

#[test]
fn list() {
    table(&[
        ("list my meetings", "command=list; range=next 7 days"),
        ("list meetings today", "command=list; range=today"),
        ("upcoming next week", "command=list; range=next week"),
        ("agenda tomorrow", "command=list; range=tomorrow"),
        ("meetings this week", "command=list; range=this week"),
        ("list week", "command=list; range=this week"),
        ("list next 7 days", "command=list; range=next 7 days"),
        ("List Today.", "command=list; range=today"),
        (
            "list yesterday",
            "error=I can list today, tomorrow, this week or next week, but not \"yesterday\" (at word 2)",
        ),
    ]);
}

#[test]
fn cancel() {
    table(&[
        ("cancel #2", "command=cancel; list_index=2"),
        ("cancel meeting 3", "command=cancel; list_index=3"),
        ("delete #10", "command=cancel; list_index=10"),
        (
            "cancel 255-123-4567",
            "command=cancel; meeting_number=2551234567",
        ),
        (
            "cancel 123456789",
            "command=cancel; meeting_number=123456789",
        ),
        (
            "cancel 0",
            "error=isn't a number from your list or a Webex meeting number; word=2",
        ),
        ("cancel 12345", "error=isn't a number from your list"),
        (
            "cancel",
            "error=Which meeting? Give its number from \"list\", like \"cancel 2\".",
        ),
        (
            "cancel 2 please",
            "error=\"cancel\" takes nothing after it, but I found \"please\" (at word 3)",
        ),
        (
            "cancel the standup",
            "error=\"the\" (at word 2) isn't a number from your list",
        ),
    ]);
}

#[test]
fn reschedule() {
    table(&[
        (
            "reschedule 2 friday 10am",
            "command=reschedule; list_index=2; start=2027-03-26T10:00:00+01:00; end=null",
        ),
        (
            "reschedule 2 to tomorrow 3pm for 1h",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "reschedule #1 to 3pm",
            "list_index=1; date=null; time=15:00; end_time=null; length_minutes=null",
        ),
        (
            "move 3 to next monday 9:30",
            "start=2027-03-29T09:30:00+02:00",
        ),
        (
            "reschedule 2551 234 5678 to friday 10am PST",
            "meeting_number=25512345678; start=2027-03-26T10:00:00-07:00; timezone=America/Los_Angeles",
        ),
        (
            "reschedule 2 to in 2 hours",
            "start=2027-03-24T12:00:00+01:00",
        ),
        (
            "reschedule 2 to tomorrow",
            "list_index=2; date=2027-03-25; time=null; timezone=Europe/Berlin",
        ),
        ("reschedule 2", "error=To when?"),
        ("reschedule", "error=Which meeting?"),
        (
            "reschedule 2 to friday 10am with ana@acme.com",
            "error=Rescheduling changes only the time, so \"with ana@acme.com\" (at word 6)",
        ),
        (
            "reschedule 2 to fridya 10am",
            "error=Did you mean \"friday\"?; word=4",
        ),
        (
            "reschedule 2 to friday 10am please",
            "error=I couldn't read \"please\" (at word 6) as part of a time",
        ),
        ("reschedule 2 to today 9am", "error=already in the past"),
        (
            "reschedule 2 to tomorrow 3pm for 5 min",
            "error=at least 10 minutes",
        ),
    ]);
}

/// A reschedule says which parts were written; the bot keeps the meeting's own for the rest.
/// Now is Wednesday 24 March 2027, 10:00 in Berlin.
#[test]
fn reschedule_keeps_what_was_not_written() {
    table(&[
        // A time alone keeps the meeting's day, even when that time has passed today.
        (
            "reschedule 1 to 10am",
            "command=reschedule; list_index=1; date=null; time=10:00; end_time=null; length_minutes=null; timezone=Europe/Berlin",
        ),
        ("reschedule 1 to 9am", "date=null; time=09:00"),
        ("move 3 to 5pm", "list_index=3; date=null; time=17:00"),
        ("move 3 to 5:30pm", "date=null; time=17:30"),
        (
            "reschedule 1 to 3-4pm",
            "date=null; time=15:00; end_time=16:00; length_minutes=null",
        ),
        ("reschedule 1 to 11-1pm", "time=11:00; end_time=13:00"),
        ("reschedule 1 to 10pm-1am", "time=22:00; end_time=01:00"),
        (
            "reschedule 1 to 9:30 for 1h",
            "time=09:30; end_time=null; length_minutes=60",
        ),
        (
            "reschedule 1 to 10am PST",
            "date=null; time=10:00; timezone=America/Los_Angeles",
        ),
        (
            "reschedule 1 to 3pm-2pm",
            "error=must end after it starts; word=4",
        ),
        (
            "reschedule 1 to 3pm for 5 min",
            "error=at least 10 minutes; word=5",
        ),
        (
            "reschedule 1 to 3pm for 25 hours",
            "error=at most 23 hours 59 minutes",
        ),
        // A day alone keeps the meeting's time of day and length; a weekday counts from today,
        // as in every command (today included: the bot refuses it if the time has passed).
        (
            "reschedule 1 to friday",
            "command=reschedule; date=2027-03-26; time=null; timezone=Europe/Berlin",
        ),
        ("reschedule 1 to wednesday", "date=2027-03-24; time=null"),
        ("reschedule 1 to next wednesday", "date=2027-03-31"),
        ("move 2 to march 29", "date=2027-03-29; time=null"),
        ("move 2 to on the 2nd", "date=2027-04-02"),
        ("move 2 to next week", "date=2027-03-29"),
        ("move 2 to today", "date=2027-03-24"),
        (
            "move 2 to friday tz America/New_York",
            "date=2027-03-26; timezone=America/New_York",
        ),
        (
            "reschedule 1 to yesterday",
            "error=Tuesday 23 March 2027 (at word 4) is already in the past.",
        ),
        (
            "reschedule 1 to friday for 1h",
            "error=I need a time: \"friday\" (at word 4) says which day",
        ),
        ("reschedule 1 to for 1h", "error=When should it be?"),
        // Both written: an instant, checked like a new meeting's.
        (
            "reschedule 1 to friday 10am",
            "start=2027-03-26T10:00:00+01:00; end=null; timezone=Europe/Berlin",
        ),
        ("reschedule 1 to today 9am", "error=already in the past"),
    ]);
}

#[test]
fn tz_settings_help() {
    table(&[
        ("tz Asia/Tokyo", "command=tz; zone=Asia/Tokyo"),
        ("tz tokyo", "zone=Asia/Tokyo"),
        ("tz UTC", "zone=UTC"),
        ("tz utc+2", "zone=Etc/GMT-2"),
        ("tz PST", "zone=America/Los_Angeles"),
        ("tz UTC+5:30", "error=Webex needs a named time zone; word=2"),
        ("tz Berln", "error=Did you mean \"Berlin\"?; word=2"),
        ("tz berlin please", "error=\"tz\" takes nothing after it"),
        ("timezone", "command=tz; zone=null"),
        ("settings confirm yes", "confirm=true"),
        ("settings confirm no", "confirm=false"),
        ("SETTINGS CONFIRM ON", "confirm=true"),
        ("settings reminders 15m", "reminders=15m"),
        ("settings reminder 1 hour", "reminders=60m"),
        ("settings reminders off", "reminders=off"),
        (
            "settings reminders soon",
            "error=I know \"settings confirm on\", \"settings confirm off\", \"settings reminders 10m\" (1m to 24h) and \"settings reminders off\", but not \"reminders soon\" (at word 2)",
        ),
        (
            "settings colour blue",
            "error=I know \"settings confirm on\", \"settings confirm off\", \"settings reminders 10m\" (1m to 24h) and \"settings reminders off\", but not \"colour blue\" (at word 2)",
        ),
        ("help list", "command=help; topic=list"),
        ("help me", "command=help; topic=null"),
        ("help zones", "topic=zones"),
        ("help recurrence", "topic=repeats"),
        ("help timezone", "topic=tz"),
        ("? schedule", "topic=schedule"),
        ("help new meeting", "topic=schedule"),
    ]);
}

#[test]
fn command_words() {
    table(&[
        ("schedule", "command=form"),
        ("book", "command=form"),
        (
            "Schedule: sync tomorrow 3pm",
            "command=schedule; title=Sync",
        ),
        (
            "new hire onboarding tomorrow 10am",
            "command=schedule; title=New hire onboarding",
        ),
        (
            "form please",
            "error=\"form\" takes nothing after it, but I found \"please\" (at word 2)",
        ),
        ("connect now", "error=\"connect\" takes nothing after it"),
        (
            "disconnect please",
            "error=\"disconnect\" takes nothing after it",
        ),
        ("", "command=none"),
        ("   ", "command=none"),
        (".", "command=none"),
        ("thanks!", "command=thanks"),
        ("hello @everyone, ana@acme.com", "command=none"),
        ("agenda: discuss the budget", "command=none"),
        (
            "schedul sync tomorrow 3pm",
            "error=I couldn't read \"schedul\" (at word 1). Did you mean \"schedule\"?",
        ),
        ("cancle 2", "error=Did you mean \"cancel\"?; word=1"),
        ("setings confirm off", "error=Did you mean \"settings\"?"),
        (
            "Setting goals tomorrow 3pm",
            "command=schedule; title=Setting goals",
        ),
        (
            "Incoming calls review friday 3pm",
            "title=Incoming calls review",
        ),
    ]);
}

#[test]
fn a_meeting_says_its_own_reminder_or_none_and_a_wrong_one_is_refused() {
    table(&[
        (
            "schedule review tomorrow 9am remind 15m before",
            "reminder=15m",
        ),
        (
            "review tomorrow 9am remind me 1 hour before",
            "reminder=60m",
        ),
        ("schedule review tomorrow 9am, no reminder", "reminder=off"),
        ("schedule review tomorrow 9am No Reminders.", "reminder=off"),
        // "remind" and "no" stay title words when no reminder follows them.
        (
            "schedule remind team no-show tomorrow 9am",
            "title=Remind team no-show",
        ),
        (
            "schedule review tomorrow 9am remind 3 days before",
            "error=How long before should I remind you (at word 5)?",
        ),
        (
            "schedule review tomorrow 9am remind 15m",
            "error=How long before",
        ),
        (
            "schedule review tomorrow 9am remind 0m before",
            "error=How long before",
        ),
        (
            "schedule review tomorrow 9am remind 5m before remind 10m before",
            "error=",
        ),
        ("reschedule 2 to 10am remind 5m before", "error="),
    ]);
}
