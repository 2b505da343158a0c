"""Demo invitations and delegations in every state, for `flask demo load` (after the events).

The story is played through the real services, so seats, links, notices, mails and audit entries
are what the system itself makes; only what no service does is set directly (a bounced mail,
contacts that stopped receiving invitations, the flagship forum's policy). Each service commits,
so this runs after the rest is committed; an injected clock moves through the past in call order.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..accounts.models import User
from ..core.timezones import to_local
from ..delegations.models import Delegate, Delegation
from ..delegations.services import PersonRow, decisions, save_delegation, selfservice, withdraw
from ..events.models import Event
from ..extensions import db, now_utc
from ..invitations import notifications as mailing
from ..invitations.models import Invitation
from ..invitations.queries import STATUSES, rows_for
from ..invitations.rules import invitation_for
from ..invitations.services import answers, issuing
from ..mail.models import OutboxMessage
from ..members.audience import Audience
from ..members.models import MemberUnit
from . import data, letters
from .data import slug

FLAGSHIP = "EU–China Urbanization Partnership Forum"
UN_MEETING = "Side meeting at the UN: cities and the SDGs"
STUDY_TOUR = "Study tour to Duisburg: ports and logistics"
WORKSHOP = "Online workshop: writing EU project proposals"

# The flagship forum: what each invited unit (English demo names) did. "confirmed" is in the
# order of approval; the room is sized so that the last of them find it full.
FORUM = {
    "confirmed": ["Chengdu", "Duisburg", "Wuhan", "Xi'an", "Lyon", "Qingdao", "Milan", "Suzhou",
                  "Tianfu New Area", "Eurocities", "Changzhou", "Barcelona"],
    "submitted": ["Yiwu", "Ningbo", "Łódź", "Zhuhai"],
    "rejected": ["Wuhou District, Chengdu"],
    "accepted": ["Luoyang"],
    "declined": ["Ghent", "Dalian", "Turin", "Harbin"],
    "no_address": ["Xiong'an New Area", "Zhouzhuang Town"],
    "mail_failed": ["Porto", "Kunming"],
    "revoked": ["Hamburg", "Nansha New Area"],
    "invited": ["Liangjiang New Area", "Zhuzhou", "Binhai New Area", "Hefei", "Xiamen",
                "Pudong New Area", "Chaoyang District, Beijing", "Nanshan District, Shenzhen",
                "Wuzhen Town", "Rotterdam", "Jiaxing", "China Center for Urban Development",
                "China Academy of Urban Planning and Design"],
}
FORUM_BIG_QUOTA = ("Chengdu", "Wuhan", "Xi'an", "Milan")  # 5 people instead of the event's 4
REJECT_REASON = ("成都市已组织统一代表团，请通过成都市外事办加入该代表团。 / Chengdu registers one joint "
                 "delegation for the city: please join it through the Chengdu Foreign Affairs Office.")
BOUNCE = "550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table"

UN_INVITED = ["Chengdu", "Luoyang", "Yiwu", "Liangjiang New Area", "Duisburg", "Wuhan", "Eurocities",
              "Barcelona", "Nanshan District, Shenzhen"]
TOUR_INVITED = ["Chengdu", "Yiwu", "Zhengzhou", "Xi'an", "Ningbo", "Qingdao", "Xiamen", "Wuhan",
                "Lanzhou", "Kunming", "Harbin", "Liangjiang New Area"]
TOUR_REGISTERED = ["Chengdu", "Yiwu", "Zhengzhou", "Xi'an", "Ningbo"]
# Open to all: (unit, people); the last one withdraws again.
WORKSHOP_UNITS = [("Yiwu", 2), ("Suzhou", 3), ("Ningbo", 2), ("Kunshan", 1), ("Rotterdam", 2), ("Luoyang", 2)]

ROLES = {1: ["head"], 2: ["head", "deputy"], 3: ["head", "deputy", "interpreter"],
         4: ["head", "deputy", "member", "interpreter"],
         5: ["head", "deputy", "member", "member", "interpreter"]}
ONLINE_ROLES = {1: ["head"], 2: ["head", "member"], 3: ["head", "member", "member"]}
NOTES = ["请安排中英文同声传译。", "Please seat our interpreter next to the head of delegation.", "", "", "代表团需要两间无烟客房。"]


class _Clock:
    """The story's moments: after `start`, a few hours apart, before `end`, each later than the last."""

    def __init__(self, start: datetime, end: datetime, rng: random.Random):
        self.at, self.end, self.rng = start, end, rng

    def __call__(self) -> datetime:
        later = self.at + timedelta(minutes=self.rng.randint(60, 360))
        self.at = later if later < self.end else self.at + timedelta(seconds=1)
        return self.at


