-- Reminders before meetings (issue 15).
-- A person's reminder lead time in minutes; 0 means off, NULL the product default (10).
ALTER TABLE people ADD COLUMN reminder_minutes INTEGER;

-- Every timer the bot ever planned, by key (`reminder:<request>:<occurrence start ms>`,
-- `reminder_plan:<request>:<window start ms>`): the job for a key is enqueued in the same
-- transaction as its row, so each occurrence gets at most one reminder job however often it
-- is planned (creation retried, a plan job run twice, a reschedule back to the same time).
CREATE TABLE IF NOT EXISTS timer_keys (
    timer_key  TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
