-- One Webex request budget per token for every replica (webex::budget), kept across restarts.
-- token_key is a SHA-256 of the token; tat is the GCRA theoretical arrival time and
-- blocked_until the end of a 429 pause, both in wall-clock Unix milliseconds.
CREATE TABLE IF NOT EXISTS webex_budgets (
    token_key     TEXT PRIMARY KEY,
    tat           INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL DEFAULT 0
);
