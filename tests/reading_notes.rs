//! Issue 13: where the grammar's reading may differ a little from what was meant, the reply
//! says what it chose: a zone abbreviation of the other half of the year, and "biweekly".

use crate::common::spawn_app;
use chrono::{Duration, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;

#[tokio::test]
async fn a_zone_abbreviation_of_the_other_season_and_biweekly_are_explained() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    // "tomorrow" in Los Angeles, at 15:00 there: which half of the year is it?
    let day = (Utc::now() + Duration::days(1))
        .with_timezone(&Los_Angeles)
        .date_naive();
    let start = Los_Angeles
        .from_local_datetime(&day.and_hms_opt(15, 0, 0).expect("a time"))
        .earliest()
        .expect("15:00 exists");
    let summer = start.format("%Z").to_string() == "PDT";
    let other = if summer { "PST" } else { "PDT" };
    app.say(&app.direct, &format!("schedule sync tomorrow 3pm {other}"))
        .await;
    app.wait_for_text(&app.direct, &format!("You wrote {other}, but on"))
        .await;
    let said = app.bot_markdown(&app.direct).join("\n");
    assert!(said.contains("I used the time in force that day"), "{said}");

    app.say(&app.direct, "schedule retro biweekly friday 10am")
        .await;
    app.wait_for_text(&app.direct, "I read \"biweekly\" as every two weeks")
        .await;
}
