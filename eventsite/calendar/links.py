"""Links that put an event or a feed into people's calendars: webcal:// subscriptions, and "add
to" links for Google Calendar and Outlook (plain links: the pages load nothing from them), offered
only to readers whose language enables them (CALENDAR_LINKS_EN / _ZH: the services are blocked in
mainland China). Mails carry short site links (`/events/<id>/add/<service>`) that redirect to the
long address, built when clicked."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app

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


SERVICES = ("google", "outlook", "office365")


def enabled_services(language: str) -> tuple[str, ...]:
    """The "add to" services shown to readers of `language`, in SERVICES order (unknown names in
    the setting are ignored)."""
    setting = current_app.config.get(f"CALENDAR_LINKS_{language.upper()}") or ""
    names = {part.strip().lower() for part in str(setting).split(",")}
    return tuple(service for service in SERVICES if service in names)


def add_to_url(event, service: str, language: str) -> str:
    """The service's long "add this event" address, in `language` (KeyError: no such service)."""
    title, _fallback = event.text("title", language)
    page = external_url("events.detail", event_id=event.id)
    summary = event.text("summary", language)[0]
    details = (summary[:MAX_DETAILS] + "\n\n" if summary else "") + page
    location = ", ".join(p for p in (event.shown("venue_name", language), event.shown("venue_address", language),
                                     event.shown("city", language)) if p)
    start, end = event.starts_at, event.ends_at
    if service == "google":
        return GOOGLE + "?" + urlencode({
            "action": "TEMPLATE", "text": title, "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": details, "location": location})
    query = urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}", "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details, "location": location})
    return {"outlook": OUTLOOK_LIVE, "office365": OUTLOOK_365}[service] + "?" + query


def event_links(event, language: str, *, short: bool = False) -> dict[str, str]:
    """The .ics download and the "add to" links enabled for `language` (templates read them as
    attributes; a service not enabled is absent); `short` (mails): each service a site link that
    redirects when clicked."""
    def add_to(service: str) -> str:
        if short:
            return external_url("calendar.add_to", event_id=event.id, service=service, lang=language)
        return add_to_url(event, service, language)
    return {"ics": external_url("calendar.event_ics", event_id=event.id)} | {
        service: add_to(service) for service in enabled_services(language)}


def feed_links(url: str, name: str, language: str) -> dict[str, str]:
    """The feed's address, its webcal:// form, and subscribe links of the services enabled for
    `language` (Google's and Outlook.com's)."""
    links = dict(https=url, webcal=webcal(url))
    enabled = enabled_services(language)
    if "google" in enabled:
        links["google"] = f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal(url)})}"
    if "outlook" in enabled:
        links["outlook"] = f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': webcal(url), 'name': name})}"
    return links


def unit_feed_url(unit) -> str:
    return external_url("calendar.unit_feed", unit_id=unit.id,
                        token=feed_token("unit", unit.id, unit.feed_version))


def delegate_feed_url(delegate) -> str:
    return external_url("calendar.delegate_feed", delegate_id=delegate.id,
                        token=feed_token("delegate", delegate.id, delegate.feed_version))


def public_feed_links(language: str) -> dict[str, str]:
    """The alliance's feed of published events, in `language` (home page and event list)."""
    return feed_links(external_url("calendar.public_feed", lang=language), site_name(language), language)
