"""Delegations: a member unit's head of delegation and members registered for an event."""
