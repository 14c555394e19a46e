//! Offsets, days of the month and requests written as sentences (issue 13, families 4, 5, 9).
//! Now is Wednesday 24 March 2027, 10:00 in Berlin (CET; CEST from Sunday 28 March).

use super::{table, table_at};
use chrono_tz::{America, Asia};

#[test]
fn offsets() {
    table(&[
        ("sync in half an hour", "start=2027-03-24T10:30:00+01:00"),
        (
            "sync 30 minutes from now",
            "title=Sync; start=2027-03-24T10:30:00+01:00",
        ),
        (
            "sync an hour from now",
            "title=Sync; start=2027-03-24T11:00:00+01:00",
        ),
        (
            "sync two weeks from now at 10",
            "title=Sync; start=2027-04-07T10:00:00+02:00",
        ),
        (
            "sync 3 days from tuesday at 4pm",
            "title=Sync; start=2027-04-02T16:00:00+02:00",
        ),
        (
            "sync the day after tomorrow at 3pm",
            "start=2027-03-26T15:00:00+01:00",
        ),
        (
            "sync in a fortnight at 10",
            "start=2027-04-07T10:00:00+02:00",
        ),
        (
            "sync monday week at 10",
            "title=Sync; start=2027-04-05T10:00:00+02:00",
        ),
        // A day with no time asks for one.
        ("sync two weeks from now", "error=I need a time"),
    ]);
}

#[test]
fn days_of_the_month() {
    table(&[
        (
            "sync the 17 at 3pm",
            "title=Sync; start=2027-04-17T15:00:00+02:00",
        ),
        (
            "sync friday 26 at 3pm",
            "title=Sync; start=2027-03-26T15:00:00+01:00",
        ),
        (
            "sync friday 23 at 3pm",
            "title=Sync; start=2027-04-23T15:00:00+02:00",
        ),
        (
            "sync thursday 23 at 3pm",
            "error=23 April 2027 is a Friday, not a Thursday; word=2",
        ),
        (
            "sync Jan first at 3pm",
            "title=Sync; start=2028-01-01T15:00:00+01:00",
        ),
        (
            "sync March the 3rd at 3pm",
            "title=Sync; start=2028-03-03T15:00:00+01:00",
        ),
        (
            "sync 23.04.2027 at 3pm",
            "title=Sync; start=2027-04-23T15:00:00+02:00",
        ),
        (
            "sync 23.4. at 3pm",
            "title=Sync; start=2027-04-23T15:00:00+02:00",
        ),
        (
            "sync the twenty second at 3pm",
            "title=Sync; start=2027-04-22T15:00:00+02:00",
        ),
        (
            "sync the first monday of next month 1pm to 3pm",
            "title=Sync; start=2027-04-05T13:00:00+02:00; end=2027-04-05T15:00:00+02:00",
        ),
        (
            "sync the last friday of april at 10",
            "start=2027-04-30T10:00:00+02:00",
        ),
        ("sync 31.02. at 3pm", "error=\"31.02\"; word=2"),
    ]);
}

#[test]
fn requests_as_sentences() {
    table(&[
        (
            "can you set up a call with ana@acme.com tomorrow at 3",
            "command=schedule; title=Call; start=2027-03-25T15:00:00+01:00; invitees=ana@acme.com",
        ),
        (
            "please book sync tomorrow at 3pm",
            "title=Sync; start=2027-03-25T15:00:00+01:00",
        ),
        (
            "let's meet tomorrow at 3pm",
            "title=Webex meeting; start=2027-03-25T15:00:00+01:00",
        ),
        (
            "help me schedule a sync tomorrow at 3pm",
            "command=schedule; title=Sync",
        ),
        (
            "I need a meeting with ana@acme.com tomorrow at 3pm",
            "title=Meeting; invitees=ana@acme.com",
        ),
        (
            "schedule me a 1-1 with ana@acme.com tomorrow at 3",
            "title=1-1; start=2027-03-25T15:00:00+01:00",
        ),
        (
            "could you please organise a design review friday 10am",
            "title=Design review; start=2027-03-26T10:00:00+01:00",
        ),
        ("please cancel 2", "command=cancel; list_index=2"),
        ("help me", "command=help"),
        ("help schedule", "command=help; topic=schedule"),
    ]);
    // West of UTC: 05:00 on Wednesday in New York.
    table_at(
        "2027-03-24T09:00:00Z",
        America::New_York,
        &[(
            "can you set up a call tomorrow at 3",
            "start=2027-03-25T15:00:00-04:00",
        )],
    );
}

#[test]
fn slashed_dates_follow_the_persons_region() {
    table(&[
        ("sync 3/4 at 10", "start=2027-04-03T10:00:00+02:00"),
        ("sync 25/12 at 3pm", "start=2027-12-25T15:00:00+01:00"),
        ("sync 12/25 at 3pm", "start=2027-12-25T15:00:00+01:00"),
        ("sync 04/03/2027 10am", "error=already in the past; word=2"),
        ("sync 3/4/27 at 10", "error=day/month or month/day; word=2"),
        ("sync 31/02 at 10", "error=\"31/02\"; word=2"),
    ]);
    table_at(
        "2027-03-24T09:00:00Z",
        America::New_York,
        &[
            ("sync 4/5 at 10", "start=2027-04-05T10:00:00-04:00"),
            ("sync 13/4 at 10", "start=2027-04-13T10:00:00-04:00"),
        ],
    );
    table_at(
        "2027-03-24T09:00:00Z",
        America::Toronto,
        &[
            (
                "sync 4/5 at 10",
                "error=\"4/5\" (at word 2) can be 4 May (day first) or April 5 (month first); word=2",
            ),
            ("sync 13/4 at 10", "start=2027-04-13T10:00:00-04:00"),
            ("sync 4/4 at 10", "start=2027-04-04T10:00:00-04:00"),
        ],
    );
    table_at(
        "2027-03-24T09:00:00Z",
        Asia::Kolkata,
        &[("sync 5/4 at 11am", "start=2027-04-05T11:00:00+05:30")],
    );
}
