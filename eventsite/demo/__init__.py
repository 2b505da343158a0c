"""`flask demo load`: fill an empty database with a demo alliance and demo accounts (units and
people in `data`, events in `events`, invitations and delegations in `registrations`, pickup
runs in `pickups`, bilateral meetings in `meetings`, the event in progress with its check-ins in
`checkins`, topics, profiles, projects and exposition stands in `cooperation`). Safe on every start
(`make run` does it): when any account or unit exists it changes nothing.
"""
from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

import click
from flask.cli import AppGroup

from ..accounts.models import User
from ..accounts.services import hash_password
from ..extensions import db, now_utc
from ..members.models import Contact, MemberUnit
from ..members.services import tags_named
from . import checkins, cooperation, data, events, hotels, meetings, pickups, registrations
from .data import slug

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--password", default=None, help="One password for every demo account (default: random per account).")
def load_command(password: str | None) -> None:
    """Create demo member units, contacts and accounts in an empty database."""
    if db.session.scalar(db.select(User.id).limit(1)) or db.session.scalar(db.select(MemberUnit.id).limit(1)):
        click.echo("Demo data is already there (the database has accounts or member units); nothing changed.")
        return
    accounts = load(password)
    click.echo(f"Loaded {len(data.UNITS)} demo member units. Demo accounts (email, role, password):")
    for email, role, pw in accounts:
        click.echo(f"  {email:<46} {role:<10} {pw}")
    for line in registrations.summary_lines():
        click.echo(line)


def load(password: str | None = None) -> list[tuple[str, str, str]]:
    """Create units, accounts and events in one transaction, then play the registrations
    (their services commit one by one); returns (email, role, password) per account."""
    rng = random.Random(20240601)  # nosec B311 # seeded: same demo data each time; passwords use secrets
    units: dict[str, MemberUnit] = {}
    for n, (kind, name_zh, name_en, country, province, batch, tags) in enumerate(data.UNITS):
        start, end = (date.fromisoformat(d) for d in data.JOIN_DATES[batch])
        unit = MemberUnit(
            kind=kind, name_zh=name_zh, name_en=name_en, country=country, province=province,
            batch=batch, joined_on=start + timedelta(days=rng.randint(0, (end - start).days)),
            website=f"https://{slug(name_en)}.{data.DEMO_DOMAIN}/", notes=data.DEMO_NOTE,
            is_active=n % 23 != 22)  # a few inactive units, to see the filter work
        unit.tags = tags_named(list(tags))
        unit.contacts = _contacts(unit, rng)
        db.session.add(unit)
        units[name_en] = unit
    db.session.flush()

    accounts = [("admin@" + data.DEMO_DOMAIN, "admin", "Demo Admin", None)]
    accounts += [(f"organizer{i}@{data.DEMO_DOMAIN}", "organizer", f"Demo Organizer {i}", None) for i in (1, 2)]
    accounts += [(f"liaison.{slug(name)}@{data.DEMO_DOMAIN}", "liaison", f"Liaison {name}", units[name])
                 for name in data.LIAISON_UNITS]
    accounts += [(checkins.DOOR_EMAIL, "checkin", "Demo Door Staff", None)]
    printed = []
    for email, role, name, unit in accounts:
        pw = password or secrets.token_urlsafe(12)
        db.session.add(User(
            email=email, name=name, role=role, unit=unit, activated_at=now_utc(),
            password_hash=hash_password(pw),
            # Staff follow their browser; a liaison gets their unit's usual language.
            locale=None if unit is None else ("zh" if unit.country == "CN" else "en"),
        ))
        printed.append((email, role, pw))
    organizer = db.session.scalar(db.select(User).filter_by(role="organizer").order_by(User.email).limit(1))
    added = events.add_events(created_by=organizer)
    db.session.commit()
    registrations.add_registrations(added, organizer)
    hotels.add_hotels(added, organizer, registrations.FLAGSHIP)
    pickups.add_pickups(registrations.FLAGSHIP, organizer)
    meetings.add_meetings(registrations.FLAGSHIP, organizer)
    door = db.session.scalar(db.select(User).filter_by(email=checkins.DOOR_EMAIL))
    checkins.add_event_in_progress(organizer, door)
    cooperation.add_cooperation(organizer)
    return printed


def _contacts(unit: MemberUnit, rng: random.Random) -> list[Contact]:
    # (role, Chinese name, Latin name, title, language, phone) of each contact
    if unit.country != "CN":
        people = data.EUROPEAN.get(unit.country, data.EUROPEAN["BE"])
        titles = ("Mayor", "Deputy Mayor for International Relations", "International Relations Officer")
        roles = ("mayor", "vice_mayor", "liaison")
        if unit.kind == "institution":
            titles, roles = ("Secretary General", "Policy Officer", "Project Coordinator"), ("other", "liaison", "other")
        rows = [(role, "", person, title, "en", registrations.mobile(unit, rng))
                for role, person, title in zip(roles, people, titles)]
    else:
        head, deputy, _head_en = data.HEAD_TITLES[unit.kind]
        plan = [("mayor", head), ("vice_mayor", deputy), ("foreign_affairs", "外事办公室主任"),
                ("liaison", "国际合作处联络员")]
        rows = []
        for role, title in [plan[0], plan[3]] if unit.kind in ("town", "institution") else plan:
            (sz, sl), (gz, gl) = rng.choice(data.SURNAMES), rng.choice(data.GIVEN)
            language = "en" if role in ("foreign_affairs", "liaison") and rng.random() < 0.5 else "zh"
            phone = f"+86 {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            rows.append((role, sz + gz, f"{sl.upper()} {gl}", title, language, phone))
    return [Contact(role=role, name_zh=name_zh, name_latin=latin, title=title, language=language, phone=phone,
                    email=f"{role.replace('_', '-')}.{slug(unit.name_en)}@{data.DEMO_DOMAIN}",
                    receives_invitations=role != "vice_mayor")
            for role, name_zh, latin, title, language, phone in rows]
