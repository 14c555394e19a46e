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
    fn a_bad_entry_is_named() {
        let err = Access::from_lists(Some("not-an-address"), None).unwrap_err();
        assert!(err.contains("ADMIN_EMAILS") && err.contains("not-an-address"));
        let err = Access::from_lists(None, Some("localhost")).unwrap_err();
        assert!(err.contains("ALLOWED_EMAIL_DOMAINS"));
    }
}
