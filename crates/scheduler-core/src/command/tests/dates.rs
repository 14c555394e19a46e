//! Dates: names, calendar dates, relative dates, and a weekday written beside a date.
//! Now is Wednesday 24 March 2027, 10:00 in Berlin.

use super::table;

#[test]
fn weekday_forms() {
    table(&[
        (
            "sync Monday, March 29 3pm",
            "start=2027-03-29T15:00:00+02:00",
        ),
        ("sync mon 29 march 3pm", "start=2027-03-29T15:00:00+02:00"),
        (
            "sync friday the 26th 3pm",
            "start=2027-03-26T15:00:00+01:00",
        ),
        (
            "sync tuesday march 29 3pm",
            "error=29 March 2027 is a Monday, not a Tuesday; word=2",
        ),
        (
            "sync tuesday next week 3pm",
            "start=2027-03-30T15:00:00+02:00",
        ),
        (
            "sync next week tuesday 3pm",
            "start=2027-03-30T15:00:00+02:00",
        ),
        (
            "sync next week on friday 3pm",
            "start=2027-04-02T15:00:00+02:00",
        ),
        ("sync this sunday 3pm", "start=2027-03-28T15:00:00+02:00"),
        ("sync next sunday 3pm", "start=2027-03-28T15:00:00+02:00"),
        ("sync on wednesday 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync 3pm on friday", "start=2027-03-26T15:00:00+01:00"),
        ("sync Tue. 3pm", "start=2027-03-30T15:00:00+02:00"),
        ("sync WEDNESDAY 11am", "start=2027-03-24T11:00:00+01:00"),
    ]);
}

#[test]
fn relative_days() {
    table(&[
        (
            "sync the day after tomorrow 3pm",
            "start=2027-03-26T15:00:00+01:00",
        ),
        ("sync tmrw 3pm", "start=2027-03-25T15:00:00+01:00"),
        (
            "dinner tonight 7pm",
            "title=Dinner; start=2027-03-24T19:00:00+01:00",
        ),
        ("sync Tomorrow 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync in 1 day 3pm", "start=2027-03-25T15:00:00+01:00"),
        ("sync in a week 3pm", "start=2027-03-31T15:00:00+02:00"),
        ("sync in two weeks 3pm", "start=2027-04-07T15:00:00+02:00"),
        ("sync in 2 months 3pm", "start=2027-05-24T15:00:00+02:00"),
        ("sync yesterday 3pm", "error=already in the past; word=2"),
        ("sync last friday 3pm", "error=already in the past; word=2"),
    ]);
}

#[test]
fn calendar_dates() {
    table(&[
        ("sync Mar. 29 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync 29th march 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync 29th of march 3pm", "start=2027-03-29T15:00:00+02:00"),
        ("sync march 29th 3pm", "start=2027-03-29T15:00:00+02:00"),
        (
            "sync march 29th, 2027 3pm",
            "start=2027-03-29T15:00:00+02:00",
        ),
        ("sync dec 31 3pm", "start=2027-12-31T15:00:00+01:00"),
        ("sync jan 5 3pm", "start=2028-01-05T15:00:00+01:00"),
        ("sync feb 29 3pm", "start=2028-02-29T15:00:00+01:00"),
        (
            "sync feb 30 3pm",
            "error=isn't a date on the calendar; word=2",
        ),
        (
            "sync 2027-02-30 3pm",
            "error=isn't a date on the calendar; word=2",
        ),
        ("sync 2026-12-01 3pm", "error=already in the past"),
        ("sync june 1 3pm", "start=2027-06-01T15:00:00+02:00"),
        ("sync sept 10 3pm", "start=2027-09-10T15:00:00+02:00"),
        ("sync 10 sep 2027 3pm", "start=2027-09-10T15:00:00+02:00"),
        ("sync 2028-01-01 10:00", "start=2028-01-01T10:00:00+01:00"),
        ("sync on the 31st 3pm", "start=2027-03-31T15:00:00+02:00"),
        ("sync on the 24th 3pm", "start=2027-03-24T15:00:00+01:00"),
        ("sync on the 24th 9am", "error=already in the past"),
        ("sync the 1st 3pm", "start=2027-04-01T15:00:00+02:00"),
        ("sync 15th 3pm", "start=2027-04-15T15:00:00+02:00"),
        (
            "sync may 5 3pm",
            "start=2027-05-05T15:00:00+02:00; title=Sync",
        ),
        ("Ana may join tomorrow 3pm", "title=Ana may join"),
        // Slashed dates (issue 13): read by the person's region, Berlin's day first.
        ("sync friday 3/4", "error=two dates; word=3"),
        ("sync 12/25 3pm", "start=2027-12-25T15:00:00+01:00"),
        ("sync 2037-03-24 3pm", "error=10 years or more ahead"),
    ]);
}
