"""Pickup runs: the organizer groups arrivals (and departures) into runs of a vehicle at a time and
place; each delegate on a run sees it on their page and in their calendar feed (docs/logistics.md)."""
