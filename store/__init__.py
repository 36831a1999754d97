"""Settings, database schema and access, and the raw archive: the one place every stage shares."""
