"""Member directory. (Stub.)"""
from flask import Blueprint

bp = Blueprint("members", __name__)


@bp.get("/alliance/members")
def public_list():
    return "members"


@bp.get("/directory/")
def index():
    return "directory"


@bp.get("/my-unit")
def my_unit():
    return "my unit"
