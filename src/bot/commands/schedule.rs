//! `schedule …` (or any words with a time): resolve who is invited, store the request, then
//! preview it (or create it straight away when the person turned previews off).

use crate::bot::Bot;
use crate::bot::budget::{Compose, MESSAGE_LIMIT};
use crate::bot::conversation::{Asker, command_id};
use crate::bot::error::{BotError, BotResult};
use crate::bot::names;
use crate::bot::plan::{Plan, PlannedInvitee};
use crate::bot::reply::{Reply, escape_markdown};
use crate::cards::{FormValues, InviteeView};
use crate::store::{CommandRow, CommandState};
use crate::webex::{Auth, Membership};
use scheduler_core::schedule::{MeetingRequest, Who};
use secrecy::SecretString;

impl Bot {
    /// `schedule …`: resolve, store, then preview (or create straight away if the person
    /// turned previews off).
    pub(crate) async fn schedule(&self, req: MeetingRequest, asker: &Asker) -> BotResult<Reply> {
        let id = command_id(&asker.source_id);
        if let Some(existing) = self.store.command(&id).await? {
            // A redelivery or a resumed request: carry on from where it stands.
            return self.continue_command(existing).await;
        }
        let me = self
            .as_person(
                &asker.person,
                |auth| async move { self.webex.me(&auth).await },
            )
            .await?;
        let host_email = me.emails.first().cloned().unwrap_or_default();
        let person_zone = match self.store.person_prefs(&asker.person).await?.timezone {
            Some(z) => z,
            None => me
                .timezone
                .clone()
                .unwrap_or_else(|| self.config.default_timezone.name().to_string()),
        };
        let (invitees, not_invited) = self.resolve_invitees(&req, asker, &host_email).await?;
        let views: Vec<InviteeView> = invitees
            .iter()
            .map(|i| InviteeView {
                email: i.email.clone(),
                name: i.name.clone(),
                cohost: i.cohost,
            })
            .collect();
        let mut plan = self.plan_from(&req, invitees, &host_email, &person_zone, &id)?;
        plan.not_invited = not_invited;
        let mut form = FormValues::from_request(&req, &views);
        // The password is kept sealed in `plan.password` only; Edit opens it from there.
        form.set("password", String::new());
        plan.form = Some(form);
        let confirm = self.store.person_prefs(&asker.person).await?.confirm;
        let row = CommandRow {
            command_id: id.clone(),
            person_id: asker.person.clone(),
            room_id: asker.room.clone(),
            thread_id: asker.thread.clone(),
            plan: serde_json::to_string(&plan)?,
            state: if confirm {
                CommandState::Previewed
            } else {
                CommandState::Confirmed
            },
            attempted: false,
            meeting_id: None,
            meeting_number: None,
            web_link: None,
        };
        self.store.insert_command(&row, self.now_ms()).await?;
        if confirm {
            let person_tz = person_zone.parse().unwrap_or(req.timezone);
            let fallback = preview_fallback(&plan);
            let card = crate::cards::preview(&req, &views, &plan.not_invited, person_tz, &id);
            Ok(Reply::card(fallback, card))
        } else {
            self.create_meeting(&id).await
        }
    }

    /// A request seen before (a redelivery): finish it if it was confirmed; a preview already
    /// shown is not shown again.
    async fn continue_command(&self, row: CommandRow) -> BotResult<Reply> {
        match row.state {
            CommandState::Confirmed | CommandState::Created => {
                self.create_meeting(&row.command_id).await
            }
            _ => Ok(Reply::silent()),
        }
    }

    fn plan_from(
        &self,
        req: &MeetingRequest,
        invitees: Vec<PlannedInvitee>,
        host_email: &str,
        person_zone: &str,
        command_id: &str,
    ) -> BotResult<Plan> {
        let password = req
            .password
            .as_ref()
            .map(|p| {
                self.tokens.linker().cipher().seal(
                    &SecretString::from(p.clone()),
                    &format!("{command_id}:password"),
                )
            })
            .transpose()?
            .map(Into::into);
        Ok(Plan {
            title: req.title.clone(),
            start: req.start.fixed_offset(),
            end: req.end.fixed_offset(),
            timezone: req.timezone.name().to_string(),
            rrule: req.recurrence.as_ref().map(|r| r.to_rrule()),
            recurrence_words: req.recurrence.as_ref().map(|r| r.describe()),
            next_starts: scheduler_core::schedule::next_occurrences(req, 3)
                .into_iter()
                .map(|d| d.fixed_offset())
                .collect(),
            invitees,
            password,
            agenda: req.agenda.clone(),
            host_email: host_email.to_string(),
            person_zone: person_zone.to_string(),
            form: None,
            not_invited: Vec::new(),
            reminder_minutes: req.reminder.map(|lead| lead.as_stored()),
        })
    }

