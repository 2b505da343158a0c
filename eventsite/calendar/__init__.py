"""Calendar files: one builder for downloads, feeds and emails (research/calendar.md)."""