@dataclass
class _Story:
    rng: random.Random
    organizer: User
    units: dict[str, MemberUnit]
    liaisons: dict[int, User]  # unit id -> its demo liaison account


def add_registrations(events: list[Event], organizer: User, now: datetime | None = None) -> None:
    """Play the demo story on the committed demo events (each service commits)."""
    now = now or now_utc()
    by_title = {e.title_en: e for e in events}
    units = {u.name_en: u for u in db.session.scalars(db.select(MemberUnit))}
    liaisons = {u.unit_id: u for u in db.session.scalars(db.select(User).filter_by(role="liaison"))}
    story = _Story(random.Random(20240602), organizer, units, liaisons)  # nosec B311 # seeded demo
    for title, play in ((STUDY_TOUR, _study_tour), (WORKSHOP, _workshop), (UN_MEETING, _un_meeting),
                        (FLAGSHIP, _flagship)):
        if title in by_title:  # a renamed demo event only loses its registrations
            play(by_title[title], story, now)


# --- the four events --------------------------------------------------------------------------

def _flagship(event: Event, story: _Story, now: datetime) -> None:
    """~40 invited units in every state; approval on; a few delegates on the waiting list."""
    event.registration_mode = "invited_only"
    for name in FORUM["no_address"]:
        for contact in story.units[name].contacts:
            contact.receives_invitations = False
    quotas = {story.units[n].id: 5 for n in FORUM_BIG_QUOTA}
    registering = FORUM["confirmed"] + FORUM["submitted"] + FORUM["rejected"]
    sizes = {n: story.rng.randint(2, quotas.get(story.units[n].id, event.default_quota)) for n in registering}
    # Room for all but the last three to seven people approved.
    event.capacity = (sum(sizes[n] for n in FORUM["confirmed"]) - 3) // 5 * 5
    clock = _Clock(event.registration_opens_at + timedelta(days=1), now - timedelta(minutes=30), story.rng)
    invitations = _issue(event, sum(FORUM.values(), []), story, clock(), quotas)
    for name in FORUM["mail_failed"]:
        _bounce(invitations[name])
    for name in FORUM["revoked"]:
        issuing.revoke(invitations[name], story.organizer, now=clock())
    for n, name in enumerate(FORUM["declined"]):
        _decline(invitations[name], n, clock())
    for name in FORUM["accepted"]:
        answers.accept(invitations[name], story.liaisons[story.units[name].id], now=clock())
    order = list(registering)
    story.rng.shuffle(order)
    delegations = {name: _register(event, story.units[name], story, clock(), sizes[name]) for name in order}
    for name in FORUM["confirmed"]:
        decisions.approve(delegations[name], story.organizer, now=clock())
    for name in FORUM["rejected"]:
        decisions.reject(delegations[name], REJECT_REASON, story.organizer, now=clock())
    # A member of an early delegation cannot come: the first one waiting gets the seat.
    leaving = next(d for n in FORUM["confirmed"][2:] for d in delegations[n].delegates
                   if d.role == "deputy" and d.status == "confirmed")
    selfservice.decline(leaving, now=clock())
    letters.add_letter(event, story.organizer)  # one issued invitation letter


def _un_meeting(event: Event, story: _Story, now: datetime) -> None:
    """Invited units only; most have not answered yet (still open), one registered."""
    clock = _Clock(event.registration_opens_at + timedelta(days=2), now - timedelta(minutes=30), story.rng)
    _issue(event, UN_INVITED, story, clock())
    _register(event, story.units["Wuhan"], story, clock(), 2)


def _study_tour(event: Event, story: _Story, now: datetime) -> None:
    """A past study tour: some registered and approved, one declined, the rest never replied."""
    end = min(event.registration_closes_at, now) - timedelta(days=1)
    clock = _Clock(event.registration_opens_at + timedelta(days=1), end, story.rng)
    invitations = _issue(event, TOUR_INVITED, story, clock())
    _decline(invitations["Qingdao"], 0, clock())
    registered = [_register(event, story.units[n], story, clock(), 2) for n in TOUR_REGISTERED]
    for delegation in registered:
        decisions.approve(delegation, story.organizer, now=clock())


def _workshop(event: Event, story: _Story, now: datetime) -> None:
    """Open to all, no approval: confirmed delegations, one withdrawn, one delegate declined."""
    clock = _Clock(event.registration_opens_at + timedelta(days=3), now - timedelta(hours=1), story.rng)
    delegations = [_register(event, story.units[name], story, clock(), size, roles=ONLINE_ROLES)
                   for name, size in WORKSHOP_UNITS]
    withdrawing = delegations[-1]
    withdraw(withdrawing, actor=story.liaisons.get(withdrawing.unit_id, story.organizer),
             as_organizer=withdrawing.unit_id not in story.liaisons, now=clock())
    member = next(d for d in delegations[1].delegates if d.role == "member")
    selfservice.decline(member, now=clock())


