//! Webex's rules for an Adaptive Card attachment, as a pure function of the attachment.
//!
//! Webex renders Adaptive Cards up to version 1.3 and "cards may include up to five buttons
//! (actions)" (the *Buttons and Cards* guide). It publishes no size limit for a card, so the
//! emulator applies one of its own ([`MAX_CARD_BYTES`]), below what other chat platforms
//! document; real Webex may accept more, never (we assume) less. docs/emulator.md lists these
//! choices.

use serde_json::Value;

/// The newest Adaptive Cards version Webex renders.
pub const MAX_CARD_VERSION: (u64, u64) = (1, 3);
/// The most actions (buttons) a card may have, counted everywhere in the card.
pub const MAX_CARD_ACTIONS: usize = 5;
/// The largest attachment (`{"contentType", "content"}` as compact JSON) the emulator accepts.
/// Webex documents none; 24 KiB is below the smallest limit other platforms publish (25 KB).
pub const MAX_CARD_BYTES: usize = 24 * 1024;

/// Why an attachment is refused, in words for the error body; `Ok` when Webex would take it.
pub(crate) fn check(attachment: &Value) -> Result<(), String> {
    let content = attachment.get("content").unwrap_or(&Value::Null);
    check_version(content.get("version"))?;
    let actions = count_actions(content);
    if actions > MAX_CARD_ACTIONS {
        return Err(format!(
            "An Adaptive Card may have at most {MAX_CARD_ACTIONS} actions; this one has {actions}."
        ));
    }
    let bytes = serde_json::to_vec(attachment).map_or(usize::MAX, |b| b.len());
    if bytes > MAX_CARD_BYTES {
        return Err(format!(
            "The card attachment is {bytes} bytes; at most {MAX_CARD_BYTES} bytes are allowed."
        ));
    }
    Ok(())
}

fn check_version(version: Option<&Value>) -> Result<(), String> {
    let Some(version) = version else {
        return Err("The Adaptive Card has no version; Webex supports versions up to 1.3.".into());
    };
    let parsed = version.as_str().and_then(|v| {
        let (major, minor) = v.split_once('.')?;
        Some((major.parse::<u64>().ok()?, minor.parse::<u64>().ok()?))
    });
    match parsed {
        Some(v) if v <= MAX_CARD_VERSION => Ok(()),
        Some(_) => Err(format!(
            "Adaptive Card version {} is not supported; Webex supports versions up to 1.3.",
            version.as_str().unwrap_or_default()
        )),
        None => Err(format!(
            "The Adaptive Card version {version} is not a version like \"1.3\"."
        )),
    }
}

/// Every action in the card: its `actions`, those of `ActionSet` elements in its body, the
/// `selectAction` of any element, and those inside `Action.ShowCard` cards.
fn count_actions(value: &Value) -> usize {
    match value {
        Value::Object(map) => {
            let here = map
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("Action."));
            usize::from(here) + map.values().map(count_actions).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_actions).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn card(version: Value, actions: usize) -> Value {
        let actions: Vec<Value> = (0..actions)
            .map(|i| json!({"type": "Action.Submit", "title": format!("B{i}")}))
            .collect();
        json!({
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": version, "body": [], "actions": actions}
        })
    }

    #[test]
    fn versions_up_to_1_3_pass_and_later_or_missing_ones_do_not() {
        for ok in ["1.0", "1.2", "1.3"] {
            assert_eq!(check(&card(json!(ok), 1)), Ok(()), "{ok}");
        }
        for bad in [
            json!("1.4"),
            json!("1.10"),
            json!("2.0"),
            json!("1"),
            json!(1.3),
        ] {
            assert!(check(&card(bad.clone(), 1)).is_err(), "{bad}");
        }
        let mut missing = card(json!("1.3"), 1);
        missing["content"]
            .as_object_mut()
            .unwrap()
            .remove("version");
        assert!(check(&missing).unwrap_err().contains("no version"));
    }

    #[test]
    fn five_actions_pass_and_a_sixth_anywhere_in_the_card_does_not() {
        assert_eq!(check(&card(json!("1.3"), 5)), Ok(()));
        assert!(check(&card(json!("1.3"), 6)).unwrap_err().contains("6"));
        let mut nested = card(json!("1.3"), 4);
        nested["content"]["body"] = json!([
            {"type": "ActionSet", "actions": [{"type": "Action.OpenUrl", "url": "https://x"}]},
            {"type": "Container", "items": [], "selectAction": {"type": "Action.Submit"}}
        ]);
        assert!(
            check(&nested).is_err(),
            "4 + 1 in an ActionSet + 1 selectAction"
        );
        let mut shown = card(json!("1.3"), 5);
        shown["content"]["actions"][0] = json!({"type": "Action.ShowCard", "card": {
            "type": "AdaptiveCard", "actions": [{"type": "Action.Submit"}]}});
        assert!(check(&shown).is_err(), "a ShowCard's own actions count too");
    }

    #[test]
    fn the_size_limit_counts_the_whole_attachment_as_compact_json() {
        let mut big = card(json!("1.3"), 1);
        let overhead = serde_json::to_vec(&big).unwrap().len() + r#","x":"""#.len();
        big["content"]["x"] = json!("a".repeat(MAX_CARD_BYTES - overhead));
        assert_eq!(serde_json::to_vec(&big).unwrap().len(), MAX_CARD_BYTES);
        assert_eq!(check(&big), Ok(()));
        big["content"]["x"] = json!("a".repeat(MAX_CARD_BYTES - overhead + 1));
        assert!(check(&big).unwrap_err().contains("bytes"));
    }
}
