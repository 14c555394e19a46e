//! A person's calendar is theirs: `list` in a group space is answered by direct message (the
//! space gets one line saying so), its numbers are used in the direct space, and a list number
//! typed in the group space is not read there.

use crate::common;

use common::{TestApp, spawn_app};

/// The bot's messages in a room after the first `skip`, as markdown.
fn said_since(app: &TestApp, room: &str, skip: usize) -> Vec<String> {
    app.bot_messages(room)
        .into_iter()
        .skip(skip)
        .map(|m| m.markdown.unwrap_or_default())
        .collect()
}

/// A linked person with one meeting, "Secret roadmap", created without a preview.
async fn app_with_a_meeting() -> (TestApp, String) {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app.say(&app.direct, "schedule secret roadmap tomorrow 3pm")
        .await;
    app.wait_for_text(&app.direct, "Scheduled: Secret roadmap")
        .await;
    app.wait_until_settled().await;
    let number = app.meetings()[0]["meetingNumber"]
        .as_str()
        .expect("a meeting number")
        .to_string();
    (app, number)
}

#[tokio::test]
async fn list_in_a_group_space_goes_to_the_asker_alone() {
    let (app, number) = app_with_a_meeting().await;
    let in_group = app.bot_messages(&app.group).len();
    let in_direct = app.bot_messages(&app.direct).len();

    app.say(&app.group, "@Scheduler list").await;
    app.wait_for_text(&app.direct, "1. Secret roadmap").await;
    app.wait_for_bot_messages(&app.group, in_group + 1).await;
    app.wait_until_settled().await;

    let group = said_since(&app, &app.group, in_group);
    assert_eq!(group.len(), 1, "one line in the space: {group:?}");
    assert!(group[0].contains("direct message"), "{group:?}");
    assert!(!group[0].contains('\n'), "one line: {group:?}");
    for private in ["Secret roadmap", number.as_str(), "1. "] {
        assert!(
            !group[0].contains(private),
            "the space sees {private:?}: {group:?}"
        );
    }
    let direct = said_since(&app, &app.direct, in_direct);
    assert_eq!(direct.len(), 1, "{direct:?}");
    assert!(direct[0].contains(&number), "{direct:?}");
}

#[tokio::test]
async fn numbers_from_a_group_list_are_used_in_the_direct_space() {
    let (app, _) = app_with_a_meeting().await;
    let start = app.meetings()[0]["start"].clone();
    app.say(&app.group, "@Scheduler list").await;
    app.wait_for_text(&app.direct, "1. Secret roadmap").await;
    app.wait_until_settled().await;

    // In the direct space, the number names the meeting listed there.
    app.say(&app.direct, "cancel 1").await;
    app.wait_for_text(&app.direct, "Cancel **Secret roadmap**")
        .await;

    // In the group space a list number is not read: the person is told where it works, and
    // nothing about the meeting is shown or changed.
    let in_group = app.bot_messages(&app.group).len();
    app.say(&app.group, "@Scheduler cancel 1").await;
    app.say(&app.group, "@Scheduler reschedule 1 to 5pm").await;
    app.wait_for_bot_messages(&app.group, in_group + 2).await;
    app.wait_until_settled().await;
    let group = said_since(&app, &app.group, in_group);
    assert_eq!(group.len(), 2, "{group:?}");
    // Two deliveries may reach the bot in either order; each gets its own answer.
    assert!(
        group.iter().any(|m| m.contains("type `cancel 1` there")),
        "{group:?}"
    );
    assert!(
        group
            .iter()
            .any(|m| m.contains("type `reschedule 1` there")),
        "{group:?}"
    );
    assert!(
        group.iter().all(|m| !m.contains("Secret roadmap")),
        "{group:?}"
    );
    assert!(
        app.bot_messages(&app.group)
            .iter()
            .all(|m| m.attachments.is_empty()),
        "no cancel question in the space"
    );
    assert_eq!(app.meetings().len(), 1);
    assert_eq!(app.meetings()[0]["start"], start, "not moved");
}

#[tokio::test]
async fn a_meeting_number_still_works_in_a_group_space() {
    let (app, number) = app_with_a_meeting().await;
    let in_group = app.bot_messages(&app.group).len();
    app.say(&app.group, &format!("@Scheduler cancel {number}"))
        .await;
    app.wait_for_bot_messages(&app.group, in_group + 1).await;
    let asked = said_since(&app, &app.group, in_group);
    assert!(
        asked[0].contains("Cancel **Secret roadmap**"),
        "the person named the meeting themselves: {asked:?}"
    );
}
