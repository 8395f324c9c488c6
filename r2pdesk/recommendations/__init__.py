"""National recommendations and the follow-up of their implementation."""
