-- owner: oncall_service
-- What a person who was paged for an incident wants to hear about it afterwards (opt-in).
-- depends: 0100_identity_people 0203_service_routes

CREATE TABLE paging_preferences (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    updates    text[] NOT NULL DEFAULT '{}'
               CHECK (updates <@ ARRAY['acknowledged', 'resolved', 'reassigned']::text[]),
    updated_at timestamptz NOT NULL DEFAULT now()
);
