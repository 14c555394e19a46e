//! How Webex encodes mentions, in both directions the emulator needs:
//!
//! * a person typing `@Alice hi` in a client: the stored `text` keeps `Alice hi`, `html` wraps the
//!   name in `<spark-mention>` and `mentionedPeople` lists the id;
//! * an API caller writing markdown tokens like `<@personEmail:a@x.com|Alice>`.

use super::state::Person;

/// The three encodings of one message's mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub html: String,
    pub mentioned_people: Vec<String>,
    pub mentioned_groups: Vec<String>,
}

impl Rendered {
    fn push_plain(&mut self, s: &str) {
        self.text.push_str(s);
        self.html.push_str(&escape_html(s));
    }

    fn push_person(&mut self, id: &str, shown: &str) {
        self.text.push_str(shown);
        self.html.push_str(&format!(
            "<spark-mention data-object-type=\"person\" data-object-id=\"{}\">{}</spark-mention>",
            escape_html(id),
            escape_html(shown)
        ));
        if !self.mentioned_people.iter().any(|p| p == id) {
            self.mentioned_people.push(id.to_string());
        }
    }

    fn push_all(&mut self, shown: &str) {
        self.text.push_str(shown);
        self.html.push_str(&format!(
            "<spark-mention data-object-type=\"groupMention\" data-group-type=\"all\">{}</spark-mention>",
            escape_html(shown)
        ));
        if self.mentioned_groups.is_empty() {
            self.mentioned_groups.push("all".to_string());
        }
    }

    fn finish(mut self) -> Self {
        self.html = format!("<p>{}</p>", self.html);
        self
    }
}

pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders what a person typed in a client. `@Name` (a member's display name, or first name)
/// becomes a mention only at the start of the text or after whitespace, so e-mail addresses
/// stay text. The longest matching name wins.
pub fn from_typed(typed: &str, members: &[&Person]) -> Rendered {
    let mut out = Rendered::default();
    let mut rest = typed;
    let mut at_boundary = true;
    while let Some(ch) = rest.chars().next() {
        if ch == '@' && at_boundary {
            let after = &rest[1..];
            if let Some(len) = group_mention_len(after) {
                out.push_all(&after[..len]);
                rest = &after[len..];
                at_boundary = false;
                continue;
            }
            if let Some((person, len)) = longest_name_at(after, members) {
                out.push_person(&person.id, &after[..len]);
                rest = &after[len..];
                at_boundary = false;
                continue;
            }
        }
        let len = ch.len_utf8();
        out.push_plain(&rest[..len]);
        at_boundary = ch.is_whitespace();
        rest = &rest[len..];
    }
    out.finish()
}

fn group_mention_len(s: &str) -> Option<usize> {
    let candidate = s.get(..3)?;
    (candidate.eq_ignore_ascii_case("all") && ends_at_word_boundary(s, 3)).then_some(3)
}

fn longest_name_at<'p>(s: &str, members: &[&'p Person]) -> Option<(&'p Person, usize)> {
    members
        .iter()
        .flat_map(|p| [(*p, p.display_name.as_str()), (*p, p.first_name())])
        .filter(|(_, name)| !name.is_empty())
        .filter(|(_, name)| {
            s.get(..name.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name))
                && ends_at_word_boundary(s, name.len())
        })
        .max_by_key(|(_, name)| name.len())
        .map(|(person, name)| (person, name.len()))
}

