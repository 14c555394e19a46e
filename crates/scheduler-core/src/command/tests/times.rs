//! Times of day: spellings, the 12- and 24-hour clocks, relative times, lone numbers.
//! Now is Wednesday 24 March 2027, 10:00 in Berlin.

use super::table;

#[test]
fn spellings() {
    table(&[
        ("sync tomorrow 3 PM", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 3PM", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 3 p.m.", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 9 a.m.", "start=2027-03-25T09:00:00+01:00"),
        ("sync tomorrow 3pm.", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow 3:05pm", "start=2027-03-25T15:05:00+01:00"),
        ("sync tomorrow 12:30pm", "start=2027-03-25T12:30:00+01:00"),
        ("sync tomorrow 12am", "start=2027-03-25T00:00:00+01:00"),
        ("sync tomorrow 12pm", "start=2027-03-25T12:00:00+01:00"),
        ("sync tomorrow 12:15am", "start=2027-03-25T00:15:00+01:00"),
        ("sync tomorrow 0:30", "start=2027-03-25T00:30:00+01:00"),
        ("sync tomorrow 00:00", "start=2027-03-25T00:00:00+01:00"),
        (
            "sync tomorrow 23:59",
            "start=2027-03-25T23:59:00+01:00; end=2027-03-26T00:29:00+01:00",
        ),
        ("sync tomorrow 9 o'clock", "start=2027-03-25T09:00:00+01:00"),
        ("sync tomorrow 3 o'clock", "start=2027-03-25T15:00:00+01:00"),
        ("sync tomorrow at 9:45", "start=2027-03-25T09:45:00+01:00"),
        ("sync tomorrow at 10.15", "start=2027-03-25T10:15:00+01:00"),
        ("sync tomorrow at 12:30", "start=2027-03-25T12:30:00+01:00"),
        ("sync tomorrow at 1:15", "start=2027-03-25T13:15:00+01:00"),
        ("sync tomorrow 7", "start=2027-03-25T07:00:00+01:00"),
        ("sync tomorrow 9h", "start=2027-03-25T09:00:00+01:00"),
    ]);
}

#[test]
fn without_a_date() {
    table(&[
        ("sync 9am", "start=2027-03-25T09:00:00+01:00"),
        ("sync 11am", "start=2027-03-24T11:00:00+01:00"),
        ("sync 10am", "start=2027-03-24T10:00:00+01:00"),
        ("sync midnight", "start=2027-03-25T00:00:00+01:00"),
        ("sync noon", "start=2027-03-24T12:00:00+01:00"),
        (
            "schedule standup 9",
            "start=2027-03-25T09:00:00+01:00; title=Standup",
        ),
        ("I have 3 questions", "command=none"),
    ]);
}

#[test]
fn relative() {
    table(&[
        ("sync in 90 minutes", "start=2027-03-24T11:30:00+01:00"),
        ("sync in 1h", "start=2027-03-24T11:00:00+01:00"),
        ("sync in 45 min", "start=2027-03-24T10:45:00+01:00"),
        ("sync in 1.5 hours", "start=2027-03-24T11:30:00+01:00"),
        ("sync in 3 hours", "start=2027-03-24T13:00:00+01:00"),
        (
            "sync now for 15 min",
            "start=2027-03-24T10:00:00+01:00; end=2027-03-24T10:15:00+01:00",
        ),
        ("sync tomorrow now", "error=already says when it starts"),
        (
            "sync tomorrow in 2 hours",
            "error=already says when it starts",
        ),
    ]);
}

#[test]
fn numbers_in_titles() {
    table(&[
        (
            "top 5 tomorrow at 3",
            "title=Top 5; start=2027-03-25T15:00:00+01:00",
        ),
        ("sprint 42 review tomorrow 10am", "title=Sprint 42 review"),
        ("2027 roadmap tomorrow 10am", "title=2027 roadmap"),
        ("sync 2 3", "error=I found two times; word=3"),
        ("sync tomorrow 3pm 4pm", "error=I found two times; word=4"),
        (
            "1:1 with ana@acme.com friday 10am",
            "title=1:1; invitees=ana@acme.com",
        ),
        ("Q3 review friday 10am", "title=Q3 review"),
    ]);
}

#[test]
fn impossible_times() {
    table(&[
        (
            "sync tomorrow 13pm",
            "error=\"13pm\" (at word 3) isn't a time of day",
        ),
        ("sync tomorrow 25:00", "error=isn't a time of day; word=3"),
        ("sync tomorrow at 25", "error=isn't a time of day; word=4"),
        ("sync tomorrow 9:75", "error=isn't a time of day; word=3"),
        ("sync tomorrow 0am", "error=isn't a time of day"),
    ]);
}
