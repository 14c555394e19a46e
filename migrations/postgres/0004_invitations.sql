-- The calendar identity of each meeting the bot created: its UID and the current SEQUENCE, with
-- a snapshot of what the last invitation said (the base of the next update or cancellation).
CREATE TABLE IF NOT EXISTS invitations (
    meeting_key TEXT PRIMARY KEY,
    uid         TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    snapshot    TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every version that was mailed, so a resend after a crash is byte-for-byte the same message.
CREATE TABLE IF NOT EXISTS invitation_versions (
    meeting_key TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    snapshot    TEXT NOT NULL,
    PRIMARY KEY (meeting_key, sequence)
);

-- Meeting changes already turned into invitations: a retried job does not raise SEQUENCE twice.
CREATE TABLE IF NOT EXISTS invitation_events (
    event_id    TEXT PRIMARY KEY,
    meeting_key TEXT NOT NULL,
    sequence    BIGINT NOT NULL
);

-- Messages handed to the SMTP server (by their deterministic Message-ID).
CREATE TABLE IF NOT EXISTS sent_mail (
    message_id TEXT PRIMARY KEY,
    sent_at    BIGINT NOT NULL
);
