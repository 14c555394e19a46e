//! Separating "who is addressed" from "what is asked" in a Webex message.
//!
//! In a group space the bot only sees messages that mention it, and the mention is part of the
//! text. Webex clients encode it in several ways, so the bot tries, in order:
//! 1. the `html` markup `<spark-mention data-object-id="…">Name</spark-mention>`, where the id is
//!    either the bot's REST id (base64 of `ciscospark://…/PEOPLE/<uuid>`) or the bare UUID;
//! 2. the bot's display name at the start of `text`;
//! 3. its first name at the start of `text` (what Webex puts there for most clients).
//!
//! Mentions of other people stay in the text and are returned, so the grammar can take them as
//! invitees.

use base64::Engine;

/// A person mentioned in a message, as the command grammar needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PersonMention {
    pub person_id: String,
    /// How the mention reads in the message text.
    pub text: String,
}

/// The command text with the bot's mention removed, plus the other people mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Addressed {
    pub text: String,
    pub mentions: Vec<PersonMention>,
}

/// Removes the bot's mention from a message.
pub(crate) fn strip_bot_mention(
    text: &str,
    html: Option<&str>,
    bot_id: &str,
    bot_display_name: &str,
) -> Addressed {
    let tags = html.map(spark_mentions).unwrap_or_default();
    let (bot_tags, others): (Vec<_>, Vec<_>) = tags
        .into_iter()
        .partition(|m| same_person(&m.object_id, bot_id));
    let mentions = others
        .into_iter()
        .filter(|m| m.object_type == "person")
        .map(|m| PersonMention {
            person_id: m.object_id,
            text: m.text,
        })
        .collect();

    let mut candidates: Vec<String> = bot_tags.into_iter().map(|m| m.text).collect();
    candidates.push(bot_display_name.to_string());
    if let Some(first) = bot_display_name.split_whitespace().next() {
        candidates.push(first.to_string());
    }
    let text = strip_leading_name(text.trim(), &candidates)
        .unwrap_or(text.trim())
        .to_string();
    Addressed { text, mentions }
}

/// Strips the longest candidate name found at the start of `text`, case-insensitively, with
/// any punctuation people put after a name (`Scheduler, help`, `Scheduler: help`).
fn strip_leading_name<'a>(text: &'a str, candidates: &[String]) -> Option<&'a str> {
    let mut sorted: Vec<&String> = candidates.iter().filter(|c| !c.is_empty()).collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let text = text.strip_prefix('@').unwrap_or(text);
    sorted.into_iter().find_map(|name| {
        let head = text.get(..name.len())?;
        if !head.eq_ignore_ascii_case(name) {
            return None;
        }
        let rest = &text[name.len()..];
        // A name must end at a word boundary: "Schedulers" is not "Scheduler".
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some(rest.trim_start_matches([',', ':', ' ', '\u{a0}']).trim())
    })
}

#[derive(Debug)]
struct SparkMention {
    object_type: String,
    object_id: String,
    text: String,
}

/// Finds `<spark-mention …>…</spark-mention>` elements. The markup Webex produces is narrow
/// (attributes in double quotes, no nesting), so a scanner is enough; anything unexpected is
/// skipped rather than guessed at.
fn spark_mentions(html: &str) -> Vec<SparkMention> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<spark-mention") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let after = &rest[tag_end + 1..];
        let Some(close) = after.find("</spark-mention>") else {
            break;
        };
        found.push(SparkMention {
            object_type: attribute(tag, "data-object-type").unwrap_or_else(|| "person".into()),
            object_id: attribute(tag, "data-object-id").unwrap_or_default(),
            text: decode_entities(&after[..close]),
        });
        rest = &after[close..];
    }
    found
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Webex ids are base64 of `ciscospark://<region>/PEOPLE/<uuid>`; mentions sometimes carry only
/// the UUID. Two ids name the same person when their UUIDs match.
fn same_person(a: &str, b: &str) -> bool {
    a == b || person_uuid(a).is_some_and(|ua| person_uuid(b).is_some_and(|ub| ua == ub))
}

fn person_uuid(id: &str) -> Option<String> {
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(id.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.trim_end_matches('='))
        })
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let raw = decoded.as_deref().unwrap_or(id);
    let uuid = raw.rsplit('/').next()?;
    (uuid.len() == 36 && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .then(|| uuid.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "7e1b2f0a-1111-4c4c-9a9a-0123456789ab";

    fn bot_id() -> String {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .encode(format!("ciscospark://us/PEOPLE/{UUID}"))
    }

    #[test]
    fn html_mention_with_the_rest_id() {
        let html = format!(
            r#"<p><spark-mention data-object-type="person" data-object-id="{}">Scheduler</spark-mention> help</p>"#,
            bot_id()
        );
        let got = strip_bot_mention("Scheduler help", Some(&html), &bot_id(), "Scheduler Bot");
        assert_eq!(got.text, "help");
        assert!(got.mentions.is_empty());
    }

    #[test]
    fn html_mention_with_the_bare_uuid_and_a_nickname() {
        let html = format!(
            r#"<p><spark-mention data-object-type="person" data-object-id="{UUID}">Sched</spark-mention> list today</p>"#
        );
        let got = strip_bot_mention("Sched list today", Some(&html), &bot_id(), "Scheduler Bot");
        assert_eq!(got.text, "list today");
    }

    #[test]
    fn display_name_at_the_start_of_text_without_html() {
        let got = strip_bot_mention("Scheduler Bot help", None, &bot_id(), "Scheduler Bot");
        assert_eq!(got.text, "help");
    }

    #[test]
    fn first_name_at_the_start_of_text_without_html() {
        let got = strip_bot_mention("scheduler, help", None, &bot_id(), "Scheduler Bot");
        assert_eq!(got.text, "help");
    }

    #[test]
    fn a_direct_message_without_a_mention_is_left_alone() {
        let got = strip_bot_mention("  help me  ", None, &bot_id(), "Scheduler Bot");
        assert_eq!(got.text, "help me");
        let got = strip_bot_mention("Schedulers unite", None, &bot_id(), "Scheduler");
        assert_eq!(
            got.text, "Schedulers unite",
            "a longer word is not the name"
        );
    }

    #[test]
    fn other_people_mentioned_are_kept_as_invitee_references() {
        let html = format!(
            r#"<p><spark-mention data-object-type="person" data-object-id="{}">Scheduler</spark-mention> sync tomorrow 3pm with <spark-mention data-object-type="person" data-object-id="ANA">Ana &amp; Co</spark-mention> and <spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention></p>"#,
            bot_id()
        );
        let got = strip_bot_mention(
            "Scheduler sync tomorrow 3pm with Ana & Co and All",
            Some(&html),
            &bot_id(),
            "Scheduler Bot",
        );
        assert_eq!(got.text, "sync tomorrow 3pm with Ana & Co and All");
        assert_eq!(
            got.mentions,
            vec![PersonMention {
                person_id: "ANA".into(),
                text: "Ana & Co".into()
            }]
        );
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for html in [
            "<spark-mention",
            "<spark-mention data-object-id=\"x>",
            "<spark-mention a>b",
        ] {
            let got = strip_bot_mention("Scheduler help", Some(html), &bot_id(), "Scheduler");
            assert_eq!(got.text, "help");
        }
    }
}
