"""Login, logout, password reset, activation, own profile. (Stub: filled in by the accounts work.)"""
from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "login"


@bp.post("/logout")
def logout():
    return "logout"


@bp.route("/account", methods=["GET", "POST"])
def profile():
    return "profile"
