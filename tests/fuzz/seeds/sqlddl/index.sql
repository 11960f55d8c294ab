CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON users USING btree (lower(email)) WHERE deleted_at IS NULL;
DROP INDEX CONCURRENTLY IF EXISTS ix_users_email;
DROP TABLE IF EXISTS old_users, older_users CASCADE;
TRUNCATE TABLE logs;
-- a comment; /* another */ UPDATE users SET email = 'x' WHERE email IS NULL;
INSERT INTO backup_users SELECT * FROM users;
CREATE TABLE users_backup AS SELECT * FROM users;
