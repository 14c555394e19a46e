//! Dates on both sides of each daylight-saving change in Europe, North America and Australia:
//! offsets follow the date, a skipped wall time is refused naming the gap, a repeated one is
//! the first.

use super::table_at;
use chrono_tz::{America, Australia, Europe};

#[test]
fn europe_spring_forward() {
    // Wednesday 24 March 2027; clocks go forward on Sunday 28 March at 02:00.
    table_at(
        "2027-03-24T09:00:00Z",
        Europe::Berlin,
        &[
            ("sync saturday 10am", "start=2027-03-27T10:00:00+01:00"),
            ("sync sunday 10am", "start=2027-03-28T10:00:00+02:00"),
            ("sync march 28 1:30am", "start=2027-03-28T01:30:00+01:00"),
            (
                "sync march 28 2am",
                "error=the clocks jump from 02:00 to 03:00",
            ),
            (
                "sync march 28 2:59am",
                "error=02:59 on Sunday 28 March 2027 doesn't exist",
            ),
            ("sync march 28 3am", "start=2027-03-28T03:00:00+02:00"),
            (
                "sync march 28 1:30-3:30am",
                "start=2027-03-28T01:30:00+01:00; end=2027-03-28T03:30:00+02:00",
            ),
            (
                "sync march 28 1:30am until 2:30am",
                "error=doesn't exist; word=4",
            ),
            (
                "sync saturday 10am weekly",
                "start=2027-03-27T10:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=SA",
            ),
            (
                "sync saturday 11pm for 4 hours",
                "end=2027-03-28T04:00:00+02:00",
            ),
        ],
    );
    table_at(
        "2027-03-24T09:00:00Z",
        Europe::London,
        &[
            (
                "sync march 28 1:30am",
                "error=the clocks jump from 01:00 to 02:00",
            ),
            ("sync march 28 2:30am", "start=2027-03-28T02:30:00+01:00"),
            ("sync saturday 10am", "start=2027-03-27T10:00:00+00:00"),
        ],
    );
}

#[test]
fn europe_fall_back() {
    // Wednesday 27 October 2027; clocks go back on Sunday 31 October at 03:00.
    table_at(
        "2027-10-27T09:00:00Z",
        Europe::Berlin,
        &[
            ("sync saturday 10am", "start=2027-10-30T10:00:00+02:00"),
            ("sync sunday 10am", "start=2027-10-31T10:00:00+01:00"),
            ("sync october 31 2:30am", "start=2027-10-31T02:30:00+02:00"),
            (
                "sync october 31 2:30am for 1 hour",
                "end=2027-10-31T02:30:00+01:00",
            ),
            (
                "sync october 31 1:30-3:30am",
                "start=2027-10-31T01:30:00+02:00; end=2027-10-31T03:30:00+01:00",
            ),
            ("sync tomorrow 9am", "start=2027-10-28T09:00:00+02:00"),
            ("sync next monday 9am", "start=2027-11-01T09:00:00+01:00"),
        ],
    );
}

#[test]
fn north_america_spring_forward() {
    // Wednesday 10 March 2027, 10:00 in New York; clocks go forward on Sunday 14 March at 02:00.
    table_at(
        "2027-03-10T15:00:00Z",
        America::New_York,
        &[
            ("sync saturday 10am", "start=2027-03-13T10:00:00-05:00"),
            ("sync sunday 10am", "start=2027-03-14T10:00:00-04:00"),
            (
                "sync march 14 2:30am",
                "error=the clocks jump from 02:00 to 03:00",
            ),
            ("sync march 14 1:59am", "start=2027-03-14T01:59:00-05:00"),
            ("sync march 14 3am", "start=2027-03-14T03:00:00-04:00"),
            ("sync tomorrow 9am", "start=2027-03-11T09:00:00-05:00"),
        ],
    );
    table_at(
        "2027-03-10T18:00:00Z",
        America::Los_Angeles,
        &[
            (
                "sync march 14 2:15am",
                "error=doesn't exist in America/Los_Angeles",
            ),
            ("sync monday 9am", "start=2027-03-15T09:00:00-07:00"),
            ("sync friday 9am", "start=2027-03-12T09:00:00-08:00"),
        ],
    );
}

#[test]
fn north_america_fall_back() {
    // Wednesday 3 November 2027, 10:00 in New York; clocks go back on Sunday 7 November at 02:00.
    table_at(
        "2027-11-03T14:00:00Z",
        America::New_York,
        &[
            ("sync saturday 10am", "start=2027-11-06T10:00:00-04:00"),
            ("sync sunday 10am", "start=2027-11-07T10:00:00-05:00"),
            ("sync november 7 1:30am", "start=2027-11-07T01:30:00-04:00"),
            (
                "sync november 7 1:30am for 1 hour",
                "end=2027-11-07T01:30:00-05:00",
            ),
            (
                "sync november 7 12:30-2:30am",
                "start=2027-11-07T00:30:00-04:00; end=2027-11-07T02:30:00-05:00",
            ),
        ],
    );
    table_at(
        "2027-11-03T15:00:00Z",
        America::Chicago,
        &[
            ("sync monday 9am", "start=2027-11-08T09:00:00-06:00"),
            ("sync friday 9am", "start=2027-11-05T09:00:00-05:00"),
        ],
    );
}

#[test]
fn australia_autumn() {
    // Thursday 1 April 2027, 10:00 in Sydney (AEDT); clocks go back on Sunday 4 April at 03:00.
    table_at(
        "2027-03-31T23:00:00Z",
        Australia::Sydney,
        &[
            ("sync saturday 10am", "start=2027-04-03T10:00:00+11:00"),
            ("sync sunday 10am", "start=2027-04-04T10:00:00+10:00"),
            ("sync april 4 2:30am", "start=2027-04-04T02:30:00+11:00"),
            (
                "sync april 4 2:30am for 1 hour",
                "end=2027-04-04T02:30:00+10:00",
            ),
            ("sync tomorrow 3pm", "start=2027-04-02T15:00:00+11:00"),
        ],
    );
    table_at(
        "2027-03-31T23:00:00Z",
        Australia::Brisbane,
        &[("sync sunday 10am", "start=2027-04-04T10:00:00+10:00")],
    );
}

#[test]
fn australia_spring() {
    // Thursday 30 September 2027, 09:00 in Sydney (AEST); clocks go forward on Sunday 3 October.
    table_at(
        "2027-09-29T23:00:00Z",
        Australia::Sydney,
        &[
            ("sync saturday 10am", "start=2027-10-02T10:00:00+10:00"),
            ("sync sunday 10am", "start=2027-10-03T10:00:00+11:00"),
            (
                "sync october 3 2:30am",
                "error=the clocks jump from 02:00 to 03:00",
            ),
            ("sync october 3 1:30am", "start=2027-10-03T01:30:00+10:00"),
        ],
    );
    // Lord Howe moves by half an hour.
    table_at(
        "2027-09-29T23:00:00Z",
        Australia::Lord_Howe,
        &[
            (
                "sync october 3 2:15am",
                "error=the clocks jump from 02:00 to 02:30",
            ),
            ("sync october 3 2:30am", "start=2027-10-03T02:30:00+11:00"),
        ],
    );
}
