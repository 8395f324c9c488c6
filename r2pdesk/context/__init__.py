"""Where and who: administrative areas and population groups."""
