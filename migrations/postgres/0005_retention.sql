-- Retention (store::retention) deletes finished rows by age every hour; these indexes keep
-- each of its deletes from scanning a whole table.
CREATE INDEX IF NOT EXISTS inbox_received ON inbox (received_at);
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (status, updated_at);
CREATE INDEX IF NOT EXISTS replies_sent ON replies (sent_at);
CREATE INDEX IF NOT EXISTS commands_updated ON commands (state, updated_at);
CREATE INDEX IF NOT EXISTS prompts_created ON prompts (created_at);
CREATE INDEX IF NOT EXISTS oauth_states_expiry ON oauth_states (expires_at);
CREATE INDEX IF NOT EXISTS sent_mail_sent ON sent_mail (sent_at);
