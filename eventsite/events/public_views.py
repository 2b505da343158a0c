"""Public event pages. (Stub: filled in by the events work.)"""
from flask import Blueprint

bp = Blueprint("events", __name__)


@bp.get("/events/")
def upcoming():
    return "events"


@bp.get("/events/archive")
def archive():
    return "archive"
