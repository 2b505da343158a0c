"""The physical limit the pages are measured against: a one-route Flask app served by the same
gunicorn settings on the same machine in the same run (plus /healthz for the start-up check)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"


@app.get("/healthz")
def healthz():
    return "ok"
