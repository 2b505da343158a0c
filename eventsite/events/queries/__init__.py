"""The read side of events: `public` (the public lists, one event's page, event cards) and
`dashboard` (the organizer's dashboard and counts)."""
from .dashboard import audience, counts_for, dashboard_query, over_default_quota, rows  # noqa: F401
from .public import (  # noqa: F401
    EventCard,
    EventFilters,
    city_choices,
    event_card,
    event_page,
    list_query,
    place_rows,
    public_event_or_404,
)
