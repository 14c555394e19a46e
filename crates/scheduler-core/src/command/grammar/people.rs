//! Invitees and co-hosts: e-mail addresses, @mentions of people in the message, `everyone`.

use super::{PResult, Problem, backtrack, boundary, fail, kw, list_sep, sp1};
use crate::command::Mention;
use crate::command::lexicon::Kw;
use crate::schedule::Who;
use nom::Parser;
use nom::branch::alt;
use nom::combinator::{opt, peek, value};

/// People named by one clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct People {
    pub who: Vec<Who>,
    pub cohost: bool,
}

fn is_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c)
}

/// An e-mail address (`ana@acme.com`); a final period belongs to the sentence.
pub(crate) fn email(input: &str) -> PResult<'_, &str> {
    let bytes = input.as_bytes();
    let local = bytes.iter().take_while(|b| is_local_char(**b)).count();
    if local == 0 || bytes.get(local) != Some(&b'@') || bytes[0] == b'.' {
        return backtrack(input);
    }
    let domain_start = local + 1;
    let mut domain_len = bytes[domain_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'.')
        .count();
    while domain_len > 0 && bytes[domain_start + domain_len - 1] == b'.' {
        domain_len -= 1;
    }
    let domain = &input[domain_start..domain_start + domain_len];
    let labels_ok = domain.split('.').all(|l| !l.is_empty());
    let tld_ok = domain
        .rsplit_once('.')
        .is_some_and(|(_, tld)| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    if !labels_ok || !tld_ok {
        return backtrack(input);
    }
    let end = domain_start + domain_len;
    let rest = &input[end..];
    boundary(rest)?;
    Ok((rest, &input[..end]))
}

/// Webex mention markup, which `Command::to_text` writes: `<@personId:ID>`, `<@personId:ID|Name>`,
/// `<@personEmail:ana@acme.com>`.
fn markup(input: &str) -> PResult<'_, Who> {
    let (body, kind) = if let Some(b) = input.strip_prefix("<@personId:") {
        (b, true)
    } else if let Some(b) = input.strip_prefix("<@personEmail:") {
        (b, false)
    } else {
        return backtrack(input);
    };
    let Some(close) = body.find('>') else {
        return backtrack(input);
    };
    let inner = &body[..close];
    let value = inner.split('|').next().unwrap_or(inner).trim();
    if value.is_empty() || value.contains(char::is_whitespace) {
        return backtrack(input);
    }
    let rest = &body[close + 1..];
    boundary(rest)?;
    let who = if kind {
        Who::Mention {
            person_id: value.to_string(),
        }
    } else {
        match email(value) {
            Ok(("", address)) => Who::Email(address.to_string()),
            _ => return backtrack(input),
        }
    };
    Ok((rest, who))
}

/// A person mentioned in the message, by the text the mention shows (longest match).
fn mention<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, Who> {
    let body = input.strip_prefix('@').unwrap_or(input);
    let mut best: Option<(usize, &Mention)> = None;
    for m in mentions {
        let text = m.text.trim();
        if text.is_empty() || text.len() > body.len() {
            continue;
        }
        let Some(candidate) = body.get(..text.len()) else {
            continue;
        };
        if candidate.eq_ignore_ascii_case(text)
            && boundary(&body[text.len()..]).is_ok()
            && best.is_none_or(|(len, _)| text.len() > len)
        {
            best = Some((text.len(), m));
        }
    }
    match best {
        Some((len, m)) => Ok((
            &body[len..],
            Who::Mention {
                person_id: m.person_id.clone(),
            },
        )),
        None => backtrack(input),
    }
}

/// One person: an address, a mention, or (in a list after `with`/`cohost`) `everyone`.
fn who<'a>(input: &'a str, mentions: &[Mention], allow_everyone: bool) -> PResult<'a, Who> {
    if !mentions.is_empty()
        && let Ok(found) = mention(input, mentions)
    {
        return Ok(found);
    }
    if let Ok(found) = markup(input) {
        return Ok(found);
    }
    if let Ok((rest, address)) = email(input) {
        return Ok((rest, Who::Email(address.to_string())));
    }
    if allow_everyone {
        let body = input.strip_prefix('@').unwrap_or(input);
        if let Ok((rest, ())) = kw(Kw::Everyone)(body) {
            return Ok((rest, Who::Everyone));
        }
    }
    backtrack(input)
}

