-- owner: oncall_service
-- Signing in: users' password hashes (argon2id), server-side sessions, API tokens and failed sign-ins
-- (for the lockout). Sessions and tokens are stored as SHA-256 hashes of their random values: the
-- values themselves are shown once and never stored.
-- depends: 0100_identity_people

ALTER TABLE users ADD COLUMN password_hash text CHECK (length(password_hash) <= 512);
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

CREATE TABLE user_sessions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash     text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    csrf_token     text NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 128),
    client_address text CHECK (length(client_address) <= 100),
    user_agent     text CHECK (length(user_agent) <= 500),
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
CREATE INDEX user_sessions_expires_idx ON user_sessions (expires_at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- The first characters of the token, to tell tokens apart in lists.
    prefix       text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
    role         text NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
    -- api: made through POST /api/v1/tokens; settings: the admin's ADMIN_API_KEY.
    source       text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'settings')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

-- Failed sign-ins per e-mail address (known or not): enough of them in a while lock the address out.
CREATE TABLE login_failures (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text NOT NULL CHECK (length(email) <= 320),
    client_address text CHECK (length(client_address) <= 100),
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), failed_at);
