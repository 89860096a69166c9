-- owner: oncall_service
-- People as records: users with their contact methods, teams of users; schedule members and overrides
-- refer to users (matched by e-mail, created when new). Users and teams are deactivated, never deleted:
-- schedules, timelines and tokens keep referring to them.
-- depends: 0010_oncall_schedules

CREATE TABLE users (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    timezone   text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    role       text NOT NULL DEFAULT 'responder' CHECK (role IN ('viewer', 'responder', 'admin')),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- One user per e-mail address, whatever its letter case (sign-in and schedule members match on it).
CREATE UNIQUE INDEX users_email_uq ON users (lower(email));

-- How a user is reached: the notification channel and its recipient.
CREATE TABLE contact_methods (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type       text NOT NULL CHECK (type IN ('email', 'webhook', 'slack', 'log')),
    address    text NOT NULL CHECK (length(address) BETWEEN 1 AND 2048),
    label      text CHECK (length(label) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_methods_user_idx ON contact_methods (user_id, created_at);
-- The same destination is listed once per user.
CREATE UNIQUE INDEX contact_methods_user_address_uq ON contact_methods (user_id, type, address);

CREATE TABLE teams (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text CHECK (length(description) <= 1000),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Team names are matched without regard to letter case, as schedules' team names are.
CREATE UNIQUE INDEX teams_name_uq ON teams (lower(name));

CREATE TABLE team_members (
    team_id  uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

-- The people schedules already name become users (responders: they are on call).
INSERT INTO users (name, email)
SELECT DISTINCT ON (lower(email)) name, email
FROM (SELECT name, email FROM schedule_members UNION ALL SELECT name, email FROM schedule_overrides) AS people
ORDER BY lower(email), name
ON CONFLICT DO NOTHING;

ALTER TABLE schedule_members ADD COLUMN user_id uuid REFERENCES users (id);
UPDATE schedule_members m SET user_id = u.id FROM users u WHERE lower(u.email) = lower(m.email);
ALTER TABLE schedule_members ALTER COLUMN user_id SET NOT NULL;
CREATE INDEX schedule_members_user_idx ON schedule_members (user_id);

ALTER TABLE schedule_overrides ADD COLUMN user_id uuid REFERENCES users (id);
UPDATE schedule_overrides o SET user_id = u.id FROM users u WHERE lower(u.email) = lower(o.email);
ALTER TABLE schedule_overrides ALTER COLUMN user_id SET NOT NULL;
CREATE INDEX schedule_overrides_user_idx ON schedule_overrides (user_id);
