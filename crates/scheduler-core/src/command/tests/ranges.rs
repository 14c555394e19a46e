//! Ranges, durations and end times. Now is Wednesday 24 March 2027, 10:00 in Berlin.

use super::table;

#[test]
fn ranges() {
    table(&[
        (
            "sync tomorrow 3pm-4:30pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3:30-4pm",
            "start=2027-03-25T15:30:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 9-10am",
            "start=2027-03-25T09:00:00+01:00; end=2027-03-25T10:00:00+01:00",
        ),
        (
            "sync tomorrow 9am-10",
            "start=2027-03-25T09:00:00+01:00; end=2027-03-25T10:00:00+01:00",
        ),
        (
            "sync tomorrow 9-5",
            "start=2027-03-25T09:00:00+01:00; end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 10-11",
            "start=2027-03-25T10:00:00+01:00; end=2027-03-25T11:00:00+01:00",
        ),
        (
            "sync tomorrow 6-7",
            "start=2027-03-25T18:00:00+01:00; end=2027-03-25T19:00:00+01:00",
        ),
        (
            "sync tomorrow 12-1",
            "start=2027-03-25T12:00:00+01:00; end=2027-03-25T13:00:00+01:00",
        ),
        (
            "sync tomorrow 11am-1pm",
            "start=2027-03-25T11:00:00+01:00; end=2027-03-25T13:00:00+01:00",
        ),
        (
            "sync tomorrow 11:30am-12:15pm",
            "start=2027-03-25T11:30:00+01:00; end=2027-03-25T12:15:00+01:00",
        ),
        (
            "party tomorrow 10pm-1am",
            "start=2027-03-25T22:00:00+01:00; end=2027-03-26T01:00:00+01:00",
        ),
        (
            "party tomorrow 11pm-midnight",
            "end=2027-03-26T00:00:00+01:00",
        ),
        (
            "lunch tomorrow noon-1pm",
            "start=2027-03-25T12:00:00+01:00; end=2027-03-25T13:00:00+01:00",
        ),
        ("lunch tomorrow noon to 1", "end=2027-03-25T13:00:00+01:00"),
        (
            "lunch tomorrow from noon until 2pm",
            "end=2027-03-25T14:00:00+01:00",
        ),
        (
            "sync tomorrow between 2pm and 3pm",
            "start=2027-03-25T14:00:00+01:00; end=2027-03-25T15:00:00+01:00",
        ),
        (
            "offsite tomorrow from 9 to 5",
            "start=2027-03-25T09:00:00+01:00; end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 3 - 4 pm",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        ("sync tomorrow 15:00-16:30", "end=2027-03-25T16:30:00+01:00"),
        (
            "sync tomorrow 15:00 - 16:30",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 15:00 to 16:30",
            "end=2027-03-25T16:30:00+01:00",
        ),
        ("sync tomorrow 3pm till 4", "end=2027-03-25T16:00:00+01:00"),
        ("sync tomorrow 3pm until 5", "end=2027-03-25T17:00:00+01:00"),
        (
            "sync tomorrow 3-4",
            "start=2027-03-25T15:00:00+01:00; end=2027-03-25T16:00:00+01:00",
        ),
        ("shift tomorrow 9pm-3am", "end=2027-03-26T03:00:00+01:00"),
        ("sync tomorrow 8am-9pm", "end=2027-03-25T21:00:00+01:00"),
        (
            "sync tomorrow 3pm-2pm",
            "error=must end after it starts; word=3",
        ),
    ]);
}

#[test]
fn durations() {
    table(&[
        ("sync tomorrow 3pm for 90m", "end=2027-03-25T16:30:00+01:00"),
        (
            "sync tomorrow 3pm for 1 hour 30 minutes",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 1 hour and 15 minutes",
            "end=2027-03-25T16:15:00+01:00",
        ),
        ("sync tomorrow 3pm for 2h", "end=2027-03-25T17:00:00+01:00"),
        (
            "sync tomorrow 3pm for 2 hrs",
            "end=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 30 mins",
            "end=2027-03-25T15:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for an hour and a half",
            "end=2027-03-25T16:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm for two hours",
            "end=2027-03-25T17:00:00+01:00",
        ),
        (
            "30 minute sync tomorrow 3pm",
            "title=Sync; end=2027-03-25T15:30:00+01:00",
        ),
        (
            "45-minute sync tomorrow 3pm",
            "title=Sync; end=2027-03-25T15:45:00+01:00",
        ),
        (
            "1 hour sync tomorrow 3pm",
            "title=Sync; end=2027-03-25T16:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm half an hour",
            "end=2027-03-25T15:30:00+01:00",
        ),
        (
            "sync tomorrow 3pm-4pm for 1h",
            "error=I found two end times; word=4",
        ),
        (
            "sync tomorrow 10pm for 3 hours",
            "end=2027-03-26T01:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 23h59",
            "end=2027-03-26T14:59:00+01:00",
        ),
        (
            "sync tomorrow 3pm for 0 minutes",
            "error=must end after it starts",
        ),
        (
            "sync tomorrow 3pm for 9 min",
            "error=at least 10 minutes; word=4",
        ),
    ]);
}
