"""Reference data shipped with the app: the SG catalogue, frameworks, taxonomies."""
