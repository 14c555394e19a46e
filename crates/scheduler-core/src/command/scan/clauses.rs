//! What is done with the clauses once read: each added once, parts of the day beside title
//! words given back to the title, a lone number promoted to the time, and the title's words
//! checked for near misses and unread time words.

use super::{Clause, Clauses, ScanError, Span, TitleWord, Weak, set_once};
use super::{End, Start};
use crate::command::grammar::Problem;
use crate::command::grammar::when::{DateClause, DateSpec};
use crate::command::spelling;
use crate::schedule::add_invitee;

impl<'a> Clauses<'a> {
    pub(super) fn add(
        &mut self,
        text: &'a str,
        clause: Clause<'a>,
        span: Span,
    ) -> Result<(), ScanError> {
        match clause {
            Clause::Date(d) => set_once(&mut self.date, d, span, text, "dates"),
            Clause::Start(s, zone) => {
                set_once(&mut self.start, s, span, text, "times")?;
                match zone {
                    Some(z) => set_once(&mut self.zone, z, span, text, "time zones"),
                    None => Ok(()),
                }
            }
            Clause::Range(a, b, zone) => {
                set_once(&mut self.start, Start::At(a), span, text, "times")?;
                set_once(&mut self.end, End::At(b), span, text, "end times")?;
                match zone {
                    Some(z) => set_once(&mut self.zone, z, span, text, "time zones"),
                    None => Ok(()),
                }
            }
            Clause::Weak(w) => {
                self.title_words.push(TitleWord {
                    text: &text[span.at..span.end],
                    span,
                    weak: Some(w),
                });
                Ok(())
            }
            Clause::End(e) => set_once(&mut self.end, e, span, text, "end times"),
            Clause::Zone(z) => set_once(&mut self.zone, z, span, text, "time zones"),
            Clause::Repeat(r) => match self.repeat {
                // "weekly sync every tuesday": two ways of saying one repeat.
                Some((first, first_span)) if first.merge(r).is_some() => {
                    self.repeat = first.merge(r).map(|m| (m, first_span));
                    Ok(())
                }
                _ => set_once(&mut self.repeat, r, span, text, "repeats"),
            },
            Clause::RepeatEnd(e) => {
                set_once(&mut self.repeat_end, e, span, text, "ends of the series")
            }
            Clause::People(p) => {
                self.people.get_or_insert(span);
                self.people_lists.push((span, p.cohost));
                for who in p.who {
                    add_invitee(&mut self.invitees, who, p.cohost);
                }
                Ok(())
            }
            Clause::Password(p) => set_once(&mut self.password, p, span, text, "passwords"),
            Clause::Agenda(a) => set_once(&mut self.agenda, a, span, text, "agendas"),
            Clause::Reminder(r) => set_once(&mut self.reminder, r, span, text, "reminders"),
            Clause::Title(t) => set_once(&mut self.quoted_title, t, span, text, "quoted titles"),
            Clause::DayPart(part) => {
                if part.today {
                    let today = DateClause {
                        spec: DateSpec::Today,
                        weekday: None,
                        from: false,
                    };
                    set_once(&mut self.date, today, span, text, "dates")?;
                }
                set_once(&mut self.day_part, part, span, text, "parts of the day")
            }
            Clause::Filler => Ok(()),
        }
    }

