"""Links that put an event or a feed into people's calendars: webcal:// subscriptions, and "add
to" links for Google Calendar and Outlook (plain links: the pages load nothing from them)."""
from __future__ import annotations

from urllib.parse import urlencode

from ..core.i18n import site_name
from ..core.urls import external_url
from .feeds import feed_token

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_LIVE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_365 = "https://outlook.office.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
# Services cut long query strings: keep the description short, the event page has the rest.
MAX_DETAILS = 600


def webcal(url: str) -> str:
    """The webcal:// form of an http(s) feed URL: calendar apps open it as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def event_links(event, language: str) -> dict[str, str]:
    """The .ics download and "add to" links (templates read them as attributes)."""
    title, _fallback = event.text("title", language)
    page = external_url("events.detail", event_id=event.id)
    summary = event.text("summary", language)[0]
    details = (summary[:MAX_DETAILS] + "\n\n" if summary else "") + page
    location = ", ".join(p for p in (event.shown("venue_name", language), event.shown("venue_address", language),
                                     event.shown("city", language)) if p)
    start, end = event.starts_at, event.ends_at
    google = GOOGLE + "?" + urlencode({
        "action": "TEMPLATE", "text": title, "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details, "location": location})
    outlook_query = urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}", "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details, "location": location})
    return dict(ics=external_url("calendar.event_ics", event_id=event.id), google=google,
                outlook=f"{OUTLOOK_LIVE}?{outlook_query}", office365=f"{OUTLOOK_365}?{outlook_query}")


def feed_links(url: str, name: str) -> dict[str, str]:
    return dict(https=url, webcal=webcal(url), google=f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal(url)})}",
                outlook=f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': webcal(url), 'name': name})}")


def unit_feed_url(unit) -> str:
    return external_url("calendar.unit_feed", unit_id=unit.id,
                        token=feed_token("unit", unit.id, unit.feed_version))


def delegate_feed_url(delegate) -> str:
    return external_url("calendar.delegate_feed", delegate_id=delegate.id,
                        token=feed_token("delegate", delegate.id, delegate.feed_version))


def public_feed_links(language: str) -> dict[str, str]:
    """The alliance's feed of published events, in `language` (home page and event list)."""
    return feed_links(external_url("calendar.public_feed", lang=language), site_name(language))
