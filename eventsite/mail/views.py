"""Outbox and messages to groups. (Stub.)"""
from flask import Blueprint

bp = Blueprint("mail", __name__)


@bp.get("/admin/outbox/")
def outbox():
    return "outbox"


@bp.get("/messages/")
def broadcasts():
    return "messages"
