-- Webhook deliveries we accepted. The key is resource:data.id, so a redelivery (or a replay of a
-- captured request, which Webex's signature cannot prevent) finds the row and does nothing.
CREATE TABLE IF NOT EXISTS inbox (
    dedup_key   TEXT PRIMARY KEY,
    resource    TEXT NOT NULL,
    event       TEXT NOT NULL,
    data_id     TEXT NOT NULL,
    room_id     TEXT,
    actor_id    TEXT,
    received_at INTEGER NOT NULL
);

-- The durable job queue. Times are Unix milliseconds. queue_key orders work: jobs with the same key
-- (a Webex space) run one at a time in id order; different keys run concurrently.
CREATE TABLE IF NOT EXISTS jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    queue_key   TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead', 'parked')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_at      INTEGER NOT NULL,
    lease_until INTEGER,
    last_error  TEXT,
    -- Set when a job waits for its person to reconnect their account (status 'parked').
    park_key    TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (status, run_at, id);
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (queue_key, status, id);

-- Facts learned at runtime that every worker needs (e.g. the bot's own person id).
CREATE TABLE IF NOT EXISTS bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Replies the bot has posted for a delivery, so a retried job does not answer twice.
CREATE TABLE IF NOT EXISTS replies (
    dedup_key  TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    sent_at    INTEGER NOT NULL
);
