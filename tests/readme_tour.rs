//! The README's sandbox tour is a test, so it cannot break unnoticed: the lines of the code
//! block under "Two commands" are typed, in order, into `webex-scheduler sandbox --script`, and
//! each answer must be the one the README promises. Every step is checked and every broken one
//! reported, with the whole transcript.

use crate::sandbox::run_script;

/// What no answer in the tour may say: a refusal, a lost meeting, a failure, or the chat's own
/// complaints about a line it could not carry out.
const NEVER: &[&str] = &[
    "I couldn't read",
    "Did you mean",
    "no longer exists",
    "Type `list` first",
    "something went wrong",
    "I don't recognise",
    "(no button",
    "(no link",
    "(could not",
];

/// The tour as the README shows it: the first column of each line of the code block under
/// "## Two commands" (columns are two or more spaces apart); ` · ` separates commands typed
/// one after the other on one line.
fn tour() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## Two commands")
        .nth(1)
        .expect("a \"Two commands\" section");
    let block = section.split("```").nth(1).expect("a code block in it");
    block
        .lines()
        .filter_map(|line| line.split("  ").next())
        .flat_map(|commands| commands.split(" · "))
        .map(|command| command.trim().to_string())
        .filter(|command| !command.is_empty())
        .collect()
}

/// What the README promises each line of its tour brings (text that must appear in the answer),
/// or `None` for a line this test does not know: a new tour line needs its promise here.
fn promise(command: &str) -> Option<&'static [&'static str]> {
    Some(match command {
        "help" | "@Scheduler help" => &["Scheduler:\n  I schedule Webex meetings"],
        "connect" => &["[connect your Webex account](", "(type /follow"],
        "/follow" => &["(browser: 200", "You're connected"],
        "list" => &["Your meetings", "\n  1. "],
        "/press Schedule" => &["Scheduled: ", "✉ invitation (REQUEST)"],
        "/press Cancel meeting" => &["Cancelled ", "✉ invitation (CANCEL)"],
        "/press Preview" => &["Preview: ", "│ [Schedule] [Edit] [Cancel]"],
        "form" => &["Create a meeting", "│ [Preview] [Cancel]"],
        // The list goes to the asker alone; the group space is told so.
        "@Scheduler list" => &[
            "[group] Scheduler:\n  I sent you your meetings",
            "[direct] Scheduler:\n  Your meetings",
        ],
        "/group" | "/direct" | "/quit" => &[],
        c if c.starts_with("schedule ") => &["Preview: ", "│ [Schedule] [Edit] [Cancel]"],
        // With previews on (the default), a move is shown first, from when to when.
        c if c.starts_with("reschedule ") => &["│ [Confirm] [Keep]"],
        "/press Confirm" => &["Moved ", "Updated invitation"],
        c if c.starts_with("cancel ") => &["│ [Cancel meeting] [Keep it]"],
        c if c.starts_with("/set ") => &[" = \""],
        _ => return None,
    })
}

/// The transcript cut into the answer to each typed line (the sandbox echoes each line as
/// `[space] Ana> line`).
fn answers(transcript: &str) -> Vec<(String, String)> {
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in transcript.lines() {
        let typed = ["[direct] Ana> ", "[group] Ana> "]
            .iter()
            .find_map(|prompt| line.strip_prefix(prompt));
        match (typed, steps.last_mut()) {
            (Some(typed), _) => steps.push((typed.to_string(), String::new())),
            (None, Some((_, answer))) => {
                answer.push_str(line);
                answer.push('\n');
            }
            (None, None) => {}
        }
    }
    steps
}

/// What is wrong with one step's answer, if anything.
fn check(command: &str, answer: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    match promise(command) {
        None => wrong.push("a tour line this test does not know: add its promise".into()),
        Some(expected) => {
            for text in expected {
                if !answer.contains(text) {
                    wrong.push(format!("missing {text:?}"));
                }
            }
        }
    }
    for text in NEVER {
        if answer.contains(text) {
            wrong.push(format!("says {text:?}"));
        }
    }
    if command == "connect" && answer.matches("Scheduler:").count() != 1 {
        wrong.push("connect answers with one message".into());
    }
    if command == "@Scheduler list" {
        let in_group = answer
            .split("\n[")
            .filter(|message| message.starts_with("group] Scheduler:"));
        if in_group.clone().count() != 1 || in_group.clone().any(|m| m.contains("1. ")) {
            wrong.push("the group space gets one line and no meetings".into());
        }
    }
    wrong
}

#[test]
fn the_readme_tour_runs_as_written() {
    let tour = tour();
    assert!(
        tour.len() >= 10 && tour[0] == "help",
        "the tour was found: {tour:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let transcript = run_script(dir.path(), &format!("{}\n", tour.join("\n")));
    println!("{transcript}");
    let steps = answers(&transcript);
    let typed: Vec<&str> = steps.iter().map(|(typed, _)| typed.as_str()).collect();
    assert_eq!(typed, tour, "every line was typed, in order:\n{transcript}");
    let broken: Vec<String> = steps
        .iter()
        .flat_map(|(command, answer)| {
            check(command, answer)
                .into_iter()
                .map(move |problem| format!("`{command}`: {problem}"))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "the README's tour breaks:\n- {}\n\ntranscript:\n{transcript}",
        broken.join("\n- ")
    );
}
