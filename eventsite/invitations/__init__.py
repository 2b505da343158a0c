"""Invitations: an event's invitation to a member unit, its links, mailings and reminders."""