    /// A plain part of the day beside title words ("morning standup", "game night") is
    /// part of the title; it then only has to agree with the time.
    pub(super) fn title_day_parts_back(&mut self, text: &'a str) {
        let Some((part, span)) = self.day_part else {
            return;
        };
        if !part.plain || part.today {
            return;
        }
        let touches = |w: &TitleWord<'_>| {
            let between = if w.span.end <= span.at {
                &text[w.span.end..span.at]
            } else if w.span.at >= span.end {
                &text[span.end..w.span.at]
            } else {
                return false;
            };
            w.weak.is_none() && !between.is_empty() && between.trim().is_empty()
        };
        if !self.title_words.iter().any(touches) {
            return;
        }
        self.day_part = None;
        self.title_day_parts.push((part.part, span));
        let index = self
            .title_words
            .iter()
            .position(|w| w.span.at > span.at)
            .unwrap_or(self.title_words.len());
        self.title_words.insert(
            index,
            TitleWord {
                text: &text[span.at..span.end],
                span,
                weak: None,
            },
        );
    }

    /// With no other time, a lone number ("standup 9") is the time; otherwise it stays in
    /// the title ("top 5 at 3").
    pub(super) fn promote_weak_time(&mut self, text: &str) -> Result<(), ScanError> {
        if self.start.is_some() {
            return Ok(());
        }
        let mut weak = self
            .title_words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.weak.is_some());
        let Some((index, first)) = weak.next() else {
            return Ok(());
        };
        if let Some((_, second)) = weak.next() {
            return Err((
                Problem::Twice {
                    what: "times",
                    first: first.text.into(),
                    second: second.text.into(),
                },
                Some(second.span.at),
            ));
        }
        let word = self.title_words.remove(index);
        self.weak_start = true;
        match word.weak {
            Some(Weak::Time(c)) => self.start = Some((Start::At(c), word.span)),
            Some(Weak::Range(a, b)) => {
                self.start = Some((Start::At(a), word.span));
                set_once(&mut self.end, End::At(b), word.span, text, "end times")?;
            }
            None => {}
        }
        Ok(())
    }

    /// The first title word that was meant as something else, as a refusal: a near miss of
    /// a keyword, an e-mail address that isn't one (`bob@`), or a zone name that isn't one
    /// (`Europe/Pariss`). Left in the title they would schedule a meeting nobody asked for.
    pub(crate) fn check_spelling(&self) -> Result<(), ScanError> {
        for word in &self.title_words {
            if word.weak.is_some() {
                // "top 5 at 3": a lone digit beside a time is the title's; a number in words
                // or a four-digit time is not left there unread ("seven", "1430").
                let spelled_or_military = word.text.starts_with(|c: char| c.is_alphabetic())
                    || word.text.bytes().take_while(u8::is_ascii_digit).count() == 4;
                if spelled_or_military {
                    return Err((
                        Problem::UnreadTimeWord {
                            typed: word.text.into(),
                            kind: "a time",
                        },
                        Some(word.span.at),
                    ));
                }
                continue;
            }
            let typed = word.text.trim_end_matches([',', ';', '.', ':', '!', '?']);
            let problem = if let Some(suggestion) = spelling::misspelled_keyword(word.text) {
                Problem::Misspelled {
                    word: typed.into(),
                    suggestion,
                }
            } else if looks_like_an_address(typed) {
                Problem::NotAnAddress {
                    typed: typed.into(),
                }
            } else if looks_like_a_zone_name(typed) {
                Problem::UnknownZone {
                    typed: typed.into(),
                    suggestion: crate::command::zones::suggest(typed),
                }
            } else if let Some(kind) = crate::command::time_words::kind(typed) {
                Problem::UnreadTimeWord {
                    typed: typed.into(),
                    kind,
                }
            } else {
                continue;
            };
            return Err((problem, Some(word.span.at)));
        }
        Ok(())
    }
}

/// `bob@`, `bob@acme`: something before an `@`, meant as an address, that is not one.
fn looks_like_an_address(word: &str) -> bool {
    word.find('@').is_some_and(|at| at > 0) && crate::command::grammar::people::email(word).is_err()
}

/// `Europe/Pariss`: an IANA area, a slash, more. (A valid name would have been a zone clause.)
fn looks_like_a_zone_name(word: &str) -> bool {
    const AREAS: [&str; 11] = [
        "africa",
        "america",
        "antarctica",
        "arctic",
        "asia",
        "atlantic",
        "australia",
        "europe",
        "indian",
        "pacific",
        "etc",
    ];
    word.split_once('/').is_some_and(|(area, rest)| {
        !rest.is_empty() && AREAS.contains(&area.to_ascii_lowercase().as_str())
    })
}