fn who_list<'a>(
    input: &'a str,
    mentions: &[Mention],
    allow_everyone: bool,
) -> PResult<'a, Vec<Who>> {
    let (mut rest, first) = who(input, mentions, allow_everyone)?;
    let mut list = vec![first];
    while let Ok((r, w)) = (list_sep, |i| who(i, mentions, allow_everyone))
        .map(|(_, w)| w)
        .parse(rest)
    {
        list.push(w);
        rest = r;
    }
    Ok((rest, list))
}

/// ` as cohost`, ` as co-hosts`.
fn as_cohost(input: &str) -> PResult<'_, ()> {
    let (rest, _) = (sp1, kw(Kw::As), sp1, kw(Kw::Cohost)).parse(input)?;
    Ok((rest, ()))
}

/// After a list, a separator before a following `cohost …` clause belongs to neither:
/// "with ana@acme.com and cohost bob@acme.com".
fn swallow_separator_before_cohost(input: &str) -> &str {
    match (list_sep, peek(kw(Kw::Cohost))).parse(input) {
        Ok((rest, _)) => rest,
        Err(_) => input,
    }
}

/// `with <who>…`, `invite <who>…`, `cohost <who>…`, each optionally followed by `as cohost`.
pub(crate) fn people_clause<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, People> {
    let (rest, cohost_word) = alt((
        value(false, kw(Kw::With)),
        value(false, kw(Kw::Invite)),
        value(true, kw(Kw::Cohost)),
    ))
    .parse(input)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (rest, _) = sp1(rest)?;
    let listed = who_list(rest, mentions, true);
    let (rest, who) = match listed {
        Ok(found) => found,
        Err(nom::Err::Error(_)) if cohost_word => return fail(input, Problem::NoCohost),
        Err(e) => return Err(e),
    };
    let (rest, as_co) = opt(as_cohost).parse(rest)?;
    let rest = swallow_separator_before_cohost(rest);
    Ok((
        rest,
        People {
            who,
            cohost: cohost_word || as_co.is_some(),
        },
    ))
}

/// Addresses and mentions written without `with`: also invitees.
pub(crate) fn bare_people<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, People> {
    let (rest, who) = who_list(input, mentions, false)?;
    let (rest, as_co) = opt(as_cohost).parse(rest)?;
    let rest = swallow_separator_before_cohost(rest);
    Ok((
        rest,
        People {
            who,
            cohost: as_co.is_some(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            email("ana@acme.com, bob").unwrap(),
            (", bob", "ana@acme.com")
        );
        assert_eq!(email("ana@acme.com.").unwrap(), (".", "ana@acme.com"));
        assert_eq!(
            email("first.last+x@mail.acme.co.uk").unwrap().1,
            "first.last+x@mail.acme.co.uk"
        );
        assert!(email("ana@acme").is_err());
        assert!(email("@acme.com").is_err());
        assert!(email("ana@@acme.com").is_err());
    }

    #[test]
    fn lists_and_cohosts() {
        let mentions = [Mention {
            person_id: "P1".into(),
            text: "Ana Lopez".into(),
        }];
        let (rest, p) = people_clause(
            "with Ana Lopez, bob@acme.com and everyone as cohosts now",
            &mentions,
        )
        .unwrap();
        assert_eq!(rest, " now");
        assert!(p.cohost);
        assert_eq!(
            p.who,
            [
                Who::Mention {
                    person_id: "P1".into()
                },
                Who::Email("bob@acme.com".into()),
                Who::Everyone
            ]
        );
        let (rest, p) = people_clause("with a@x.io and cohost b@x.io", &[]).unwrap();
        assert_eq!(rest, "cohost b@x.io");
        assert!(!p.cohost);
        assert!(matches!(
            people_clause("cohost tomorrow", &[]),
            Err(nom::Err::Failure(_))
        ));
        assert!(people_clause("with the team", &[]).is_err());
        let (_, p) = bare_people("<@personId:Y2lz|Ana> as cohost", &[]).unwrap();
        assert_eq!(
            p.who,
            [Who::Mention {
                person_id: "Y2lz".into()
            }]
        );
        assert!(p.cohost);
    }
}
