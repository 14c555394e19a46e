//! The `Link` response header (RFC 8288) as far as pagination needs it.
//!
//! Webex promises only `rel="next"`, but a header may carry several links (`first`, `prev`,
//! `last`), a `rel` may hold several space-separated relation types, and a URL may itself contain
//! commas or semicolons inside its `<…>`. Splitting on commas naively picks the wrong URL, so this
//! walks the value once, respecting the angle brackets and quoted strings.

/// The target of the first link whose `rel` includes `next`, across every given header value.
pub(crate) fn next_link<'a>(header_values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    header_values
        .into_iter()
        .flat_map(links)
        .find(|link| link.has_rel("next"))
        .map(|link| link.target)
}

#[derive(Debug, PartialEq)]
struct Link {
    target: String,
    rels: Vec<String>,
}

impl Link {
    fn has_rel(&self, wanted: &str) -> bool {
        self.rels.iter().any(|rel| rel.eq_ignore_ascii_case(wanted))
    }
}

fn links(value: &str) -> Vec<Link> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after_open = &rest[open + 1..];
        let Some(close) = after_open.find('>') else {
            break;
        };
        let target = after_open[..close].trim().to_owned();
        let (params, remainder) = split_params(&after_open[close + 1..]);
        found.push(Link {
            target,
            rels: rel_values(params),
        });
        rest = remainder;
    }
    found
}

/// Splits `; rel="next", <…>` into this link's parameters and the rest of the header, treating
/// a comma inside a quoted string as part of the parameter.
fn split_params(input: &str) -> (&str, &str) {
    let mut in_quotes = false;
    for (i, c) in input.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => return (&input[..i], &input[i + 1..]),
            _ => {}
        }
    }
    (input, "")
}

fn rel_values(params: &str) -> Vec<String> {
    params
        .split(';')
        .filter_map(|param| param.split_once('='))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("rel"))
        .flat_map(|(_, value)| {
            value
                .trim()
                .trim_matches('"')
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_next_link_is_followed() {
        let header =
            r#"<https://webexapis.com/v1/memberships?roomId=R&max=2&cursor=abc>; rel="next""#;
        assert_eq!(
            next_link([header]).as_deref(),
            Some("https://webexapis.com/v1/memberships?roomId=R&max=2&cursor=abc")
        );
    }

    #[test]
    fn next_is_picked_among_several_links_in_any_order() {
        let header = r#"<https://x/v1/a?page=1>; rel="first", <https://x/v1/a?page=9>; rel="last", <https://x/v1/a?page=3>; rel="next", <https://x/v1/a?page=1>; rel="prev""#;
        assert_eq!(
            next_link([header]).as_deref(),
            Some("https://x/v1/a?page=3")
        );
    }

    #[test]
    fn next_is_found_in_a_later_header_value() {
        let values = [
            r#"<https://x/v1/a?p=1>; rel="first""#,
            r#"<https://x/v1/a?p=2>; rel=next"#,
        ];
        assert_eq!(next_link(values).as_deref(), Some("https://x/v1/a?p=2"));
    }

    #[test]
    fn commas_and_semicolons_inside_the_url_or_a_quoted_param_do_not_split_links() {
        let header = r#"<https://x/v1/a?ids=1,2;3>; title="a, b"; rel="prev", <https://x/v1/a?ids=4,5>; rel="next""#;
        assert_eq!(
            next_link([header]).as_deref(),
            Some("https://x/v1/a?ids=4,5")
        );
    }

    #[test]
    fn a_rel_with_several_types_counts_for_each() {
        let header = r#"<https://x/v1/a?p=2>; rel="next last""#;
        assert_eq!(next_link([header]).as_deref(), Some("https://x/v1/a?p=2"));
    }

    #[test]
    fn no_next_means_the_last_page() {
        assert_eq!(next_link([r#"<https://x/v1/a?p=1>; rel="first""#]), None);
        assert_eq!(next_link([""]), None);
        assert_eq!(next_link(["garbage without brackets; rel=next"]), None);
        assert_eq!(next_link(std::iter::empty()), None);
    }

    #[test]
    fn relation_types_compare_case_insensitively() {
        assert_eq!(
            next_link([r#"<https://x/v1/a?p=2>; REL="Next""#]).as_deref(),
            Some("https://x/v1/a?p=2")
        );
    }
}
