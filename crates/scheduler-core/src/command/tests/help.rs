//! The help text is generated from the command table and the clause topics; every example it
//! shows must parse, every alias must name its command, and docs/command-language.md must
//! carry the generated text (regenerate with `UPDATE_DOCS=1 cargo test --lib help`).

use super::{BERLIN, NOW, now};
use crate::command::lexicon::COMMANDS;
use crate::command::{Command, Context, TOPICS, help, help_examples, parse};

#[test]
fn every_example_in_the_help_parses() {
    let ctx = Context::new(now(NOW), BERLIN);
    for example in help_examples() {
        match parse(example, &ctx) {
            Ok(Command::NotACommand) => panic!("{example:?} is not a command"),
            Ok(_) => {}
            Err(refusal) => panic!("{example:?} is refused: {}", refusal.message),
        }
    }
}

#[test]
fn topic_examples_schedule_meetings() {
    let ctx = Context::new(now(NOW), BERLIN);
    for topic in TOPICS {
        for example in topic.examples {
            assert!(
                matches!(parse(example, &ctx), Ok(Command::Schedule(_))),
                "{example:?} ({})",
                topic.name
            );
        }
    }
}

#[test]
fn every_alias_names_its_command() {
    let ctx = Context::new(now(NOW), BERLIN);
    for spec in COMMANDS {
        for word in std::iter::once(&spec.name).chain(spec.aliases) {
            let command = match parse(word, &ctx) {
                Ok(command) => command,
                // Alone, the commands about one meeting ask which one.
                Err(r) if matches!(spec.name, "cancel" | "reschedule") => {
                    assert!(
                        r.message.starts_with("Which meeting?"),
                        "{word}: {}",
                        r.message
                    );
                    continue;
                }
                Err(r) => panic!("{word}: {}", r.message),
            };
            let name = match command {
                // A schedule command word alone asks for the form.
                Command::Form if spec.name == "schedule" => "schedule",
                other => other.name(),
            };
            assert_eq!(name, spec.name, "{word}");
        }
    }
}

#[test]
fn help_covers_every_command_and_topic() {
    let overview = help(None);
    for spec in COMMANDS {
        assert!(
            overview.contains(spec.usage),
            "{} missing from the overview",
            spec.name
        );
        assert!(help(Some(spec.name)).contains(spec.usage));
    }
    for topic in TOPICS {
        assert!(help(Some(topic.name)).contains(topic.title));
        assert!(help(Some("schedule")).contains(topic.title));
    }
    assert_eq!(help(Some("no such topic")), overview);
    assert!(help(Some("book")).contains("schedule"));
}

/// The part of docs/command-language.md between the markers for `name`.
fn generated_section(name: &str, body: &str) -> String {
    format!("<!-- generated: {name} -->\n{body}\n<!-- end: {name} -->")
}

#[test]
fn the_docs_carry_the_generated_help() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/command-language.md"
    );
    let mut docs = std::fs::read_to_string(path).expect("docs/command-language.md");
    let sections = [
        ("help", help(None)),
        ("help schedule", help(Some("schedule"))),
    ];
    let mut stale = Vec::new();
    for (name, body) in sections {
        let begin = format!("<!-- generated: {name} -->");
        let end = format!("<!-- end: {name} -->");
        let (Some(from), Some(to)) = (docs.find(&begin), docs.find(&end)) else {
            panic!("docs/command-language.md lacks the markers for {name:?}");
        };
        let wanted = generated_section(name, &body);
        if docs[from..to + end.len()] != wanted {
            stale.push(name);
            docs.replace_range(from..to + end.len(), &wanted);
        }
    }
    if !stale.is_empty() {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, docs).expect("write docs");
        } else {
            panic!(
                "docs/command-language.md is stale for {stale:?}; run UPDATE_DOCS=1 cargo test --lib help"
            );
        }
    }
}
