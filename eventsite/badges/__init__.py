"""On site: printed badges (docs/onsite/badges.md)."""
