"""The inputs issue 14 found answering 500, each as a class: names url_for keeps for itself in a
query string, digits that are not ASCII, ids beyond the database's integer, a Host the site does
not serve. (Dates at their bounds: test_date_bounds.py; every route with all of these:
test_fuzz_routes.py.)"""
from __future__ import annotations

import pytest

from eventsite.core.urls import url_with_page
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token

# The names url_for takes as its own arguments, and a path argument's name.
RESERVED = {"endpoint": "x", "_method": "POST", "_external": "1", "_anchor": "x", "_scheme": "ftp",
            "values": "x", "event_id": "7"}


@pytest.mark.parametrize("name", sorted(RESERVED))
def test_pagination_links_ignore_names_url_for_keeps(app, name):
    with app.test_request_context(f"/organizer/events/3/delegations?{name}={RESERVED[name]}"
                                  "&kinds=a&kinds=b&page=1"):
        link = url_with_page(2)
    assert link.startswith("/organizer/events/3/delegations?")  # the page's own path, no host
    assert f"{name}={RESERVED[name]}" in link and "kinds=a&kinds=b" in link and link.endswith("page=2")


@pytest.mark.both_dbs
def test_member_lists_with_reserved_query_names(app, client, admin_client):
    """The reported case, `/alliance/members?endpoint=x`, with enough units for two pages (the
    route fuzz makes every list paginate)."""
    with app.app_context():
        for _ in range(55):
            factories.make_unit()
        db.session.commit()
    for name, value in RESERVED.items():
        for reader, path in [(client, "/alliance/members"), (admin_client, "/directory/")]:
            response = reader.get(f"{path}?page=2&{name}={value}")
            assert response.status_code == 200, (path, name, response.status_code)
            assert f"{name}={value}" in response.get_data(as_text=True)  # kept in the page links


@pytest.mark.parametrize("text, expected", [
    ("7", 7), ("0", 0), ("2147483647", 2**31 - 1), ("2147483648", None), ("²", None), ("٣", None),
    ("1_000", None), (" 7", None), ("-1", None), ("", None), ("9" * 40, None), (None, None),
])
def test_whole_number_is_ascii_digits_in_range(text, expected):
    from eventsite.core.numbers import whole_number

    assert whole_number(text) == expected


@pytest.mark.both_dbs
def test_audit_filters_never_fail_and_say_what_was_ignored(admin_client):
    for query in ["target_id=%C2%B2", "target_id=%D9%A3", "target_id=99999999999", "until=9999-12-31",
                  "since=0001-01-01", "until=10000-01-01", "since=2024-02-30", "since=1899-12-31",
                  "until=3000-01-01", "since=1900-01-01&until=2999-12-31&target_id=7"]:
        response = admin_client.get(f"/admin/audit/?{query}")
        assert response.status_code == 200, query
        ignored = "alert-warning" in response.get_data(as_text=True)
        assert ignored == ("target_id=7" not in query), query


# Every rule with an id in its path; a few of them were 500s with ids above 2**63.
ID_PATHS = ["/admin/users/{}/edit", "/admin/users/{}/deactivate", "/admin/outbox/{}",
            "/admin/outbox/{}.eml", "/admin/outbox/{}/html", "/admin/outbox/{}/attachments/0",
            "/messages/{}", "/directory/{}", "/events/{}", "/organizer/events/{}",
            "/organizer/events/1/delegations/{}", "/projects/{}", "/events/{}/exhibitors",
            "/organizer/cooperation/projects/{}", "/organizer/cooperation/profiles/{}"]


@pytest.mark.both_dbs
def test_ids_beyond_the_database_range_are_not_found(app, admin_client):
    token = csrf_token(admin_client, "/account")
    for ident in ["2147483648", "9223372036854775808", "99999999999999999999", "%C2%B2", "%D9%A3", "0"]:
        for path in ID_PATHS:
            url = path.format(ident)
            method = "post" if url.endswith("deactivate") else "get"
            response = getattr(admin_client, method)(url, data={"csrf_token": token})
            assert response.status_code == 404, (url, response.status_code)


def test_every_int_segment_uses_the_bounded_converter(app):
    from werkzeug.routing import IntegerConverter

    from eventsite.core.lookup import RecordId

    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()
                  if isinstance(c, IntegerConverter)]
    assert len(converters) > 50 and all(isinstance(c, RecordId) for c in converters)


@pytest.mark.parametrize("lang, text", [("en", "could not be understood"), ("zh", "无法处理该请求")])
def test_untrusted_host_gets_a_plain_400_page(app_factory, lang, text):
    app = app_factory(TRUSTED_HOSTS=["eventsite.test"])
    client = app.test_client()
    for method, path in [("GET", "/"), ("POST", "/login"), ("GET", "/events/1"), ("GET", "/nowhere")]:
        response = client.open(path, method=method, headers={"Host": "evil.example",
                                                              "Accept-Language": lang})
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        assert text in body and "evil.example" not in body
        assert "href" not in body  # builds no URL, least of all one on the bad host
    assert client.get("/", headers={"Host": "eventsite.test"}).status_code == 200


def test_secret_links_answer_a_huge_event_id_like_any_link_that_does_not_work(app, client):
    """Pages reached by a secret link give one answer to every link that does not work: an event
    id beyond the database's range reaches the page (as 0, which names nothing), not a 404 of
    the router's."""
    token = "x" * 43
    for path in ("/events/{}/invitation/{}", "/events/{}/delegate/{}", "/events/{}/delegate/{}/certificate.pdf"):
        known = client.get(path.format(1, token))
        for huge in ("2147483648", "9223372036854775808", "9" * 40):
            response = client.get(path.format(huge, token))
            assert response.status_code == known.status_code
            assert response.headers.get("Cache-Control") == known.headers.get("Cache-Control")
            title = known.get_data(as_text=True).split("<h1", 1)[1].split("</h1>", 1)[0]
            assert title in response.get_data(as_text=True)
        assert client.post(path.format(huge, token) + "/decline").status_code in (400, 404)