# --- steps ------------------------------------------------------------------------------------

def _issue(event: Event, names: list[str], story: _Story, at: datetime,
           quotas: dict[int, int] | None = None) -> dict[str, Invitation]:
    ids = [story.units[n].id for n in names]
    issuing.issue(event, Audience(unit_ids=ids), mailing.default_content(), story.organizer,
                  quotas=quotas, now=at)
    return {n: invitation_for(event.id, story.units[n].id) for n in names}


def _decline(invitation: Invitation, n: int, at: datetime) -> None:
    """Declined by a contact through the link in their mail, with a reason in their language."""
    link = invitation.links[0]
    language = link.contact.language if link.contact else "en"
    reasons = data.DECLINE_REASONS[language]
    answers.decline(invitation, reasons[n % len(reasons)], link=link, now=at)


def _bounce(invitation: Invitation) -> None:
    """Every mail of the invitation bounced (what the worker records after its last attempt)."""
    ids = [link.message_id for link in invitation.links if link.message_id]
    for message in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
        message.state, message.attempts = "failed", 3
        message.last_error = BOUNCE.format(to=message.to_addr)
    db.session.commit()


def _register(event: Event, unit: MemberUnit, story: _Story, at: datetime, size: int, *,
              roles: dict[int, list[str]] = ROLES) -> Delegation:
    """The unit's liaison registers; for a unit without an account, the secretariat does."""
    liaison = story.liaisons.get(unit.id)
    rows = _people(event, unit, roles[size], story.rng)
    return save_delegation(event, unit, rows, notes=story.rng.choice(NOTES),
                           actor=liaison or story.organizer, as_organizer=liaison is None,
                           now=at).delegation


# --- people -----------------------------------------------------------------------------------

def _people(event: Event, unit: MemberUnit, roles: list[str], rng: random.Random) -> list[PersonRow]:
    """One delegation travelling together, with realistic names, titles, needs and flights."""
    foreign = unit.country != "CN"
    contacts: dict = {}
    for contact in unit.contacts:
        contacts.setdefault(contact.role, contact)
    first = to_local(event.starts_at, event.timezone).date()
    last = to_local(event.ends_at, event.timezone).date()
    arrival = _trip(first - timedelta(days=1), (data.ARRIVALS_EU if foreign else data.ARRIVALS), event, rng)
    departure = _trip(last + timedelta(days=0 if foreign else 1),
                      (data.DEPARTURES_EU if foreign else data.DEPARTURES), event, rng)
    rows = []
    for n, role in enumerate(roles):
        person = _foreign_person(unit, role, n, contacts, rng) if foreign else _chinese_person(
            unit, role, n, contacts, rng)
        values = person | {
            "role": role, "organization": unit.name_en if foreign else unit.name_zh,
            "mobile": mobile(unit, rng),
            "dietary": rng.choice(data.DIETARY_EU if foreign else data.DIETARY_CN),
            "accessibility": "轮椅通道 / wheelchair access" if rng.random() < 0.05 else "",
        }
        if arrival:
            values |= {"arrival_at": arrival[0], "arrival_details": arrival[1], "arrival_place": arrival[2]}
        if departure:
            values |= {"departure_at": departure[0], "departure_details": departure[1],
                       "departure_place": departure[2]}
        if event.collects("passport") and unit.country == "CN":  # who needs a visa for these events
            values |= _passport(person, unit, last, rng)
        # The interpreter goes where the head goes.
        sessions = rows[0].session_ids if role == "interpreter" and rows else _sessions(event, rng)
        rows.append(PersonRow(values, session_ids=sessions))
    return rows


