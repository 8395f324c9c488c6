"""Local member profiles and per-database settings."""
