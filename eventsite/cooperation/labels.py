"""Translated labels of the cooperation codes, the one place for them (templates get this module
as `labels`)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import PROJECT_STATUSES, SECTORS, SIZE_BANDS, STAGES, TOPIC_KINDS

TOPIC_KIND_LABELS = {"offers": _l("Offers"), "seeks": _l("Seeks")}
SECTOR_LABELS = {
    "agriculture": _l("Agriculture and food"), "manufacturing": _l("Manufacturing"),
    "infrastructure": _l("Infrastructure and transport"), "energy": _l("Energy"),
    "environment": _l("Environment and water"), "tourism": _l("Culture and tourism"),
    "trade": _l("Trade and logistics"), "technology": _l("Technology and digital"),
    "health": _l("Health care"), "education": _l("Education and training"),
    "real_estate": _l("Urban development and real estate"), "other": _l("Other"),
}
STAGE_LABELS = {"idea": _l("Idea"), "planning": _l("Planning"), "approved": _l("Approved by the authorities"),
                "construction": _l("Under construction"), "operating": _l("In operation")}
SIZE_LABELS = {"small": _l("Under 10 million yuan"), "medium": _l("10 to 100 million yuan"),
               "large": _l("100 million to 1 billion yuan"), "very_large": _l("Over 1 billion yuan")}
STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Awaiting review"), "approved": _l("Published"),
                 "rejected": _l("Returned"), "withdrawn": _l("Withdrawn")}
STATUS_COLOURS = {"draft": "secondary", "submitted": "warning", "approved": "success", "rejected": "danger",
                  "withdrawn": "secondary"}
# Explicit checks, not `assert`: a code without a label fails at import.
if (set(TOPIC_KIND_LABELS) != set(TOPIC_KINDS) or set(SECTOR_LABELS) != set(SECTORS)
        or set(STAGE_LABELS) != set(STAGES) or set(SIZE_LABELS) != set(SIZE_BANDS)
        or set(STATUS_LABELS) != set(PROJECT_STATUSES) or set(STATUS_COLOURS) != set(PROJECT_STATUSES)):
    raise RuntimeError("every cooperation code needs a label")


def sector(code: str) -> str:
    return str(SECTOR_LABELS.get(code, code))


def stage(code: str) -> str:
    return str(STAGE_LABELS.get(code, code))


def size(code: str) -> str:
    return str(SIZE_LABELS.get(code, code))


def status(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def status_colour(code: str) -> str:
    return STATUS_COLOURS.get(code, "secondary")
