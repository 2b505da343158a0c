"""Personal data: export everything held about one person; erase delegates' data after events."""
