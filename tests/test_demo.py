"""`flask demo load`: fills an empty database once, prints the accounts, and is safe to repeat."""
from __future__ import annotations

from werkzeug.security import check_password_hash

from eventsite.accounts.models import User
from eventsite.extensions import db
from eventsite.members.models import UNIT_KINDS, Contact, MemberUnit

from . import factories


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (User, MemberUnit, Contact))


def test_demo_load_fills_an_empty_database(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        units = db.session.scalars(db.select(MemberUnit)).all()
        assert 80 <= len(units) <= 110
        assert {u.kind for u in units} == set(UNIT_KINDS)
        assert {u.batch for u in units} == {1, 2, 3}
        assert all(u.notes.startswith("DEMO DATA") and u.joined_on for u in units)
        names = {u.name_zh: u for u in units}
        assert names["成都市"].province == "CN-SC" and names["两江新区"].kind == "new_area"
        assert names["义乌市"].kind == "county_city" and names["杜伊斯堡"].country == "DE"
        assert any(t.name_en == "EU-China urbanization partnership pair" and t.name_zh == "中欧城镇化伙伴城市"
                   for t in names["成都市"].tags)
        contacts = db.session.scalars(db.select(Contact)).all()
        assert all(c.email.endswith("@demo.example.org") for c in contacts)
        assert {c.role for c in contacts} >= {"mayor", "vice_mayor", "liaison", "foreign_affairs"}
        assert all(c.name_zh or c.name_latin for c in contacts)
        users = db.session.scalars(db.select(User)).all()
        roles = sorted(u.role for u in users)
        assert roles.count("admin") == 1 and roles.count("organizer") == 2 and roles.count("liaison") == 5
        for user in users:
            assert user.email.endswith("@demo.example.org") and user.activated_at and user.is_active
            assert check_password_hash(user.password_hash, "demo-pass-123")
            assert user.email in result.output and (user.unit_id is not None) == (user.role == "liaison")
    assert "demo-pass-123" in result.output


def test_random_passwords_are_printed_and_work(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0
    with app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(role="admin"))
        line = next(line for line in result.output.splitlines() if admin.email in line)
        assert check_password_hash(admin.password_hash, line.split()[-1])


def test_second_load_changes_nothing(app, runner):
    runner.invoke(args=["demo", "load"])
    before = counts(app)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "already there" in result.output
    assert counts(app) == before


def test_load_refuses_a_database_with_data(app, runner):
    with app.app_context():
        factories.make_unit()
        db.session.commit()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "already there" in result.output
    assert counts(app) == (0, 1, 0)


def test_demo_has_an_event_in_progress_with_check_ins(app, runner):
    from eventsite.checkin.models import CheckIn, CheckinAssignment, SessionCheckIn
    from eventsite.delegations.models import Delegate
    from eventsite.events.models import Event
    from eventsite.extensions import now_utc

    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        now = now_utc()
        running = db.session.scalars(db.select(Event).where(Event.starts_at <= now, Event.ends_at > now,
                                                            Event.status == "published")).all()
        assert len(running) == 1
        event = running[0]
        assert (event.ends_at - now).total_seconds() < 3 * 86400
        confirmed = db.session.scalars(db.select(Delegate).filter_by(event_id=event.id, status="confirmed")).all()
        assert len(confirmed) >= 15 and all(d.badge_code for d in confirmed)
        door = db.session.scalars(db.select(CheckIn).filter_by(event_id=event.id)).all()
        assert len(confirmed) // 2 < len(door) < len(confirmed)  # some have not arrived
        assert {c.method for c in door} >= {"scan", "manual"}
        assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id)).filter_by(event_id=event.id)) > 0
        staff = db.session.scalar(db.select(User).filter_by(email="door@demo.example.org"))
        assert staff.role == "checkin" and check_password_hash(staff.password_hash, "demo-pass-123")
        assert db.session.get(CheckinAssignment, (staff.id, event.id)) is not None
    assert "door@demo.example.org" in result.output


def test_demo_has_cooperation_topics_profiles_projects_and_stands(app, runner, client):
    from eventsite.cooperation import queries
    from eventsite.cooperation.models import Profile, Project, Stand, Topic

    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        topics = db.session.scalars(db.select(Topic)).all()
        assert len(topics) == 12 and all(t.name_en and t.name_zh for t in topics)
        units = db.session.scalar(db.select(db.func.count(MemberUnit.id)).where(MemberUnit.is_active.is_(True)))
        profiles = db.session.scalars(db.select(Profile)).all()
        assert units * 2 // 3 < len(profiles) < units
        statuses = [p.status for p in db.session.scalars(db.select(Project))]
        assert len(statuses) == 8 and statuses.count("approved") == 7 and statuses.count("submitted") == 1
        stands = db.session.scalars(db.select(Stand)).all()
        assert len(stands) >= 5 and len({s.event_id for s in stands}) == 1
        codes = queries.topic_codes_by_unit([p.unit_id for p in profiles])
        assert all(offered for offered, _sought in codes.values())
        expo_id = stands[0].event_id
    assert "Rail freight terminal extension" in client.get("/projects").get_data(as_text=True)
    assert "Duisburg" in client.get(f"/events/{expo_id}/exhibitors").get_data(as_text=True)
