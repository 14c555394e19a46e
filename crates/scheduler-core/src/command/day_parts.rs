//! Parts of the day in a schedule or reschedule message ("tomorrow morning 9:30", "this
//! evening 7-8", "morning standup at 9"): a part written as a clause decides the half of the
//! day of a bare hour; every part written, clause or title word, must agree with the time the
//! meeting gets, or the message is refused naming it. A part with no time asks for one.

use super::grammar::Problem;
use super::grammar::when::Style;
use super::scan::{Clauses, ScanError, Start};

/// Gives a bare start hour the half of the day its part of the day says; refuses a part of
/// the day with no time, naming it.
pub(crate) fn apply(text: &str, clauses: &mut Clauses<'_>) -> Result<(), ScanError> {
    let Some((part, span)) = clauses.day_part else {
        return Ok(());
    };
    match &mut clauses.start {
        Some((Start::At(clock), _)) if clock.style == Style::Bare => {
            clock.style = part.part.style_for(clock.hour);
            Ok(())
        }
        Some(_) => Ok(()),
        None => {
            let from = clauses.date.map_or(span.at, |(_, d)| d.at.min(span.at));
            let to = clauses.date.map_or(span.end, |(_, d)| d.end.max(span.end));
            Err((
                Problem::NeedTime {
                    typed: text[from..to].into(),
                },
                Some(span.at),
            ))
        }
    }
}

/// Refuses a start (wall minutes after midnight) outside a part of the day that was written.
pub(crate) fn check(
    text: &str,
    clauses: &Clauses<'_>,
    start_minutes: u32,
) -> Result<(), ScanError> {
    let written = clauses
        .day_part
        .map(|(p, s)| (p.part, s))
        .into_iter()
        .chain(clauses.title_day_parts.iter().copied());
    for (part, span) in written {
        if !part.contains(start_minutes) {
            return Err((
                Problem::DayPartMismatch {
                    typed: text[span.at..span.end].into(),
                    part: part.word(),
                    time: format!("{:02}:{:02}", start_minutes / 60, start_minutes % 60),
                },
                Some(span.at),
            ));
        }
    }
    Ok(())
}
