//! Issue 14 part 4: admin controls. `ALLOWED_EMAIL_DOMAINS` decides whose commands are
//! answered; `admin …` works for the addresses in `ADMIN_EMAILS`, in a direct space only.

use crate::common::{TestApp, WAIT, eventually, spawn_app_with};

const NOT_ADMIN: &str = "Only the bot's admins can use `admin` commands.";
const NOT_DIRECT: &str = "Admin commands work only in a direct space with me.";
const EVERY_ADMIN_COMMAND: &[&str] = &[
    "admin status",
    "admin dead",
    "admin retry 1",
    "admin disconnect bob@example.com",
    "admin",
];

/// Says `text` in `room` and returns the bot's answer, without its support reference.
async fn answer(app: &TestApp, room: &str, text: &str) -> String {
    let before = app.bot_messages(room).len();
    app.say(room, text).await;
    let said = app.wait_for_bot_messages(room, before + 1).await;
    said[before].markdown.clone().unwrap_or_default()
}

async fn app_with(admins: &str, domains: Option<&str>) -> TestApp {
    let (admins, domains) = (admins.to_string(), domains.map(str::to_string));
    spawn_app_with(move |vars| {
        vars.insert("ADMIN_EMAILS".into(), admins);
        if let Some(domains) = domains {
            vars.insert("ALLOWED_EMAIL_DOMAINS".into(), domains);
        }
    })
    .await
}

#[tokio::test]
async fn someone_not_an_admin_is_refused_every_admin_command_in_one_line() {
    let app = app_with("boss@example.com", None).await;
    for command in EVERY_ADMIN_COMMAND {
        let reply = answer(&app, &app.direct, command).await;
        assert_eq!(reply, NOT_ADMIN, "{command}");
    }
    let group = answer(&app, &app.group, "@Scheduler admin status").await;
    assert_eq!(group, NOT_ADMIN);
}

#[tokio::test]
async fn an_admin_in_a_group_space_is_told_to_use_a_direct_space() {
    let app = app_with("Ana@Example.com", None).await;
    for command in EVERY_ADMIN_COMMAND {
        let reply = answer(&app, &app.group, &format!("@Scheduler {command}")).await;
        assert_eq!(reply, NOT_DIRECT, "{command}");
    }
}

#[tokio::test]
async fn an_admin_sees_the_status_and_the_dead_letters_and_retries_one() {
    let app = app_with("ana@example.com", None).await;
    let status = answer(&app, &app.direct, "admin status").await;
    assert!(status.contains("0 dead"), "{status}");
    assert!(status.contains("Linked people: 0"), "{status}");
    assert!(
        status.contains("(ok)"),
        "the startup webhook sync: {status}"
    );
    // Every call so far was made with the bot token (the emulator says whose token it was);
    // the status was written before the call that posted it.
    let bot_calls = app
        .emulator
        .requests()
        .iter()
        .filter(|r| r.subject == app.emulator.bot().id)
        .count()
        - 1;
    assert!(
        status.contains(&format!("bot tokens {bot_calls} requests")),
        "{bot_calls} bot calls: {status}"
    );
    assert!(status.contains("user tokens 0 requests"), "{status}");
    assert_eq!(
        answer(&app, &app.direct, "admin dead").await,
        "No dead letters."
    );

    // A job no handler knows is dead-lettered at once.
    let inserted = app
        .sql(
            "INSERT INTO jobs (kind, payload, queue_key, run_at, created_at, updated_at)
             VALUES ('no_such_kind', '{}', 'admin-test', 0, 0, 0) RETURNING id",
        )
        .await;
    let id: i64 = inserted[0][0].parse().unwrap();
    let attempts = async || -> (String, i64) {
        let rows = app
            .sql(&format!(
                "SELECT status, attempts FROM jobs WHERE id = {id}"
            ))
            .await;
        (rows[0][0].clone(), rows[0][1].parse().unwrap())
    };
    eventually("the job to die", WAIT, async || match attempts().await {
        (status, 1) if status == "dead" => Ok(()),
        other => Err(other),
    })
    .await;

    let dead = answer(&app, &app.direct, "admin dead").await;
    assert!(
        dead.contains(&format!("job {id}: no\\_such\\_kind, 1 attempts")),
        "{dead}"
    );
    assert!(dead.contains("unknown job kind"), "{dead}");
    let status = answer(&app, &app.direct, "admin status").await;
    assert!(status.contains("1 dead"), "{status}");

    let retried = answer(&app, &app.direct, &format!("admin retry {id}")).await;
    assert_eq!(retried, format!("Job {id} will run again now."));
    eventually("the job to run once more", WAIT, async || {
        match attempts().await {
            (status, 2) if status == "dead" => Ok(()),
            other => Err(other),
        }
    })
    .await;
    let missing = answer(&app, &app.direct, "admin retry 999999").await;
    assert_eq!(missing, "There is no dead job 999999 (see `admin dead`).");
    let usage = answer(&app, &app.direct, "admin reboot").await;
    assert!(usage.contains("`admin disconnect <email>`"), "{usage}");
    assert!(usage.starts_with("Admin commands: "), "{usage}");
}

