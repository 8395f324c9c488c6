"""Institutions the committee addresses, and their focal points."""
