"""Early warnings, their responses and their life cycle."""
