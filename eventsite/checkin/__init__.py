"""On site: check-in at the door and at sessions (docs/onsite.md)."""
