"""Organizer pages for events and agendas. (Stub.)"""
from flask import Blueprint

bp = Blueprint("event_admin", __name__, url_prefix="/organizer/events")


@bp.get("/")
def dashboard():
    return "dashboard"
