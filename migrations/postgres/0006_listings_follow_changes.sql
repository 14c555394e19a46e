-- A number from `list` keeps naming the same meeting after the bot moves or cancels it
-- (bot::lookup): each row also knows its series, its title, the range that was listed (to
-- list it again when a number has gone stale) and whether the bot cancelled it since.
ALTER TABLE listings ADD COLUMN series_id TEXT;
ALTER TABLE listings ADD COLUMN title TEXT;
ALTER TABLE listings ADD COLUMN list_range TEXT;
ALTER TABLE listings ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;
