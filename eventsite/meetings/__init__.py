"""Bilateral meetings at an event (issue 19): the organizer opens matchmaking (slots, tables, a
request deadline); delegations request meetings, the other side accepts, declines or proposes
another slot; an accepted meeting holds a slot and a table (docs/matching-meetings.md)."""
