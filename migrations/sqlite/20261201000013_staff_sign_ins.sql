-- When each member last signed in, for the team page.
ALTER TABLE staff ADD COLUMN last_sign_in_at TEXT;
