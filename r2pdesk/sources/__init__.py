"""Sources of information and attached evidence files."""
