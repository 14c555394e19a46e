//! The `docker-compose.yml` example stays honest without pulling a container (none can be
//! pulled on these machines): each replica's environment, with its `${…}` secrets filled in,
//! is accepted by `webex-scheduler check-config`, every replica gets the same configuration on
//! PostgreSQL, and the reverse proxy sends traffic to every replica. The YAML is read with
//! PyYAML (tests/peers/requirements.txt; skipped locally when missing, a failure in CI).

use crate::peers as harness;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The compose file as JSON, through the peers' Python (or the system's) and PyYAML.
fn compose_file() -> Option<Value> {
    let venv = std::env::var_os("PEERS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv"));
    let pythons = [venv.join("bin/python"), PathBuf::from("python3")];
    let script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)";
    let file = repo().join("docker-compose.yml");
    let parsed = pythons.iter().find_map(|python| {
        let output = Command::new(python)
            .args(["-c", script])
            .arg(&file)
            .output()
            .ok()?;
        output.status.success().then_some(output.stdout)
    });
    if !harness::available("PyYAML (a Python with `import yaml`)", parsed.is_some()) {
        return None;
    }
    Some(serde_json::from_slice(&parsed?).expect("PyYAML writes JSON"))
}

/// Example values for the secrets the file takes from `.env`, in the forms the bot requires.
fn secrets() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("POSTGRES_PASSWORD", "example-database-password"),
        ("WEBEX_BOT_TOKEN", "example-bot-token"),
        ("WEBEX_WEBHOOK_SECRET", "example-webhook-secret-0123456789"),
        ("WEBEX_CLIENT_ID", "example-client-id"),
        ("WEBEX_CLIENT_SECRET", "example-client-secret"),
        (
            "TOKEN_ENCRYPTION_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ),
        ("SMTP_URL", "smtp://mail.example.com:587"),
    ])
}

/// `${NAME}` replaced by the secret's example value; an unknown name is a failure.
fn interpolate(value: &str) -> String {
    let mut out = value.to_string();
    while let Some(start) = out.find("${") {
        let end = start + out[start..].find('}').expect("closed ${");
        let name = &out[start + 2..end];
        let secret = secrets()
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a documented secret"))
            .to_string();
        out.replace_range(start..=end, &secret);
    }
    out
}

fn check_config(environment: &BTreeMap<String, String>) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .arg("check-config")
        .env_clear()
        .envs(environment)
        .output()
        .expect("check-config runs");
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

#[test]
fn every_replica_of_the_compose_example_passes_check_config_on_one_postgres() {
    let Some(compose) = compose_file() else {
        return;
    };
    let services = compose["services"].as_object().expect("services");
    let replicas: Vec<(&String, BTreeMap<String, String>)> = services
        .iter()
        .filter(|(_, s)| {
            s["command"]
                .as_array()
                .is_some_and(|c| c.contains(&"serve".into()))
        })
        .map(|(name, s)| {
            let environment = s["environment"].as_object().expect("environment");
            let environment = environment
                .iter()
                .map(|(k, v)| (k.clone(), interpolate(v.as_str().expect("text"))))
                .collect();
            (name, environment)
        })
        .collect();
    assert!(replicas.len() >= 2, "several replicas: {replicas:?}");
    for (name, environment) in &replicas {
        let (valid, said) = check_config(environment);
        assert!(valid, "{name}: {said}");
        assert!(
            said.contains("database:           postgres://"),
            "{name}: {said}"
        );
        assert_eq!(
            environment, &replicas[0].1,
            "{name} has the same configuration"
        );
    }
    let database = &replicas[0].1["DATABASE_URL"];
    let host = database
        .split('@')
        .nth(1)
        .and_then(|h| h.split(':').next())
        .unwrap();
    assert!(
        services.contains_key(host),
        "the database service {host} is in the file"
    );

    let caddyfile = std::fs::read_to_string(repo().join("deploy/Caddyfile")).unwrap();
    for (name, _) in &replicas {
        assert!(
            caddyfile.contains(&format!("{name}:8080")),
            "the proxy reaches {name}"
        );
    }
    let mounted = services["proxy"]["volumes"].as_array().unwrap();
    assert!(
        mounted
            .iter()
            .any(|v| v.as_str().unwrap().starts_with("./deploy/Caddyfile:"))
    );
    assert!(
        Path::new(&repo().join("Dockerfile")).exists(),
        "build: . has a Dockerfile"
    );
}

#[test]
fn check_config_refuses_a_replica_whose_database_url_names_no_engine() {
    let mut environment: BTreeMap<String, String> = BTreeMap::from([
        ("PUBLIC_URL".into(), "https://scheduler.example.com".into()),
        ("WEBEX_BOT_TOKEN".into(), "example-bot-token".into()),
        (
            "WEBEX_WEBHOOK_SECRET".into(),
            "example-webhook-secret-0123456789".into(),
        ),
        (
            "TOKEN_ENCRYPTION_KEY".into(),
            secrets()["TOKEN_ENCRYPTION_KEY"].into(),
        ),
    ]);
    environment.insert(
        "DATABASE_URL".into(),
        "mysql://bot:hunter2@db/scheduler".into(),
    );
    let (valid, said) = check_config(&environment);
    assert!(!valid, "{said}");
    assert!(said.contains("sqlite: or postgres:"), "{said}");
    assert!(!said.contains("hunter2"), "{said}");
}