#[tokio::test]
async fn people_outside_the_allowed_domains_are_told_why_and_nothing_else_happens() {
    let app = app_with("boss@acme.com", Some("acme.com, acme.de")).await;
    let profile_reads = app.calls(axum::http::Method::GET, "/v1/people/");
    for command in ["help", "schedule sync tomorrow 3pm", "admin status"] {
        let reply = answer(&app, &app.direct, command).await;
        assert_eq!(reply, "Sorry, I only work for people at acme.com, acme.de.");
    }
    app.wait_until_settled().await;
    assert!(app.meetings().is_empty());
    let after = app.calls(axum::http::Method::GET, "/v1/people/");
    assert_eq!(after, profile_reads, "no profile read");
}

#[tokio::test]
async fn an_admin_disconnects_a_person_by_address() {
    let app = app_with("ana@example.com", None).await;
    app.connect(&app.colleague.id).await;
    assert!(app.tokens_stored(&app.colleague.id).await);
    let done = answer(&app, &app.direct, "admin disconnect Bob@Example.com").await;
    assert_eq!(
        done,
        "Disconnected Bob@Example.com: their stored Webex tokens are deleted."
    );
    assert!(!app.tokens_stored(&app.colleague.id).await);
    let again = answer(&app, &app.direct, "admin disconnect bob@example.com").await;
    assert_eq!(
        again,
        "bob@example.com was not connected; nothing to delete."
    );
    let nobody = answer(&app, &app.direct, "admin disconnect eve@example.com").await;
    assert_eq!(nobody, "Webex knows nobody at eve@example.com.");
}

#[tokio::test]
async fn with_allowed_spaces_other_group_spaces_are_refused_and_direct_ones_answered() {
    let app = spawn_app_with(|vars| {
        vars.insert("ALLOWED_SPACES".into(), "some-other-room-id".into());
    })
    .await;
    let refused = answer(&app, &app.group, "@Scheduler help").await;
    assert_eq!(
        refused,
        "I'm not enabled in this space: ask your Webex Scheduler admin."
    );
    let help = answer(&app, &app.direct, "help").await;
    assert!(help.contains("schedule"), "{help}");
}

async fn app_with_outsiders(policy: &str) -> TestApp {
    let policy = policy.to_string();
    let app = spawn_app_with(move |vars| {
        vars.insert("ALLOWED_EMAIL_DOMAINS".into(), "example.com".into());
        vars.insert("INVITEES_OUTSIDE_DOMAINS".into(), policy);
    })
    .await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app
}

#[tokio::test]
async fn invitees_outside_the_allowed_domains_can_be_refused() {
    let app = app_with_outsiders("refuse").await;
    let reply = answer(
        &app,
        &app.direct,
        "schedule sync tomorrow 3pm with bob@example.com and eve@other.org",
    )
    .await;
    assert!(
        reply.starts_with("I can't invite people outside example.com: eve@other.org."),
        "{reply}"
    );
    app.wait_until_settled().await;
    assert!(app.meetings().is_empty(), "nothing scheduled");
}

#[tokio::test]
async fn invitees_outside_the_allowed_domains_can_be_invited_with_a_warning() {
    let app = app_with_outsiders("warn").await;
    let reply = answer(
        &app,
        &app.direct,
        "schedule sync tomorrow 3pm with eve@other.org",
    )
    .await;
    assert!(
        reply.contains("Note: eve@other.org is outside example.com."),
        "{reply}"
    );
    assert_eq!(app.meetings().len(), 1, "scheduled all the same");
}
