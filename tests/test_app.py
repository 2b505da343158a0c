"""The application skeleton: pages render, errors are bilingual, headers are set."""
from __future__ import annotations

import pytest

from config import DEFAULT_SECRET_KEY, ProductionConfig


def test_home_page_renders_in_both_languages(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'lang="en"' in page.get_data(as_text=True)


def test_security_headers_present(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_unknown_page_is_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_pages_use_no_external_assets(client):
    html = client.get("/").get_data(as_text=True)
    assert "cdn." not in html and "googleapis" not in html and "https://" not in html


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"DEBUG": True}, "DEBUG"),
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS"),
    ],
)
def test_production_config_refuses_unsafe_settings(overrides, message):
    config = {
        "DEBUG": False,
        "SECRET_KEY": "x" * 64,
        "TRUSTED_HOSTS": ["events.example.org"],
        "SERVER_NAME": "events.example.org",
        **overrides,
    }
    with pytest.raises(RuntimeError, match=message):
        ProductionConfig.check(config)


def test_production_config_accepts_safe_settings():
    ProductionConfig.check(
        {"DEBUG": False, "SECRET_KEY": "x" * 64, "TRUSTED_HOSTS": ["e.org"], "SERVER_NAME": "e.org"}
    )


def test_nul_in_query_string_is_a_bad_request(client):
    assert client.get("/alliance/members?q=%00").status_code == 400
    assert client.get("/alliance/members?q=ok").status_code == 200


def test_huge_page_number_is_just_an_empty_page(client):
    assert client.get("/alliance/members?page=99999999999999999999999").status_code == 200
