"""The application skeleton: pages render, errors are bilingual, headers are set."""
from __future__ import annotations

import pytest

from config import DEFAULT_SECRET_KEY, ProductionConfig, _env_optional_int

DATA_KEY = "k" * 43 + "="  # a well-formed Fernet key (32 bytes, URL-safe base64)


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
        ({"PROXY_COUNT": None}, "PROXY_COUNT"),
        ({"PROXY_COUNT": -1}, "PROXY_COUNT"),
        ({"PROXY_COUNT": "1"}, "PROXY_COUNT"),
        ({"DATA_ENCRYPTION_KEYS": []}, "DATA_ENCRYPTION_KEYS is empty"),
        ({"DATA_ENCRYPTION_KEYS": ["too-short"]}, "not a Fernet key"),
    ],
)
def test_production_config_refuses_unsafe_settings(overrides, message):
    config = {
        "DEBUG": False,
        "SECRET_KEY": "x" * 64,
        "TRUSTED_HOSTS": ["events.example.org"],
        "SERVER_NAME": "events.example.org",
        "PROXY_COUNT": 1,
        "DATA_ENCRYPTION_KEYS": [DATA_KEY],
        **overrides,
    }
    with pytest.raises(RuntimeError, match=message):
        ProductionConfig.check(config)


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_production_config_accepts_safe_settings(proxies):
    ProductionConfig.check({"DEBUG": False, "SECRET_KEY": "x" * 64, "TRUSTED_HOSTS": ["e.org"],
                            "SERVER_NAME": "e.org", "PROXY_COUNT": proxies, "DATA_ENCRYPTION_KEYS": [DATA_KEY]})


def test_unset_proxy_count_is_not_read_as_zero(monkeypatch):
    """Production must tell "no proxy" (PROXY_COUNT=0) from "not stated" (unset or empty)."""
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    assert _env_optional_int("PROXY_COUNT") is None
    monkeypatch.setenv("PROXY_COUNT", "")
    assert _env_optional_int("PROXY_COUNT") is None
    monkeypatch.setenv("PROXY_COUNT", "0")
    assert _env_optional_int("PROXY_COUNT") == 0


def test_production_app_refuses_to_start_without_proxy_count(tmp_path, monkeypatch):
    from eventsite import create_app

    monkeypatch.setenv("EVENTSITE_INSTANCE", str(tmp_path / "instance"))
    settings = {"SECRET_KEY": "k" * 64, "TRUSTED_HOSTS": ["e.org"], "SERVER_NAME": "e.org",
                "DATA_ENCRYPTION_KEYS": [DATA_KEY],
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"}
    with pytest.raises(RuntimeError, match="PROXY_COUNT is not set"):
        create_app("production", settings | {"PROXY_COUNT": None})
    assert create_app("production", settings | {"PROXY_COUNT": 0}).config["PROXY_COUNT"] == 0


def test_nul_in_query_string_is_a_bad_request(client):
    assert client.get("/alliance/members?q=%00").status_code == 400
    assert client.get("/alliance/members?q=ok").status_code == 200


def test_huge_page_number_is_just_an_empty_page(client):
    assert client.get("/alliance/members?page=99999999999999999999999").status_code == 200
