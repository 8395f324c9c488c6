"""Alembic environment and migrations of the r2pdesk store."""
