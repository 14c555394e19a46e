//! Time zones on both sides of UTC: the zone in force, explicit zones, and which day
//! "today" and "tomorrow" are there. Now is 2027-03-24 09:00 UTC.

use super::{BERLIN, NOW, table, table_at};
use chrono_tz::{America, Asia, Pacific};

#[test]
fn the_zone_in_force_decides_today() {
    // 18:00 on Wednesday in Tokyo.
    table_at(
        NOW,
        Asia::Tokyo,
        &[
            (
                "sync tomorrow 3pm",
                "start=2027-03-25T15:00:00+09:00; timezone=Asia/Tokyo",
            ),
            ("sync 3pm", "start=2027-03-25T15:00:00+09:00"),
            ("sync 7pm", "start=2027-03-24T19:00:00+09:00"),
        ],
    );
    // 22:00 on Wednesday in Auckland (NZDT, +13).
    table_at(
        NOW,
        Pacific::Auckland,
        &[
            ("sync tomorrow 9am", "start=2027-03-25T09:00:00+13:00"),
            ("sync 11pm", "start=2027-03-24T23:00:00+13:00"),
            ("sync thursday 9am", "start=2027-03-25T09:00:00+13:00"),
        ],
    );
    // 23:00 on Tuesday in Honolulu (-10).
    table_at(
        NOW,
        Pacific::Honolulu,
        &[
            ("sync tomorrow 9am", "start=2027-03-24T09:00:00-10:00"),
            ("sync today 11:30pm", "start=2027-03-23T23:30:00-10:00"),
            ("sync wednesday 9am", "start=2027-03-24T09:00:00-10:00"),
            ("sync today 3pm", "error=already in the past"),
        ],
    );
    // 23:00 on Wednesday in Kiritimati (+14), 22:00 on Tuesday in Pago Pago (-11).
    table_at(
        NOW,
        Pacific::Kiritimati,
        &[("sync tomorrow 9am", "start=2027-03-25T09:00:00+14:00")],
    );
    table_at(
        NOW,
        Pacific::Pago_Pago,
        &[("sync tomorrow 9am", "start=2027-03-24T09:00:00-11:00")],
    );
    table_at(
        NOW,
        Asia::Kathmandu,
        &[("sync tomorrow 9am", "start=2027-03-25T09:00:00+05:45")],
    );
    table_at(
        NOW,
        America::St_Johns,
        &[("sync tomorrow 9am", "start=2027-03-25T09:00:00-02:30")],
    );
    table_at(
        NOW,
        America::Sao_Paulo,
        &[("sync tomorrow 9am", "start=2027-03-25T09:00:00-03:00")],
    );
    table_at(
        NOW,
        chrono_tz::UTC,
        &[(
            "sync tomorrow 9am",
            "start=2027-03-25T09:00:00+00:00; timezone=UTC",
        )],
    );
}

#[test]
fn an_explicit_zone_counts_days_in_that_zone() {
    table(&[
        (
            "sync tomorrow 9am in Auckland",
            "start=2027-03-25T09:00:00+13:00; timezone=Pacific/Auckland",
        ),
        (
            "sync tomorrow 9am Pacific/Honolulu",
            "start=2027-03-24T09:00:00-10:00",
        ),
        (
            "sync 9am tz Pacific/Honolulu",
            "start=2027-03-24T09:00:00-10:00",
        ),
        (
            "sync today 9pm Pacific/Kiritimati",
            "error=already in the past",
        ),
        (
            "sync today 11:30pm Pacific/Kiritimati",
            "start=2027-03-24T23:30:00+14:00",
        ),
    ]);
}

