//! Times as people say them (issue 13): parts of the day, clock phrases, numbers in words,
//! ranges in every shape, zone words, repeats and offsets as people write them.
//! Now is Wednesday 24 March 2027, 10:00 in Berlin (CET; CEST from Sunday 28 March).

use super::{table, table_at};
use chrono_tz::{America, Australia};

#[test]
fn parts_of_the_day() {
    table(&[
        (
            "dinner tonight at 8",
            "title=Dinner; start=2027-03-24T20:00:00+01:00",
        ),
        (
            "call this evening 7-8",
            "start=2027-03-24T19:00:00+01:00; end=2027-03-24T20:00:00+01:00",
        ),
        (
            "review friday afternoon at 3",
            "start=2027-03-26T15:00:00+01:00",
        ),
        (
            "standup tomorrow morning 9:30",
            "title=Standup; start=2027-03-25T09:30:00+01:00",
        ),
        // The part of the day beats the rule that a bare 1-6 is afternoon.
        (
            "gym monday morning 6-8",
            "start=2027-03-29T06:00:00+02:00; end=2027-03-29T08:00:00+02:00",
        ),
        (
            "sync at 8 in the evening tomorrow",
            "start=2027-03-25T20:00:00+01:00",
        ),
        ("sync tomorrow at noon", "start=2027-03-25T12:00:00+01:00"),
        ("deploy friday midnight", "start=2027-03-26T00:00:00+01:00"),
        (
            "late evening call friday at 10",
            "title=Call; start=2027-03-26T22:00:00+01:00",
        ),
        (
            "ops check tomorrow at 2 at night",
            "start=2027-03-25T02:00:00+01:00",
        ),
        // A part of the day in a title only has to agree with the time.
        (
            "morning standup tomorrow 9",
            "title=Morning standup; start=2027-03-25T09:00:00+01:00",
        ),
        (
            "game night friday 7pm",
            "title=Game night; start=2027-03-26T19:00:00+01:00",
        ),
        // Without a time, or against it: refused, naming the word.
        (
            "planning tomorrow afternoon",
            "error=I need a time: \"tomorrow afternoon\"; word=3",
        ),
        (
            "sync tomorrow morning 3pm",
            "error=\"morning\" (at word 3) says the morning, but the time I read is 15:00",
        ),
        (
            "evening drinks tomorrow 8",
            "error=\"evening\" (at word 1) says the evening; word=1",
        ),
        ("sync tomorrow tonight at 8", "error=two dates; word=3"),
    ]);
}

#[test]
fn clock_phrases_and_short_forms() {
    let at = |time: &str| format!("start=2027-03-25T{time}:00+01:00");
    let cases: Vec<(String, String)> = [
        ("sync tomorrow half past 7", "07:30"),
        ("sync tomorrow at quarter to 4", "15:45"),
        ("sync tomorrow quarter past 10", "10:15"),
        ("sync tomorrow 10 past 9", "09:10"),
        ("sync tomorrow twenty to six", "17:40"),
        ("sync tomorrow quarter to 7", "06:45"),
        ("sync tomorrow half 8", "08:30"),
        ("sync tomorrow at 8 o'clock", "08:00"),
        ("sync tomorrow 7p", "19:00"),
        ("sync tomorrow 9a", "09:00"),
        ("sync tomorrow 8:45a.", "08:45"),
        ("sync tomorrow 3pm-ish", "15:00"),
        ("sync tomorrow around 3", "15:00"),
        ("sync tomorrow about 10am", "10:00"),
        ("sync tomorrow 0730-0930", "07:30"),
        ("sync tomorrow 1430", "14:30"),
        ("sync tomorrow at seven", "07:00"),
        ("sync tomorrow seven thirty", "07:30"),
        ("sync tomorrow at eight forty", "08:40"),
        ("sync tomorrow at seven pm", "19:00"),
        ("sync tomorrow at nine oh five", "09:05"),
    ]
    .iter()
    .map(|(text, time)| (text.to_string(), at(time)))
    .collect();
    let cases: Vec<(&str, &str)> = cases
        .iter()
        .map(|(t, e)| (t.as_str(), e.as_str()))
        .collect();
    table(&cases);
    table(&[
        ("sync tomorrow 0730-0930", "end=2027-03-25T09:30:00+01:00"),
        (
            "sync tomorrow 3pm for forty five minutes",
            "end=2027-03-25T15:45:00+01:00",
        ),
        ("sync in two hours", "start=2027-03-24T12:00:00+01:00"),
        // Numbers in words and four-digit times left beside another time are refused.
        (
            "seven habits tomorrow 3pm",
            "error=\"seven\" (at word 1) means here; word=1",
        ),
        ("budget 2027 tomorrow 3pm", "title=Budget 2027"),
        (
            "top 5 at 3 tomorrow",
            "title=Top 5; start=2027-03-25T15:00:00+01:00",
        ),
    ]);
}

