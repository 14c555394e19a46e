//! Whose meetings a person sees and may change: `GET /meetings` lists the meetings they host
//! and those they are invited to; only the host may delete or update one (403 for an invitee,
//! 404 for anyone else, who may not even see it).

use super::meetings::{Fixture, standup};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

const WRITE: &[&str] = &["meeting:schedules_read", "meeting:schedules_write"];

/// The titles `GET /meetings?<query>` lists to the holder of `token`.
async fn titles(f: &Fixture, token: &str, query: &str) -> Vec<String> {
    let (status, body, _) = f
        .call_as(token, Method::GET, &format!("meetings?{query}"), None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["title"].as_str().expect("title").to_string())
        .collect()
}

#[tokio::test]
async fn invitees_see_a_meeting_but_only_its_host_may_change_or_delete_it() {
    let f = Fixture::new(100).await;
    // Alice hosts the standup; Bob is invited to it (by address); Dave is not.
    let (_, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    let id = created["id"].as_str().expect("id").to_string();
    let bob = f.emulator.add_person("Bob", "BOB@example.com", None);
    let dave = f.emulator.add_person("Dave", "dave@example.com", None);
    let bob = f.emulator.issue_user_token(&bob.id, WRITE);
    let bob = bob.expose_secret();
    let dave = f.emulator.issue_user_token(&dave.id, WRITE);
    let dave = dave.expose_secret();
    // Bob hosts one of his own.
    let own = json!({
        "title": "Bob's review", "start": "2027-03-03T10:00:00Z", "end": "2027-03-03T10:30:00Z"
    });
    let (status, _, _) = f
        .call_as(bob, Method::POST, "meetings", Some(own), None)
        .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        titles(&f, bob, "meetingType=meetingSeries").await,
        ["Team standup", "Bob's review"],
        "hosted and invited to"
    );
    let occurrences = titles(&f, bob, "meetingType=scheduledMeeting").await;
    assert_eq!(
        occurrences.iter().filter(|t| *t == "Team standup").count(),
        6
    );
    assert!(occurrences.contains(&"Bob's review".to_string()));
    assert_eq!(titles(&f, dave, "meetingType=meetingSeries").await, [""; 0]);
    assert_eq!(
        titles(&f, &f.token, "meetingType=meetingSeries").await,
        ["Team standup"],
        "Alice is not invited to Bob's review"
    );

    let occurrence = format!("{id}_20270303T080000Z");
    let (status, got, _) = f
        .call_as(bob, Method::GET, &format!("meetings/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "an invitee may read it");
    assert_eq!(got["hostEmail"], "alice@example.com");
    for path in [format!("meetings/{id}"), format!("meetings/{occurrence}")] {
        let (status, body, _) = f.call_as(bob, Method::DELETE, &path, None, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| m.contains("host")));
        let (status, _, _) = f.call_as(dave, Method::DELETE, &path, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: not Dave's to see");
    }
    let moved: Value = json!({
        "title": "Taken over", "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T10:30:00+01:00", "timezone": "Europe/Berlin"
    });
    let (status, _, _) = f
        .call_as(
            bob,
            Method::PUT,
            &format!("meetings/{id}"),
            Some(moved),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = f
        .call_as(dave, Method::GET, &format!("meetings/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Nothing changed; the host may delete it.
    assert_eq!(f.emulator.meetings()[0]["title"], "Team standup");
    let (status, _) = f
        .call(Method::DELETE, &format!("meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        titles(&f, bob, "meetingType=meetingSeries").await,
        ["Bob's review"]
    );
}