fn ends_at_word_boundary(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Renders API markdown: `<@personId:ID>`, `<@personId:ID|Name>`, `<@personEmail:E>`,
/// `<@personEmail:E|Name>` and `<@all>`. Unknown people are left as literal text, which is
/// how a mistyped token looks to readers in Webex too.
pub fn from_markdown(markdown: &str, lookup: impl Fn(&str, &str) -> Option<Person>) -> Rendered {
    let mut out = Rendered::default();
    let mut rest = markdown;
    while let Some(start) = rest.find("<@") {
        out.push_plain(&rest[..start]);
        let token_and_more = &rest[start..];
        let Some(end) = token_and_more.find('>') else {
            out.push_plain(token_and_more);
            rest = "";
            break;
        };
        let inner = &token_and_more[2..end];
        match resolve_token(inner, &lookup) {
            Some(Token::All) => out.push_all("All"),
            Some(Token::Person(person, shown)) => out.push_person(&person.id, &shown),
            None => out.push_plain(&token_and_more[..=end]),
        }
        rest = &token_and_more[end + 1..];
    }
    out.push_plain(rest);
    out.finish()
}

enum Token {
    All,
    Person(Person, String),
}

fn resolve_token(inner: &str, lookup: &impl Fn(&str, &str) -> Option<Person>) -> Option<Token> {
    if inner == "all" {
        return Some(Token::All);
    }
    let (kind, rest) = inner.split_once(':')?;
    let (key, shown) = match rest.split_once('|') {
        Some((key, shown)) => (key, Some(shown)),
        None => (rest, None),
    };
    let person = lookup(kind, key)?;
    let shown = shown.map_or_else(|| person.display_name.clone(), str::to_string);
    Some(Token::Person(person, shown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::PersonKind;

    fn person(id: &str, name: &str) -> Person {
        Person {
            id: id.into(),
            display_name: name.into(),
            email: format!("{id}@example.com"),
            timezone: None,
            kind: PersonKind::Person,
            created: chrono::Utc::now(),
        }
    }

    #[test]
    fn typed_mentions_keep_the_name_in_text_and_tag_it_in_html() {
        let bot = person("BOT", "Scheduler");
        let alice = person("ALICE", "Alice Example");
        let r = from_typed(
            "@Scheduler schedule standup with @Alice Example & bob@x.com",
            &[&bot, &alice],
        );
        assert_eq!(
            r.text,
            "Scheduler schedule standup with Alice Example & bob@x.com"
        );
        assert_eq!(
            r.mentioned_people,
            vec!["BOT".to_string(), "ALICE".to_string()]
        );
        assert_eq!(
            r.html,
            "<p><spark-mention data-object-type=\"person\" data-object-id=\"BOT\">Scheduler</spark-mention> \
             schedule standup with <spark-mention data-object-type=\"person\" data-object-id=\"ALICE\">Alice Example\
             </spark-mention> &amp; bob@x.com</p>"
        );
    }

    #[test]
    fn first_names_mention_too_but_partial_words_do_not() {
        let alice = person("ALICE", "Alice Example");
        let r = from_typed("@Alice hi, @Alicexyz and @Bob", &[&alice]);
        assert_eq!(r.mentioned_people, vec!["ALICE".to_string()]);
        assert_eq!(r.text, "Alice hi, @Alicexyz and @Bob");
    }

    #[test]
    fn at_all_is_a_group_mention() {
        let r = from_typed("@all standup moved", &[]);
        assert_eq!(r.mentioned_groups, vec!["all".to_string()]);
        assert!(r.html.contains("data-group-type=\"all\""), "{}", r.html);
        assert!(r.mentioned_people.is_empty());
    }

    #[test]
    fn markdown_tokens_resolve_by_id_and_email() {
        let alice = person("ALICE", "Alice Example");
        let lookup = |kind: &str, key: &str| match (kind, key) {
            ("personId", "ALICE") | ("personEmail", "ALICE@example.com") => Some(alice.clone()),
            _ => None,
        };
        let r = from_markdown(
            "Booked for <@personId:ALICE|Alice> and <@personEmail:ALICE@example.com>; <@personId:NOBODY>",
            lookup,
        );
        assert_eq!(
            r.text,
            "Booked for Alice and Alice Example; <@personId:NOBODY>"
        );
        assert_eq!(r.mentioned_people, vec!["ALICE".to_string()]);
        assert!(r.html.contains("&lt;@personId:NOBODY&gt;"), "{}", r.html);
    }
}
