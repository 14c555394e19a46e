-- What the bot remembers about a person: their choices and whether they must reconnect.
CREATE TABLE IF NOT EXISTS people (
    person_id       TEXT PRIMARY KEY,
    timezone        TEXT,
    confirm         BIGINT NOT NULL DEFAULT 1,
    needs_reconnect BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL
);

-- Delegated OAuth tokens, sealed with AES-256-GCM (see src/auth/crypto.rs). key_id names the
-- key that sealed both values; no token is stored in clear.
CREATE TABLE IF NOT EXISTS tokens (
    person_id          TEXT PRIMARY KEY,
    key_id             TEXT NOT NULL,
    access_token       TEXT NOT NULL,
    refresh_token      TEXT,
    access_expires_at  BIGINT NOT NULL,
    scopes             TEXT NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- Pending account links. Only a SHA-256 of the state is stored, so a database dump cannot be
-- used to complete someone's link; the PKCE verifier is sealed like a token.
CREATE TABLE IF NOT EXISTS oauth_states (
    state_hash   TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL,
    room_id      TEXT,
    key_id       TEXT NOT NULL,
    verifier     TEXT NOT NULL,
    resume       TEXT,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