#[test]
fn ranges_in_every_shape() {
    table(&[
        (
            "sync tomorrow at 2:00 - 2:30 pm",
            "start=2027-03-25T14:00:00+01:00; end=2027-03-25T14:30:00+01:00",
        ),
        (
            "sync tomorrow from 3 in the morning until 5pm",
            "start=2027-03-25T03:00:00+01:00; end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow between 2 and 4",
            "start=2027-03-25T14:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 7:00 to 8:00pm",
            "start=2027-03-25T19:00:00+01:00; end=2027-03-25T20:00:00+01:00",
        ),
        // A bare end before its start is the next such hour: never 12 hours, never negative.
        (
            "sync tomorrow 10-1",
            "start=2027-03-25T10:00:00+01:00; end=2027-03-25T13:00:00+01:00",
        ),
        (
            "sync tomorrow 11-2",
            "start=2027-03-25T11:00:00+01:00; end=2027-03-25T14:00:00+01:00",
        ),
        // One-on-ones are titles.
        (
            "1-1 with ana@acme.com tomorrow 3pm",
            "title=1-1; start=2027-03-25T15:00:00+01:00; invitees=ana@acme.com",
        ),
        ("1:1 tomorrow 3pm", "title=1:1"),
        ("one on one tomorrow 3pm", "title=One on one"),
        ("1-on-1 tomorrow at 3pm", "title=1-on-1"),
        ("1-1 tomorrow", "error=I need a time"),
    ]);
}

#[test]
fn zone_words() {
    table(&[
        (
            "sync tomorrow 3pm pacific",
            "start=2027-03-25T15:00:00-07:00; timezone=America/Los_Angeles",
        ),
        (
            "sync tomorrow 3pm pacific time",
            "timezone=America/Los_Angeles",
        ),
        (
            "sync pacific time tomorrow 3pm",
            "title=Sync; timezone=America/Los_Angeles",
        ),
        ("sync tomorrow 3pm PT", "timezone=America/Los_Angeles"),
        (
            "PT sync tomorrow 3pm",
            "title=Sync; timezone=America/Los_Angeles",
        ),
        (
            "sync tomorrow 3pm eastern",
            "start=2027-03-25T15:00:00-04:00; timezone=America/New_York",
        ),
        ("sync tomorrow 3pm central", "timezone=America/Chicago"),
        ("sync tomorrow 3pm mountain", "timezone=America/Denver"),
        ("sync tomorrow 3pm ET", "timezone=America/New_York"),
        (
            "sync tomorrow 9am India time",
            "start=2027-03-25T09:00:00+05:30; timezone=Asia/Kolkata",
        ),
        (
            "sync tomorrow 3pm AEST",
            "start=2027-03-25T15:00:00+11:00; timezone=Australia/Sydney",
        ),
        (
            "sync tomorrow 3pm ACDT",
            "start=2027-03-25T15:00:00+10:30; timezone=Australia/Adelaide",
        ),
        ("sync tomorrow 3pm GMT", "timezone=UTC"),
        (
            "sync tomorrow 3pm BST",
            "start=2027-03-25T15:00:00+00:00; timezone=Europe/London",
        ),
        // PST in summer is the person's slip: the zone in force that day is used.
        (
            "sync tomorrow 3pm PST",
            "start=2027-03-25T15:00:00-07:00; timezone=America/Los_Angeles",
        ),
        ("sync tomorrow 3pm berlin time", "timezone=Europe/Berlin"),
        // A zone word that is not beside a time nor followed by "time" is not guessed.
        (
            "central planning tomorrow 3pm",
            "error=\"central\" (at word 1) means here: it looks like a time zone; word=1",
        ),
    ]);
    // Both sides of UTC, on both DST edges.
    table_at(
        "2027-11-06T12:00:00Z",
        America::New_York,
        &[(
            "sync tomorrow 3pm pacific",
            "start=2027-11-07T15:00:00-08:00; timezone=America/Los_Angeles",
        )],
    );
    table_at(
        "2027-04-02T00:00:00Z",
        Australia::Sydney,
        &[(
            "sync monday 9am AEDT",
            "start=2027-04-05T09:00:00+10:00; timezone=Australia/Sydney",
        )],
    );
}

#[test]
fn repeats_and_offsets_as_people_write_them() {
    table(&[
        (
            "standup everyday 9am",
            "start=2027-03-25T09:00:00+01:00; recurrence=FREQ=DAILY",
        ),
        (
            "standup every morning at 9",
            "start=2027-03-25T09:00:00+01:00; recurrence=FREQ=DAILY",
        ),
        (
            "backup check every night at 9pm",
            "start=2027-03-24T21:00:00+01:00; recurrence=FREQ=DAILY",
        ),
        (
            "review every evening at 6",
            "start=2027-03-24T18:00:00+01:00; recurrence=FREQ=DAILY",
        ),
        (
            "sync every fortnight 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync fortnightly friday 10am",
            "start=2027-03-26T10:00:00+01:00; recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        ),
        ("sync in half an hour", "start=2027-03-24T10:30:00+01:00"),
        (
            "sync in a fortnight at 10",
            "start=2027-04-07T10:00:00+02:00",
        ),
        (
            "quarterly review tomorrow 3pm",
            "error=it looks like a repeat; word=1",
        ),
        ("sync tomorrow 3pm later", "error=\"later\""),
        (
            "sync twice a week on tue and thu 10am",
            "start=2027-03-25T10:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=TU,TH",
        ),
        (
            "gym 3 times a week on mon, wed and fri at 7",
            "start=2027-03-26T07:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,WE,FR",
        ),
        (
            "sync twice a week 10am",
            "error=I couldn't read the repeat \"twice a week\"; word=2",
        ),
        (
            "sync twice a week on tue 10am",
            "error=I couldn't read the repeat \"twice a week on tue\"; word=2",
        ),
        ("standup 4 times", "error=4 times"),
    ]);
}
