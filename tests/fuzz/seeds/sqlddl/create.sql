CREATE TABLE IF NOT EXISTS "public"."users" (
    id SERIAL PRIMARY KEY,
    email VARCHAR(255) NOT NULL DEFAULT '',
    "name" text,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    org_id INTEGER REFERENCES orgs (id) ON DELETE CASCADE,
    CONSTRAINT uq_email UNIQUE (email),
    CHECK (length(email) > 3)
);