def _passport(person: dict, unit: MemberUnit, last: date, rng: random.Random) -> dict:
    """Made-up travel documents (an event abroad asks for them for the visa letters)."""
    return {"passport_name": f"{person['family_name']} {person['given_name']}".upper(),
            "passport_number": f"E{rng.randrange(10**7, 10**8)}", "nationality": unit.country,
            "birth_date": date(rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            "passport_expiry": last.replace(year=last.year + rng.randint(2, 9), day=1)}


def _chinese_person(unit: MemberUnit, role: str, n: int, contacts: dict, rng: random.Random) -> dict:
    contact = contacts.get({"head": "mayor", "deputy": "foreign_affairs"}.get(role, ""))
    if contact is not None:
        family, _, given = contact.name_latin.partition(" ")
        name_zh, email = contact.name_zh, contact.email
    else:
        (fz, family), (gz, given) = rng.choice(data.SURNAMES), rng.choice(data.GIVEN)
        name_zh, email = fz + gz, ""
    if role == "head":
        zh, _deputy, en = data.HEAD_TITLES[unit.kind]
    elif role == "deputy":  # the foreign affairs director when the unit has one, else a vice-mayor
        zh, en = data.DELEGATE_TITLES_CN["deputy"][0 if contact is not None else 1]
    else:
        zh, en = rng.choice(data.DELEGATE_TITLES_CN.get(role, data.DELEGATE_TITLES_CN["member"]))
    family = family.capitalize()
    return {"family_name": family, "given_name": given, "name_zh": name_zh, "title": f"{zh} / {en}",
            "email": email or _email(given, family, unit, n), "language": "en" if role == "interpreter" else "zh"}


def _foreign_person(unit: MemberUnit, role: str, n: int, contacts: dict, rng: random.Random) -> dict:
    titles = data.DELEGATE_TITLES_EU
    if role == "interpreter":
        name_zh, family, given = rng.choice(data.INTERPRETERS_EU)
        return {"family_name": family, "given_name": given, "name_zh": name_zh,
                "title": titles["interpreter"][0], "email": _email(given, family, unit, n), "language": "en"}
    contact = {"head": contacts.get("mayor") or contacts.get("other"),
               "deputy": contacts.get("vice_mayor") or contacts.get("liaison")}.get(role)
    if contact is not None:
        given, _, family = contact.name_latin.partition(" ")
        title, email = contact.title, contact.email
    else:
        given, family = rng.choice(data.EUROPEAN_DELEGATES.get(unit.country, data.EUROPEAN_DELEGATES["BE"]))
        title, email = rng.choice(titles.get(role, titles["member"])), ""
    return {"family_name": family, "given_name": given, "name_zh": "", "title": title,
            "email": email or _email(given, family, unit, n), "language": "en"}


def _trip(day: date, table: dict, event: Event, rng: random.Random) -> tuple[datetime, str, str] | None:
    """(wall-clock time in the event's zone, flight or train number, airport or station), or None
    (no travel to this city)."""
    choices = table.get(event.city_en)
    if not choices:
        return None
    number, place, clock = rng.choice(choices)
    return datetime.combine(day, time.fromisoformat(clock)), number, place


def _sessions(event: Event, rng: random.Random) -> list[int] | None:
    """One choice per time slot of the sessions delegates choose, sometimes none on day two."""
    slots: dict[datetime, list[int]] = {}
    for session in event.sessions:
        if session.delegates_choose:
            slots.setdefault(session.starts_at, []).append(session.id)
    if not slots:
        return None
    return [rng.choice(ids) for n, (_start, ids) in enumerate(sorted(slots.items()))
            if n < 2 or rng.random() < 0.7]


def mobile(unit: MemberUnit, rng: random.Random) -> str:
    """A Chinese mobile number, or one in the foreign unit's city (its contacts' phones too)."""
    if unit.country == "CN":
        return f"+86 1{rng.randint(30, 89)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return f"{data.PHONE_PREFIX.get(unit.country, '+32 2')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _email(given: str, family: str, unit: MemberUnit, n: int) -> str:
    return f"{slug(given)}.{slug(family)}.{slug(unit.name_en)}{n}@{data.DEMO_DOMAIN}"


# --- what `flask demo load` prints --------------------------------------------------------------

def summary_lines(now: datetime | None = None) -> list[str]:
    """Counts by status, and which liaison to log in as to see an invitation and a delegation."""
    now = now or now_utc()
    invited = dict.fromkeys(STATUSES, 0)
    for event in db.session.scalars(db.select(Event).where(Event.id.in_(db.select(Invitation.event_id)))):
        for row in rows_for(event, now):
            invited[row.status] += 1
    delegations = _count(Delegation.status)
    lines = ["Demo invitations: " + _join(invited),
             "Demo delegations: " + _join(delegations) + "; delegates: " + _join(_count(Delegate.status))]
    chengdu = db.session.scalar(db.select(User).join(MemberUnit, MemberUnit.id == User.unit_id)
                                .where(User.role == "liaison", MemberUnit.name_en == "Chengdu"))
    if chengdu is not None and delegations:
        lines.append(f"Log in as {chengdu.email} to see an open invitation (My invitations) and a "
                     f"registered delegation ({FLAGSHIP}).")
    return lines


def _count(column) -> dict[str, int]:
    return dict(db.session.execute(db.select(column, db.func.count()).group_by(column)
                                   .order_by(column)).all())


def _join(counts: dict[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items() if n) or "none"
