//! Issue 14 part 2: health that orchestrators understand. `/livez` checks nothing outside the
//! process; `/readyz` fails (without the process stopping) while the database's schema is not
//! the one this build knows; `webex-scheduler healthcheck [--ready]` probes them for the image.

use crate::common::{TestApp, spawn_app};
use std::process::Output;

async fn status_and_body(app: &TestApp, path: &str) -> (u16, String) {
    let response = app
        .http
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Runs SQL on the bot's own database, as an operator restoring a backup or a newer
/// replica migrating it would.
async fn on_bot_database(app: &TestApp, sql: &str) {
    app.sql(sql).await;
}

async fn healthcheck(port: u16, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_webex-scheduler"));
    command
        .arg("healthcheck")
        .args(args)
        .env_clear()
        .env("LISTEN_ADDR", format!("0.0.0.0:{port}"));
    command.output().await.unwrap()
}

#[tokio::test]
async fn readiness_follows_the_schema_while_liveness_stays_up() {
    let app = spawn_app().await;
    assert_eq!(status_and_body(&app, "/livez").await, (200, "ok".into()));
    assert_eq!(
        status_and_body(&app, "/readyz").await,
        (200, "ready".into())
    );

    on_bot_database(&app, "DELETE FROM schema_migrations WHERE version = 6").await;
    let (status, body) = status_and_body(&app, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("migrations not applied: [6]"), "{body}");
    assert_eq!(status_and_body(&app, "/livez").await.0, 200);

    on_bot_database(
        &app,
        "INSERT INTO schema_migrations (version) VALUES (6), (999)",
    )
    .await;
    let (status, body) = status_and_body(&app, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("does not know: [999]"), "{body}");

    on_bot_database(&app, "DELETE FROM schema_migrations WHERE version = 999").await;
    assert_eq!(
        status_and_body(&app, "/readyz").await,
        (200, "ready".into())
    );
}

#[tokio::test]
async fn the_healthcheck_command_exits_by_what_the_bot_answers() {
    let app = spawn_app().await;
    let alive = healthcheck(app.port, &[]).await;
    assert!(alive.status.success(), "{alive:?}");
    assert!(String::from_utf8_lossy(&alive.stdout).contains("livez: ok"));
    let ready = healthcheck(app.port, &["--ready"]).await;
    assert!(ready.status.success(), "{ready:?}");

    on_bot_database(&app, "INSERT INTO schema_migrations (version) VALUES (999)").await;
    let not_ready = healthcheck(app.port, &["--ready"]).await;
    assert_eq!(not_ready.status.code(), Some(1), "{not_ready:?}");
    let said = String::from_utf8_lossy(&not_ready.stderr);
    assert!(said.contains("503") && said.contains("[999]"), "{said}");
    assert!(healthcheck(app.port, &[]).await.status.success());

    let port = app.port;
    drop(app);
    let gone = crate::common::eventually("the bot to stop", crate::common::WAIT, async || {
        let output = healthcheck(port, &[]).await;
        if output.status.success() {
            Err(output)
        } else {
            Ok(output)
        }
    })
    .await;
    assert_eq!(gone.status.code(), Some(1), "{gone:?}");
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no answer"));
}
