//! Issue 14 part 5: the image cannot be built on the project's machines, so these tests check
//! what review would otherwise have to: the toolchain the manifests, the README and the
//! Dockerfile name is the one the locked dependencies need, the image runs as a non-root user
//! with its health check, and every variable the settings reader knows is documented.

use std::collections::BTreeSet;
use std::path::Path;
use webex_scheduler::settings::Settings;

fn repository_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `1.89` and `1.89.0` are the same toolchain.
fn version(text: &str) -> Version {
    let mut parts = text
        .trim()
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

/// A toolchain version, `(major, minor, patch)`.
type Version = (u64, u64, u64);

/// `cargo metadata` over the lock file: (workspace members' rust-version, the highest
/// rust-version among everything else it locks for Linux, and who asks for it). Filtered to the
/// image's platform so that it runs offline on a fresh machine, where the registry cache holds
/// only what a Linux build fetched (not Windows or Android crates).
fn toolchains() -> (Vec<(String, String)>, Version, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", "x86_64-unknown-linux-gnu"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{output:?}");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let mut own = Vec::new();
    let mut highest = ((0, 0, 0), String::new());
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap_or_default().to_string();
        let wanted = package["rust_version"].as_str().unwrap_or("").to_string();
        if members.contains(package["id"].as_str().unwrap_or_default()) {
            own.push((name, wanted));
        } else if !wanted.is_empty() && version(&wanted) > highest.0 {
            highest = (version(&wanted), format!("{name} {wanted}"));
        }
    }
    (own, highest.0, highest.1)
}

#[test]
fn manifests_readme_and_dockerfile_name_the_toolchain_the_lock_file_needs() {
    let (own, needed, asker) = toolchains();
    assert_eq!(own.len(), 3, "{own:?}");
    for (crate_name, stated) in &own {
        assert_eq!(
            version(stated),
            needed,
            "{crate_name} says rust-version {stated:?}; the locked {asker} needs it"
        );
    }
    let readme = repository_file("README.md");
    let stated = between(&readme, "You need a Rust toolchain (", " or later)")
        .expect("the README states the toolchain");
    assert_eq!(version(stated), needed, "README says {stated}; {asker}");

    let dockerfile = repository_file("Dockerfile");
    let base = dockerfile
        .lines()
        .find(|l| l.starts_with("FROM "))
        .expect("a FROM line");
    let image = between(base, "FROM rust:", "-").expect("a rust:<version>-<distro> image");
    assert_eq!(
        version(image),
        needed,
        "Dockerfile builds on {base}; {asker}"
    );
    assert!(
        dockerfile.contains("cargo build --release --locked"),
        "the image must build exactly the locked dependencies"
    );
}

#[test]
fn the_image_runs_unprivileged_with_its_own_health_check() {
    let dockerfile = repository_file("Dockerfile");
    let instructions: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .collect();
    let user = instructions
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER instruction");
    let uid = user.split(':').next().unwrap();
    let uid: u32 = uid.parse().expect("a numeric user, for runAsNonRoot");
    assert_ne!(uid, 0, "the image runs as root");
    let health = dockerfile
        .split("HEALTHCHECK")
        .nth(1)
        .expect("a HEALTHCHECK");
    let command = health.split("CMD").nth(1).unwrap().lines().next().unwrap();
    assert_eq!(command.trim(), r#"["webex-scheduler", "healthcheck"]"#);
    assert!(
        instructions
            .iter()
            .any(|l| l.starts_with("VOLUME") && l.contains("/var/lib/webex-scheduler")),
        "the one writable folder is a volume, so the root file system can be read-only"
    );
    let known = Settings::known_variables();
    let env_block = dockerfile
        .split("\nENV ")
        .nth(1)
        .expect("an ENV instruction");
    for line in env_block.lines() {
        let name = line.trim().split('=').next().unwrap();
        assert!(known.contains(name), "the Dockerfile sets unknown {name}");
        if !line.ends_with('\\') {
            break; // the instruction ends here
        }
    }
    let ignored = repository_file(".dockerignore");
    for needed in ["target/", ".git/", "data/"] {
        assert!(
            ignored.lines().any(|l| l.trim() == needed),
            "{needed} in .dockerignore"
        );
    }
}

#[test]
fn the_readme_documents_every_variable_the_settings_reader_knows_and_no_other() {
    let readme = repository_file("README.md");
    let table = readme
        .split("### Configuration (environment variables)")
        .nth(1)
        .expect("the configuration section");
    let documented: BTreeSet<String> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .flat_map(|row| {
            let first_cell = row.split('|').nth(1).unwrap_or_default();
            first_cell
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let known = Settings::known_variables();
    let undocumented: Vec<_> = known.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&known).collect();
    assert!(
        undocumented.is_empty(),
        "read but not in the README: {undocumented:?}"
    );
    assert!(unknown.is_empty(), "in the README, never read: {unknown:?}");
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(&text[from..to])
}
