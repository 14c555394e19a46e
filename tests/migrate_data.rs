//! `webex-scheduler migrate-data` moves a deployment from its SQLite file to the database of
//! several replicas (PostgreSQL in the PostgreSQL pass), and refuses a wrong URL clearly.

use crate::common;

use std::process::Command;
use webex_scheduler::store::{Store, TokenRow};

fn migrate(from: &str, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .args(["migrate-data", "--from", from, "--to", to])
        .env_clear()
        .output()
        .expect("the command runs")
}

#[tokio::test]
async fn migrate_data_copies_a_linked_account_to_the_new_database() {
    let old = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}/old.db", old.path().display());
    let source = Store::connect(&from).await.unwrap();
    let tokens = TokenRow {
        person_id: "P1".into(),
        key_id: "k1".into(),
        access_token: "sealed-access".into(),
        refresh_token: Some("sealed-refresh".into()),
        access_expires_at_ms: 1_000,
        scopes: "meeting:schedules_write".into(),
    };
    source.save_tokens(&tokens, 1).await.unwrap();
    source
        .record_mail_sent("<m1@example.com>", 2)
        .await
        .unwrap();
    drop(source);

    let new = tempfile::tempdir().unwrap();
    let to = common::database_url(new.path());
    let output = migrate(&from, &to);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("tokens") && stdout.contains("1 new"),
        "{stdout}"
    );
    assert!(!stdout.contains(&to), "the URL is not printed");
    let target = Store::connect(&to).await.unwrap();
    assert_eq!(target.load_tokens("P1").await.unwrap(), Some(tokens));
    assert!(target.mail_was_sent("<m1@example.com>").await.unwrap());
    drop(target);
    common::database::release(new.path());
}

#[test]
fn migrate_data_refuses_an_unknown_scheme_with_a_clear_message() {
    let output = migrate("sqlite::memory:", "mysql://bot:hunter2@db/scheduler");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("sqlite: or postgres:"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "no password in the message: {stderr}"
    );
}
