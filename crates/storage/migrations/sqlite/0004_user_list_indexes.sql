-- Indexes for the sortable columns of the user list (the list stops after one page instead of
-- sorting every user).
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_last_login_at_idx ON users (last_login_at);
CREATE INDEX users_display_name_idx ON users (display_name);
