//! Bare names after `with` ("lunch with bob friday noon"): in a group space, the member so
//! called, as if mentioned; otherwise a plain note that the person is not invited.
//!
//! A name matches a member whose display name it is, else whose first name (the display name's
//! first word) it is, ignoring case. Exactly one such member is that person; none, or several,
//! and nobody is guessed at: the note says so, and for several, who it could be. The host and
//! bots are never candidates. In a direct space there are no members to ask, so every name gets
//! the note. Grammar side: `scheduler_core::command` (`Who::Name`).

use crate::webex::Membership;

/// Someone a name may stand for: a human member of the space other than the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub display_name: String,
    pub email: String,
}

/// The members a name may stand for: humans with an address, not the host (display names
/// with single spaces).
pub(crate) fn candidates(members: &[Membership], host_id: &str) -> Vec<Candidate> {
    members
        .iter()
        .filter(|m| !m.is_bot() && m.person_id != host_id)
        .filter_map(|m| {
            Some(Candidate {
                display_name: words(m.person_display_name.as_deref()?),
                email: m.person_email.clone()?,
            })
        })
        .collect()
}

/// Who a name stands for among the candidates: by display name, else by first name.
pub(crate) fn matching<'a>(name: &str, candidates: &'a [Candidate]) -> Vec<&'a Candidate> {
    let name = words(name).to_lowercase();
    let by = |pick: &dyn Fn(&Candidate) -> &str| -> Vec<&'a Candidate> {
        candidates
            .iter()
            .filter(|c| pick(c).to_lowercase() == name)
            .collect()
    };
    let full = by(&|c| c.display_name.as_str());
    if !full.is_empty() {
        return full;
    }
    by(&|c| c.display_name.split(' ').next().unwrap_or_default())
}

/// White space made single spaces.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The note for a name that is nobody's, or several people's (plain text; escape to show).
pub(crate) fn not_invited(name: &str, matches: &[&Candidate], in_group: bool) -> String {
    if !in_group {
        return format!("{name} is not invited: write an e-mail address.");
    }
    if matches.len() < 2 {
        return format!("{name} is not invited: write an e-mail address or @mention.");
    }
    let people: Vec<String> = matches
        .iter()
        .map(|c| format!("{} ({})", c.display_name, c.email))
        .collect();
    let (last, rest) = people.split_last().expect("two or more");
    format!(
        "{name} is not invited: it could be {} or {last}; write an e-mail address or @mention.",
        rest.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, name: &str, email: &str) -> Membership {
        serde_json::from_value(serde_json::json!({
            "personId": id,
            "personDisplayName": name,
            "personEmail": email,
        }))
        .unwrap()
    }

    fn space() -> Vec<Candidate> {
        candidates(
            &[
                member("HOST", "Ana Lopez", "ana@example.com"),
                member("B1", "Bob Smith", "bob@example.com"),
                member("B2", "Bob  Jones", "bj@example.com"),
                member("C1", "carol", "carol@example.com"),
                member("BOT", "Scheduler", "scheduler@webex.bot"),
            ],
            "HOST",
        )
    }

    #[test]
    fn the_host_and_bots_are_never_candidates() {
        let names: Vec<String> = space().into_iter().map(|c| c.display_name).collect();
        assert_eq!(names, ["Bob Smith", "Bob Jones", "carol"]);
    }

    #[test]
    fn a_display_name_wins_over_first_names() {
        let space = space();
        let emails = |name: &str| -> Vec<&str> {
            matching(name, &space)
                .iter()
                .map(|c| c.email.as_str())
                .collect()
        };
        assert_eq!(emails("bob smith"), ["bob@example.com"]);
        assert_eq!(emails("Bob Jones"), ["bj@example.com"], "spaces are spaces");
        assert_eq!(emails("CAROL"), ["carol@example.com"]);
        assert_eq!(emails("bob"), ["bob@example.com", "bj@example.com"]);
        assert!(emails("ana").is_empty(), "the host is not a candidate");
        assert!(
            emails("smith").is_empty(),
            "a last name alone is no first name"
        );
    }

    #[test]
    fn the_note_says_who_it_could_be() {
        let space = space();
        let two = matching("bob", &space);
        assert_eq!(
            not_invited("bob", &two, true),
            "bob is not invited: it could be Bob Smith (bob@example.com) or Bob Jones \
             (bj@example.com); write an e-mail address or @mention."
        );
        assert_eq!(
            not_invited("dave", &[], true),
            "dave is not invited: write an e-mail address or @mention."
        );
        assert_eq!(
            not_invited("bob", &two, false),
            "bob is not invited: write an e-mail address."
        );
    }
}