#[test]
fn cities() {
    table(&[
        (
            "sync tomorrow 3pm London",
            "start=2027-03-25T15:00:00+00:00; timezone=Europe/London",
        ),
        ("sync tomorrow 3pm Paris", "timezone=Europe/Paris"),
        (
            "sync tomorrow 3pm Los Angeles",
            "start=2027-03-25T15:00:00-07:00; timezone=America/Los_Angeles",
        ),
        (
            "sync tomorrow 3pm mexico city",
            "timezone=America/Mexico_City",
        ),
        ("sync tomorrow 3pm Hong Kong", "timezone=Asia/Hong_Kong"),
        (
            "sync tomorrow 3pm Buenos Aires",
            "timezone=America/Argentina/Buenos_Aires",
        ),
        (
            "sync tomorrow 3pm kolkata",
            "start=2027-03-25T15:00:00+05:30; timezone=Asia/Kolkata",
        ),
        ("sync tomorrow 3pm sydney time", "timezone=Australia/Sydney"),
        (
            "sync tomorrow 3pm Dubai",
            "start=2027-03-25T15:00:00+04:00; timezone=Asia/Dubai",
        ),
        (
            "sync tomorrow 3pm Singapore",
            "start=2027-03-25T15:00:00+08:00",
        ),
        (
            "sync tomorrow 3pm Johannesburg",
            "timezone=Africa/Johannesburg",
        ),
        (
            "sync tomorrow 3pm Lagos",
            "start=2027-03-25T15:00:00+01:00; timezone=Africa/Lagos",
        ),
        (
            "sync tomorrow 3pm Moscow",
            "start=2027-03-25T15:00:00+03:00",
        ),
        ("sync tomorrow 3pm Istanbul", "timezone=Europe/Istanbul"),
        (
            "sync tomorrow 3pm Port of Spain",
            "timezone=America/Port_of_Spain",
        ),
        (
            "sync tomorrow 3pm Ho Chi Minh",
            "start=2027-03-25T15:00:00+07:00",
        ),
        ("sync tomorrow 3pm in new york", "timezone=America/New_York"),
        ("sync tomorrow 3pm in UTC", "timezone=UTC"),
        ("sync tomorrow 3pm utc", "timezone=UTC"),
        (
            "sync tomorrow 3pm Berlin office",
            "timezone=Europe/Berlin; title=Sync office",
        ),
        (
            "sync tomorrow 3pm Christmas party",
            "timezone=Europe/Berlin; title=Sync Christmas party",
        ),
        (
            "lunch in town tomorrow 1pm",
            "title=Lunch in town; timezone=Europe/Berlin",
        ),
    ]);
}

#[test]
fn zone_clauses() {
    table(&[
        ("sync tomorrow 3pm tz Asia/Tokyo", "timezone=Asia/Tokyo"),
        (
            "sync tomorrow 3pm timezone Asia/Tokyo",
            "timezone=Asia/Tokyo",
        ),
        (
            "sync tomorrow 3pm time zone Asia/Tokyo",
            "timezone=Asia/Tokyo",
        ),
        ("sync tomorrow 3pm tz: asia/tokyo", "timezone=Asia/Tokyo"),
        (
            "sync tomorrow PST 3pm",
            "timezone=America/Los_Angeles; start=2027-03-25T15:00:00-07:00",
        ),
        (
            "sync tomorrow 3pm PST tz Europe/Berlin",
            "error=I found two time zones; word=5",
        ),
        (
            "sync tomorrow 3pm tz Berln",
            "error=I don't know the time zone \"Berln\" (at word 5). Did you mean \"Berlin\"?",
        ),
        (
            "sync tomorrow 3pm tz Mars",
            "error=I don't know the time zone \"Mars\"; word=5",
        ),
    ]);
}

#[test]
fn offsets() {
    table(&[
        (
            "sync tomorrow 3pm UTC-12",
            "start=2027-03-24T15:00:00-12:00; timezone=Etc/GMT+12",
        ),
        (
            "sync tomorrow 3pm UTC+14",
            "start=2027-03-25T15:00:00+14:00; timezone=Etc/GMT-14",
        ),
        ("sync tomorrow 3pm GMT+0", "timezone=UTC"),
        (
            "sync tomorrow 3pm UTC+15",
            "error=offsets go from UTC-12 to UTC+14; word=4",
        ),
        (
            "sync tomorrow 3pm UTC+5:45",
            "error=Webex needs a named time zone",
        ),
        (
            "sync tomorrow 3pm tz UTC+0530",
            "error=Webex needs a named time zone; word=5",
        ),
    ]);
    table_at(
        NOW,
        BERLIN,
        &[("sync tomorrow 3pm UTC+1", "timezone=Etc/GMT-1")],
    );
}