    /// Mentions become addresses (`GET /people/{id}`), `everyone` the space's human members,
    /// a bare name the one member so called (`bot::names`); unique by address, never the host,
    /// at most the configured cap. Also returns a note for each name that is nobody's.
    async fn resolve_invitees(
        &self,
        req: &MeetingRequest,
        asker: &Asker,
        host_email: &str,
    ) -> BotResult<(Vec<PlannedInvitee>, Vec<String>)> {
        let mut resolved: Vec<PlannedInvitee> = Vec::new();
        let mut not_invited = Vec::new();
        let mut members: Option<Vec<Membership>> = None;
        for invitee in &req.invitees {
            let planned = |email: &str, name: Option<&String>| PlannedInvitee {
                email: email.to_string(),
                name: name.cloned(),
                cohost: invitee.cohost,
            };
            match &invitee.who {
                Who::Email(email) => resolved.push(planned(email, None)),
                Who::Mention { person_id } => {
                    let person = self.webex.person(&Auth::Bot, person_id).await?;
                    if let Some(email) = person.emails.first() {
                        resolved.push(planned(email, person.display_name.as_ref()));
                    }
                }
                Who::Everyone => {
                    for member in self.members(&asker.room, &mut members).await? {
                        if let Some(email) =
                            member.person_email.as_ref().filter(|_| !member.is_bot())
                        {
                            resolved.push(planned(email, member.person_display_name.as_ref()));
                        }
                    }
                }
                Who::Name(name) if asker.in_group => {
                    let space = self.members(&asker.room, &mut members).await?;
                    let candidates = names::candidates(space, &asker.person);
                    match names::matching(name, &candidates).as_slice() {
                        [one] => resolved.push(planned(&one.email, Some(&one.display_name))),
                        several => not_invited.push(names::not_invited(name, several, true)),
                    }
                }
                Who::Name(name) => not_invited.push(names::not_invited(name, &[], false)),
            }
        }
        let unique = unique_by_address(resolved, host_email);
        if unique.len() > self.config.max_invitees {
            return Err(BotError::User(format!(
                "That's {} invitees; I can invite at most {} people to one meeting. \
                 Invite fewer, or share the join link instead.",
                unique.len(),
                self.config.max_invitees
            )));
        }
        // ALLOWED_EMAIL_DOMAINS with INVITEES_OUTSIDE_DOMAINS (see `ops::access`).
        let judged = (self.config.access).judge_invitees(unique.iter().map(|i| i.email.as_str()));
        match judged {
            Ok(note) => not_invited.extend(note),
            Err(refusal) => {
                tracing::info!("refused a meeting with invitees outside the allowed domains");
                return Err(BotError::User(refusal));
            }
        }
        Ok((unique, not_invited))
    }

    /// The space's members, asked of Webex once per request.
    async fn members<'a>(
        &self,
        room: &str,
        fetched: &'a mut Option<Vec<Membership>>,
    ) -> BotResult<&'a [Membership]> {
        if fetched.is_none() {
            *fetched = Some(self.webex.memberships(room).await?);
        }
        Ok(fetched.as_deref().unwrap_or_default())
    }
}

/// The text shown with the preview card (and instead of it where cards are not): what and
/// when, then the notes about names that will not be invited, as many as fit.
pub(crate) fn preview_fallback(plan: &Plan) -> String {
    let mut text = Compose::new(MESSAGE_LIMIT);
    text.line(
        format!(
            "Preview: {} — {}",
            escape_markdown(&plan.title),
            plan.when()
        ),
        0,
    );
    let notes: Vec<String> = plan
        .not_invited
        .iter()
        .map(|note| format!("\n{}", escape_markdown(note)))
        .collect();
    text.items(&notes, 0, |n| {
        format!("\n…and {n} more names I could not invite")
    });
    text.finish()
}

/// Unique by address, without the host, by the schedule module's rule
/// ([`scheduler_core::schedule::unique_invitees`]); each keeps the first name any mention gave.
fn unique_by_address(people: Vec<PlannedInvitee>, host_email: &str) -> Vec<PlannedInvitee> {
    let pairs = people.iter().map(|p| (p.email.clone(), p.cohost));
    scheduler_core::schedule::unique_invitees(pairs, host_email)
        .into_iter()
        .map(|(email, cohost)| PlannedInvitee {
            name: people
                .iter()
                .filter(|p| p.email.eq_ignore_ascii_case(&email))
                .find_map(|p| p.name.clone()),
            email,
            cohost,
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitees_are_unique_by_address_and_never_the_host() {
        let p = |e: &str, c: bool| PlannedInvitee {
            email: e.into(),
            name: None,
            cohost: c,
        };
        let got = unique_by_address(
            vec![
                p("Ana@x.com", false),
                p("ana@x.com", true),
                p("host@x.com", false),
                p("bob@x.com", false),
            ],
            "HOST@x.com",
        );
        assert_eq!(got, vec![p("Ana@x.com", true), p("bob@x.com", false)]);
    }
}
