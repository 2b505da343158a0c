"""Oversized request bodies: every POST route answers 413 (or refuses earlier) and changes nothing.

MAX_CONTENT_LENGTH bounds a whole request (uploads included); Werkzeug's form-memory limit bounds
the text fields. The test lowers the first so it can send "too much" cheaply.
"""
from __future__ import annotations

import io

import pytest

from ..conftest import csrf_token
from .test_access_matrix import _urls, snapshot, world  # noqa: F401  (the world fixture)

LIMIT = 64 * 1024


@pytest.mark.both_dbs
def test_every_post_route_refuses_an_oversized_body(app, admin_client, world):  # noqa: F811
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    token = csrf_token(admin_client, "/account")
    before = snapshot(app)
    refused = 0
    for endpoint, method, url in _urls(app, world, {"static", "bootstrap.static"}):
        if method != "POST":
            continue
        response = admin_client.post(url, data={"csrf_token": token, "notes": "x" * (LIMIT * 2)})
        assert response.status_code in (400, 403, 404, 405, 413), (endpoint, response.status_code)
        refused += response.status_code == 413
        upload = admin_client.post(
            url, data={"csrf_token": token, "file": (io.BytesIO(b"\0" * LIMIT * 2), "big.csv")},
            content_type="multipart/form-data")
        assert upload.status_code in (400, 403, 404, 405, 413), (endpoint, upload.status_code)
    assert refused >= 30, refused
    assert snapshot(app) == before


def test_the_413_page_explains_itself_in_the_readers_language(app, admin_client):
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    token = csrf_token(admin_client, "/account")
    response = admin_client.post("/account", data={"csrf_token": token, "name": "x" * LIMIT * 2})
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)
    chinese = admin_client.post("/account", data={"csrf_token": token, "name": "x" * LIMIT * 2},
                                headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 413 and "提交的内容过大。" in chinese.get_data(as_text=True)
