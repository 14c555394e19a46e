//! Who may use the bot and who administers it, from `ALLOWED_EMAIL_DOMAINS` and
//! `ADMIN_EMAILS`. E-mail addresses and domains are compared without regard to case.

/// The access rules an admin sets for everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// `ADMIN_EMAILS`: who may use `admin` commands (in a direct space with the bot).
    pub admins: Vec<String>,
    /// `ALLOWED_EMAIL_DOMAINS`: whose commands are answered; empty means everyone's.
    pub allowed_domains: Vec<String>,
    /// `ALLOWED_SPACES`: the group spaces (room ids) the bot answers in; empty means all.
    /// Direct spaces are not listed: there the person's domain decides.
    pub allowed_spaces: Vec<String>,
    /// `INVITEES_OUTSIDE_DOMAINS`: what happens to invitees outside the allowed domains.
    pub outsiders: Outsiders,
}

/// What happens when a meeting would invite people outside `ALLOWED_EMAIL_DOMAINS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Outsiders {
    /// They are invited like anyone else.
    #[default]
    Allow,
    /// They are invited, and the reply says who is outside.
    Warn,
    /// Nothing is scheduled; the reply says who is outside.
    Refuse,
}

impl Access {
    /// Reads the two comma-separated lists; a problem names the variable and the entry.
    pub fn from_lists(admins: Option<&str>, domains: Option<&str>) -> Result<Self, String> {
        let admins = entries(admins);
        if let Some(bad) = admins.iter().find(|a| !is_address(a)) {
            return Err(format!("ADMIN_EMAILS: {bad:?} is not an e-mail address"));
        }
        let allowed_domains: Vec<String> = entries(domains)
            .into_iter()
            .map(|d| d.trim_start_matches('@').to_string())
            .collect();
        if let Some(bad) = allowed_domains
            .iter()
            .find(|d| d.is_empty() || d.contains('@') || !d.contains('.'))
        {
            return Err(format!("ALLOWED_EMAIL_DOMAINS: {bad:?} is not a domain"));
        }
        Ok(Self {
            admins,
            allowed_domains,
            allowed_spaces: Vec::new(),
            outsiders: Outsiders::Allow,
        })
    }

    /// Adds `ALLOWED_SPACES` (room ids, kept as given: they are case-sensitive).
    pub fn with_spaces(mut self, spaces: Option<&str>) -> Self {
        self.allowed_spaces = spaces
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        self
    }

    /// Reads `INVITEES_OUTSIDE_DOMAINS` (`allow`, `warn` or `refuse`).
    pub fn with_outsiders(mut self, policy: Option<&str>) -> Result<Self, String> {
        self.outsiders = match policy.map(str::to_ascii_lowercase).as_deref() {
            None | Some("allow") => Outsiders::Allow,
            Some("warn") => Outsiders::Warn,
            Some("refuse") => Outsiders::Refuse,
            Some(other) => {
                return Err(format!(
                    "INVITEES_OUTSIDE_DOMAINS {other:?} must be allow, warn or refuse"
                ));
            }
        };
        Ok(self)
    }

    /// Judges a meeting's invitees: `Ok(Some(note))` to invite them with a note for the reply,
    /// `Err(refusal)` to schedule nothing.
    pub fn judge_invitees<'a>(
        &self,
        emails: impl IntoIterator<Item = &'a str>,
    ) -> Result<Option<String>, String> {
        let outside: Vec<&str> = emails
            .into_iter()
            .filter(|e| !self.may_use(Some(e)))
            .collect();
        if outside.is_empty() || self.outsiders == Outsiders::Allow {
            return Ok(None);
        }
        let domains = self.allowed_domains.join(", ");
        let who = outside.join(", ");
        match self.outsiders {
            Outsiders::Refuse => Err(format!(
                "I can't invite people outside {domains}: {who}. Leave them out, or ask your admin."
            )),
            _ => Ok(Some(format!("Note: {who} is outside {domains}."))),
        }
    }

    /// Whether the bot answers in this group space.
    pub fn may_answer_in(&self, group_room: &str) -> bool {
        self.allowed_spaces.is_empty() || self.allowed_spaces.iter().any(|s| s == group_room)
    }

    pub fn is_admin(&self, email: Option<&str>) -> bool {
        email.is_some_and(|e| self.admins.contains(&e.trim().to_lowercase()))
    }

    /// Whether the person with this address may use the bot.
    pub fn may_use(&self, email: Option<&str>) -> bool {
        if self.allowed_domains.is_empty() {
            return true;
        }
        let domain = email
            .and_then(|e| e.trim().rsplit_once('@'))
            .map(|(_, d)| d.to_lowercase());
        domain.is_some_and(|d| self.allowed_domains.contains(&d))
    }
}

fn entries(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("")
        .split(',')
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect()
}

fn is_address(text: &str) -> bool {
    text.split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_admins_are_matched_without_case_and_exactly() {
        let access = Access::from_lists(
            Some("Boss@Acme.com, it@acme.com"),
            Some("acme.com,@ACME.de"),
        )
        .unwrap();
        assert!(access.is_admin(Some("boss@acme.com")));
        assert!(!access.is_admin(Some("ana@acme.com")));
        assert!(!access.is_admin(None));
        assert!(access.may_use(Some("Ana@ACME.com")));
        assert!(access.may_use(Some("x@acme.de")));
        assert!(!access.may_use(Some("x@evil-acme.com")));
        assert!(!access.may_use(Some("x@acme.com.evil.org")));
        assert!(!access.may_use(None));
        assert!(Access::default().may_use(None), "no list: everyone");
        let spaces = Access::default().with_spaces(Some(" RoomA ,RoomB"));
        assert!(spaces.may_answer_in("RoomA") && !spaces.may_answer_in("rooma"));
        assert!(Access::default().may_answer_in("anything"));
    }

    #[test]
    fn invitees_outside_the_domains_are_allowed_warned_about_or_refused() {
        let base = Access::from_lists(None, Some("acme.com")).unwrap();
        let invitees = ["bob@acme.com", "eve@other.org"];
        let judge = |policy| {
            let access = base.clone().with_outsiders(Some(policy)).unwrap();
            access.judge_invitees(invitees)
        };
        assert_eq!(judge("allow"), Ok(None));
        assert_eq!(
            judge("warn"),
            Ok(Some("Note: eve@other.org is outside acme.com.".into()))
        );
        assert!(judge("refuse").unwrap_err().contains("eve@other.org"));
        let all_inside = base.clone().with_outsiders(Some("refuse")).unwrap();
        assert_eq!(all_inside.judge_invitees(["bob@acme.com"]), Ok(None));
        assert!(base.with_outsiders(Some("sometimes")).is_err());
    }

    #[test]
    fn a_bad_entry_is_named() {
        let err = Access::from_lists(Some("not-an-address"), None).unwrap_err();
        assert!(err.contains("ADMIN_EMAILS") && err.contains("not-an-address"));
        let err = Access::from_lists(None, Some("localhost")).unwrap_err();
        assert!(err.contains("ALLOWED_EMAIL_DOMAINS"));
    }
}
