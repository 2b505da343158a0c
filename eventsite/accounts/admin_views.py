"""Admin pages for accounts. (Stub.)"""
from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("/")
def index():
    return "users"
