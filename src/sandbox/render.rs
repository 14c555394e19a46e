//! Shows a Webex message in a terminal: markdown as plain text, cards as their fields.

use serde_json::Value;
use webex_emulator::MessageInfo;

pub fn message(m: &MessageInfo) -> String {
    let mut out = String::new();
    let body = m.markdown.as_deref().or(m.text.as_deref()).unwrap_or("");
    out.push_str(&markdown(body));
    for card in &m.attachments {
        out.push('\n');
        out.push_str(&adaptive_card(card.get("content").unwrap_or(card)));
    }
    indent(&out)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Keeps markdown readable as plain text: emphasis markers and escapes go, structure stays.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_code = false;
    while let Some(c) = chars.next() {
        match c {
            // Inside a code span everything is literal (a password, a command to copy).
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            _ if in_code => out.push(c),
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '*' => {}
            c => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A card as a box of lines: text blocks, facts, inputs with their current values, buttons.
pub fn adaptive_card(card: &Value) -> String {
    let mut lines = vec!["┌─ card".to_string()];
    walk(card.get("body").unwrap_or(&Value::Null), &mut lines);
    let actions: Vec<String> = card
        .get("actions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("title")?.as_str())
                .map(|t| format!("[{t}]"))
                .collect()
        })
        .unwrap_or_default();
    if !actions.is_empty() {
        lines.push(format!("│ {}", actions.join(" ")));
    }
    lines.push("└─".into());
    lines.join("\n")
}

fn walk(node: &Value, lines: &mut Vec<String>) {
    if let Some(items) = node.as_array() {
        items.iter().for_each(|item| walk(item, lines));
        return;
    }
    let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
    let str_of = |key: &str| {
        node.get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match kind {
        "TextBlock" => lines.push(format!("│ {}", markdown(&str_of("text")))),
        "FactSet" => {
            for fact in node
                .get("facts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let title = fact.get("title").and_then(Value::as_str).unwrap_or("");
                let value = fact.get("value").and_then(Value::as_str).unwrap_or("");
                lines.push(format!("│ {title}: {}", markdown(value)));
            }
        }
        k if k.starts_with("Input.") => {
            let label = str_of("label");
            let value = node.get("value").map(plain).unwrap_or_default();
            if label.is_empty() {
                lines.push(format!("│ {}: [{value}]", str_of("id")));
            } else {
                lines.push(format!("│ {label} ({}): [{value}]", str_of("id")));
            }
        }
        _ => {}
    }
    for key in ["items", "columns", "body"] {
        if let Some(children) = node.get(key) {
            walk(children, lines);
        }
    }
}

/// Every input of a card with its current value, as a Webex client would submit them.
pub(crate) fn input_values(card: &Value) -> serde_json::Map<String, Value> {
    let mut values = serde_json::Map::new();
    collect_inputs(card.get("body").unwrap_or(&Value::Null), &mut values);
    values
}

fn collect_inputs(node: &Value, values: &mut serde_json::Map<String, Value>) {
    if let Some(items) = node.as_array() {
        items.iter().for_each(|item| collect_inputs(item, values));
        return;
    }
    let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
    if kind.starts_with("Input.")
        && let Some(id) = node.get("id").and_then(Value::as_str)
    {
        let value = node.get("value").map(plain).unwrap_or_default();
        values.insert(id.to_string(), Value::String(value));
    }
    for key in ["items", "columns", "body"] {
        if let Some(children) = node.get(key) {
            collect_inputs(children, values);
        }
    }
}

/// The first `[text](url)` link target in a markdown message.
pub(crate) fn first_link(markdown: &str) -> Option<String> {
    let start = markdown.find("](")? + 2;
    let end = start + markdown[start..].find(')')?;
    Some(markdown[start..end].to_string())
}

/// One line about an invitation e-mail: recipient, subject, calendar method, file. The
/// message is read with `mail-parser`, which unfolds and decodes headers as mail clients do.
pub(crate) fn mail_summary(raw: &str, path: &std::path::Path) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes());
    let to = message
        .as_ref()
        .and_then(|m| m.to())
        .and_then(|a| a.first())
        .map(|a| match (a.name(), a.address()) {
            (Some(name), Some(address)) => format!("{name} <{address}>"),
            (_, address) => address.unwrap_or_default().to_string(),
        })
        .unwrap_or_default();
    let subject = message
        .as_ref()
        .and_then(|m| m.subject())
        .unwrap_or_default()
        .to_string();
    let method = raw
        .split("method=")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
        })
        .unwrap_or_default();
    format!(
        "✉ invitation ({method}) to {to}: {subject}\n  {}",
        path.display()
    )
}

fn plain(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_show_text_facts_inputs_and_buttons() {
        let card = serde_json::json!({
            "type": "AdaptiveCard", "version": "1.3",
            "body": [
                {"type": "TextBlock", "text": "**Design review**"},
                {"type": "FactSet", "facts": [{"title": "When", "value": "Tue 3 Mar, 15:00-16:00"}]},
                {"type": "Container", "items": [{"type": "Input.Text", "id": "title", "label": "Title", "value": "Sync"}]}
            ],
            "actions": [{"type": "Action.Submit", "title": "Schedule"}, {"type": "Action.Submit", "title": "Cancel"}]
        });
        let text = adaptive_card(&card);
        assert!(text.contains("│ Design review"), "{text}");
        assert!(text.contains("│ When: Tue 3 Mar, 15:00-16:00"), "{text}");
        assert!(text.contains("│ Title (title): [Sync]"), "{text}");
        let inputs = input_values(&card);
        assert_eq!(inputs.get("title"), Some(&Value::String("Sync".into())));
        assert!(text.contains("[Schedule] [Cancel]"), "{text}");
    }

    #[test]
    fn links_and_mail_headers_are_found() {
        assert_eq!(
            first_link("go [here](http://x/y?a=1) now").as_deref(),
            Some("http://x/y?a=1")
        );
        assert_eq!(first_link("no link"), None);
        let raw = "To: Carol <carol@example.com>\r\nSubject: Invitation: Sync\r\nContent-Type: multipart/mixed\r\n\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n";
        let line = mail_summary(raw, std::path::Path::new("m.eml"));
        assert!(
            line.contains("(REQUEST) to Carol <carol@example.com>: Invitation: Sync"),
            "{line}"
        );
        // Folded before an encoded word, as lettre writes a long subject: the space stays.
        let folded = "To: bo@example.com\r\nSubject: Updated invitation: Review @ Tue 1 Dec 2026\r\n =?utf-8?b?MTU6MDDigJNXZWQ=?= 2 Dec\r\n\r\nbody";
        let line = mail_summary(folded, std::path::Path::new("m.eml"));
        assert!(
            line.contains(
                "to bo@example.com: Updated invitation: Review @ Tue 1 Dec 2026 15:00–Wed 2 Dec"
            ),
            "{line}"
        );
    }

    #[test]
    fn markdown_is_shown_without_markers_or_escapes() {
        assert_eq!(markdown("**Hi** \\<@all\\> `help`"), "Hi <@all> `help`");
        assert_eq!(markdown("is `Blue_42*x\\!`."), "is `Blue_42*x\\!`.");
    }
}
