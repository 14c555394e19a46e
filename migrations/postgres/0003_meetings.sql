-- A scheduling request from the moment it is understood until its meeting exists.
-- command_id is derived from the Webex message (or card) that asked, so a redelivery maps to the
-- same row, and it is the meeting's integration tag at Webex: after an ambiguous failure the bot
-- looks the meeting up by it instead of creating a second one.
CREATE TABLE IF NOT EXISTS commands (
    command_id         TEXT PRIMARY KEY,
    person_id          TEXT NOT NULL,
    room_id            TEXT NOT NULL,
    thread_id          TEXT,
    plan               TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('previewed', 'confirmed', 'created', 'failed', 'dismissed')),
    attempted          BIGINT NOT NULL DEFAULT 0,
    preview_message_id TEXT,
    meeting_id         TEXT,
    meeting_number     TEXT,
    web_link           TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- The numbering of the last `list` a person asked for in a space, so `cancel 2` means what they saw.
CREATE TABLE IF NOT EXISTS listings (
    room_id        TEXT NOT NULL,
    person_id      TEXT NOT NULL,
    position       BIGINT NOT NULL,
    meeting_id     TEXT NOT NULL,
    PRIMARY KEY (room_id, person_id, position)
);

-- Pending "are you sure?" questions (cancel), answered once by their card.
CREATE TABLE IF NOT EXISTS prompts (
    prompt_id   TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL,
    room_id     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    answered_at BIGINT,
    created_at  BIGINT NOT NULL
);
