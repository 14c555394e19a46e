//! Shows a Webex message in a terminal: markdown as plain text, cards as their fields.

use crate::emulator::MessageInfo;
use serde_json::Value;

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
    while let Some(c) = chars.next() {
        match c {
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
            let label = if str_of("label").is_empty() {
                str_of("id")
            } else {
                str_of("label")
            };
            lines.push(format!(
                "│ {label}: [{}]",
                node.get("value").map(plain).unwrap_or_default()
            ));
        }
        _ => {}
    }
    for key in ["items", "columns", "body"] {
        if let Some(children) = node.get(key) {
            walk(children, lines);
        }
    }
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
        assert!(text.contains("│ Title: [Sync]"), "{text}");
        assert!(text.contains("[Schedule] [Cancel]"), "{text}");
    }

    #[test]
    fn markdown_is_shown_without_markers_or_escapes() {
        assert_eq!(markdown("**Hi** \\<@all\\> `help`"), "Hi <@all> `help`");
    }
}
