"""A year of demo events around today (five time zones; one cancelled, one draft, one in English
only), for `flask demo load`; built with the models directly, statuses as after publishing.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..core.timezones import to_utc
from ..events.models import AgendaSession, Event
from ..extensions import db, now_utc

CONTACT = {"contact_name": "Alliance Secretariat / 联盟秘书处", "contact_email": "events@demo.example.org",
           "contact_phone": "+86 10 6500 0000"}

# Each session: (day, "HH:MM", "HH:MM", kind, track, title_en, title_zh, room, speakers, capacity, choose)
Row = tuple[int, str, str, str, str, str, str, str, str, int | None, bool]

BRUSSELS_AGENDA: list[Row] = [
    (0, "09:00", "09:30", "plenary", "", "Opening and welcome", "开幕致辞", "Hemicycle",
     "Secretary General of the Alliance; Mayor of Brussels", None, False),
    (0, "09:30", "11:00", "plenary", "", "Keynotes: people-centred urbanization",
     "主旨演讲：以人为本的新型城镇化", "Hemicycle", "Eurocities; China Center for Urban Development", None, False),
    (0, "11:00", "11:30", "break", "", "Coffee break", "茶歇", "Foyer", "", None, False),
    (0, "11:30", "13:00", "parallel", "A", "Smart cities and digital governance", "智慧城市与数字治理",
     "Room A", "Suzhou; Eindhoven", 80, True),
    (0, "11:30", "13:00", "parallel", "B", "Low-carbon transition of industrial cities",
     "工业城市低碳转型", "Room B", "Duisburg; Wuhu", 60, True),
    (0, "11:30", "13:00", "parallel", "C", "Historic towns and cultural heritage", "历史文化名镇保护",
     "Room C", "Lyon; Pingyao", 60, True),
    (0, "13:00", "14:30", "break", "", "Lunch", "午餐", "Restaurant", "", None, False),
    (0, "14:30", "16:00", "parallel", "A", "Data for urban planning", "城市规划中的数据应用", "Room A",
     "", 80, True),
    (0, "14:30", "16:00", "parallel", "B", "Green finance for municipal projects", "城市项目绿色金融",
     "Room B", "", 60, True),
    (0, "14:30", "16:00", "parallel", "C", "Twin-city partnerships that last", "持久的友好城市合作",
     "Room C", "", 60, True),
    (0, "16:30", "18:00", "plenary", "", "Reports from the tracks", "分论坛成果汇报", "Hemicycle", "", None, False),
    (0, "19:00", "21:30", "reception", "", "Reception at the Town Hall", "市政厅招待会", "Brussels Town Hall",
     "", 200, False),
    (1, "09:00", "12:30", "site_visit", "", "Site visit: Tour & Taxis urban regeneration",
     "实地考察：Tour & Taxis 城市更新项目", "Meet at the main entrance", "", 40, True),
    (1, "09:00", "12:30", "parallel", "A", "Workshop: pairing cities for 2027", "工作坊：2027 年城市结对",
     "Room A", "", 50, True),
    (1, "14:00", "16:00", "plenary", "", "Closing plenary and Brussels statement", "闭幕全体会议及布鲁塞尔声明",
     "Hemicycle", "", None, False),
]

SIMPLE_AGENDA: list[Row] = [
    (0, "09:00", "10:30", "plenary", "", "Opening plenary", "开幕全体会议", "Main hall", "", None, False),
    (0, "10:30", "11:00", "break", "", "Tea break", "茶歇", "", "", None, False),
    (0, "11:00", "12:30", "plenary", "", "Dialogue of mayors", "市长对话", "Main hall", "", None, False),
    (1, "09:00", "12:00", "site_visit", "", "Site visit", "实地考察", "", "", 30, True),
]

# The rooms' Chinese names (the agendas above name them in English).
ROOMS_ZH = {"Hemicycle": "半圆会议厅", "Foyer": "前厅", "Room A": "A 会议室", "Room B": "B 会议室",
            "Room C": "C 会议室", "Restaurant": "餐厅", "Brussels Town Hall": "布鲁塞尔市政厅",
            "Meet at the main entrance": "正门集合", "Main hall": "主会场"}
CHENGDU_VENUE = {"venue_name_en": "Chengdu Century City Convention Centre", "venue_name_zh": "成都世纪城会议中心",
                 "venue_address_en": "88 Shijicheng Road", "venue_address_zh": "世纪城路88号",
                 "city_en": "Chengdu", "city_zh": "成都"}

DESCRIPTION_EN = """The China International Cities Development Alliance invites its member units to **{what}**.

- Exchanges between Chinese and European cities
- Cases from member units, with time for questions
- Delegations of up to five people per unit

Practical information is sent with the invitation. Questions: [events@demo.example.org](mailto:events@demo.example.org).

*DEMO DATA — invented for demonstration.*
"""
DESCRIPTION_ZH = """中国国际城市发展联盟诚邀各成员单位参加**{what}**。

- 中欧城市交流
- 成员单位案例分享与问答
- 每个单位最多五人组团

具体安排随邀请函发送。咨询：[events@demo.example.org](mailto:events@demo.example.org)。

*演示数据，仅供展示。*
"""


def _at(day: date, clock: str, zone: str) -> datetime:
    return to_utc(datetime.combine(day, time.fromisoformat(clock)), zone)[0]


def _event(today: date, offset: int, days: int, zone: str, **fields) -> Event:
    first = today + timedelta(days=offset)
    start, end = _at(first, "09:00", zone), _at(first + timedelta(days=days - 1), "18:00", zone)
    status = fields.pop("status", "published")
    what_en, what_zh = fields.get("title_en") or fields["title_zh"], fields.get("title_zh") or fields["title_en"]
    return Event(
        sequence=0, status=status, timezone=zone, starts_at=start, ends_at=end,
        description_en=fields.pop("description_en", DESCRIPTION_EN.format(what=what_en)),
        description_zh=fields.pop("description_zh", DESCRIPTION_ZH.format(what=what_zh)),
        published_at=None if status == "draft" else start - timedelta(days=60),
        registration_opens_at=start - timedelta(days=60),
        registration_closes_at=start - timedelta(days=10),
        edit_deadline=start - timedelta(days=5),
        **{**CONTACT, **fields})


def _agenda(event: Event, first: date, rows: list[Row]) -> list[AgendaSession]:
    return [AgendaSession(position=n, kind=kind, track=track, title_en=title_en, title_zh=title_zh,
                          starts_at=_at(first + timedelta(days=day), begin, event.timezone),
                          ends_at=_at(first + timedelta(days=day), finish, event.timezone),
                          room_en=room, room_zh=ROOMS_ZH.get(room, ""), speakers=speakers, capacity=capacity, delegates_choose=choose)
            for n, (day, begin, finish, kind, track, title_en, title_zh, room, speakers, capacity, choose)
            in enumerate(rows)]


def add_events(created_by=None, today: date | None = None) -> list[Event]:
    """Add the demo events to the session (the caller commits)."""
    today = today or now_utc().date()
    specs = [
        # (offset in days, length in days, zone, fields, agenda)
        (-210, 2, "Asia/Shanghai", dict(
            kind="forum", title_en="Annual Forum of the Alliance (last year)", title_zh="联盟年度论坛（上届）",
            summary_en="Mayors and partner cities on new-type urbanization.",
            summary_zh="市长与伙伴城市共话新型城镇化。",
            **CHENGDU_VENUE, country="CN", capacity=400, default_quota=5), SIMPLE_AGENDA),
        (-150, 1, "Asia/Shanghai", dict(
            kind="seminar", title_en="Seminar on the Yangtze River Economic Belt", title_zh="长江经济带城市研讨会",
            summary_en="Green development along the Yangtze.", summary_zh="长江沿线城市绿色发展。",
            venue_name_en="Wuhan International Expo Centre", venue_name_zh="武汉国际博览中心",
            city_en="Wuhan", city_zh="武汉", country="CN"), SIMPLE_AGENDA[:3]),
        (-90, 4, "Europe/Berlin", dict(
            kind="study_tour", title_en="Study tour to Duisburg: ports and logistics",
            title_zh="杜伊斯堡考察：港口与物流",
            summary_en="The inland port at the end of the China–Europe rail line.",
            summary_zh="中欧班列终点的内河港口。",
            venue_name_en="duisport", venue_name_zh="杜伊斯堡港", city_en="Duisburg", city_zh="杜伊斯堡",
            country="DE", registration_mode="invited_only",
            capacity=30, default_quota=2, approval_required=True), SIMPLE_AGENDA),
        (-30, 3, "Asia/Shanghai", dict(
            kind="training", title_en="Training for foreign affairs officers (online and in Beijing)",
            title_zh="外事干部培训（线上及北京）",
            summary_en="Protocol, international projects, working with European partners.",
            summary_zh="外事礼仪、国际项目、与欧洲伙伴合作。",
            venue_name_en="Online / Beijing training centre", venue_name_zh="线上 / 北京培训中心", city_en="Beijing",
            city_zh="北京", country="CN", capacity=120),
         SIMPLE_AGENDA[:3]),
        (12, 1, "Asia/Shanghai", dict(
            kind="training", title_en="Online workshop: writing EU project proposals", title_zh="",
            summary_en="For liaisons of member units. English only.", venue_name_en="Online",
            city_en="Beijing", country="CN", capacity=200, default_quota=3,
            delegate_details="title,organization,notes"), SIMPLE_AGENDA[:1]),  # online: no travel
        (25, 1, "America/New_York", dict(
            kind="meeting", title_en="Side meeting at the UN: cities and the SDGs",
            title_zh="联合国边会：城市与可持续发展目标",
            summary_en="Member cities report on local SDG work.", summary_zh="成员城市介绍本地可持续发展实践。",
            venue_name_en="UN Headquarters, Conference Room 6", venue_name_zh="联合国总部第六会议室",
            venue_address_en="405 East 42nd Street", city_en="New York", city_zh="纽约", country="US", registration_mode="invited_only", capacity=40, default_quota=2,
            # A US visa needs an invitation letter: the travel documents are asked too.
            delegate_details="title,organization,mobile,dietary,travel,passport,notes"),
         SIMPLE_AGENDA[:3]),
        (45, 2, "Europe/Brussels", dict(
            kind="forum", title_en="EU–China Urbanization Partnership Forum", title_zh="中欧城镇化伙伴关系论坛",
            summary_en="Two days, three parallel tracks and a site visit.",
            summary_zh="两天会议，三个平行分论坛及实地考察。",
            venue_name_en="Square – Brussels Meeting Centre", venue_name_zh="布鲁塞尔Square会议中心",
            venue_address_en="Mont des Arts, 1000 Brussels", venue_address_zh="布鲁塞尔艺术山",
            city_en="Brussels", city_zh="布鲁塞尔", country="BE", capacity=300, default_quota=4, approval_required=True,
            # Chinese delegations need a Schengen visa, so an invitation letter: travel documents too.
            delegate_details="title,organization,mobile,dietary,accessibility,travel,passport,notes"),
         BRUSSELS_AGENDA),
        (70, 1, "Europe/Paris", dict(
            kind="seminar", title_en="Lyon seminar on urban mobility", title_zh="里昂城市交通研讨会",
            summary_en="Metro, tram and cycling policies.", summary_zh="地铁、有轨电车与自行车政策。",
            venue_name_en="Hôtel de Ville de Lyon", venue_name_zh="里昂市政厅", city_en="Lyon", city_zh="里昂",
            country="FR", status="cancelled",
            cancel_reason_en="The host city has postponed the seminar to next year; invited delegations will be contacted.",
            cancel_reason_zh="主办城市将研讨会推迟至明年，秘书处将联系受邀代表团。"), SIMPLE_AGENDA[:3]),
        (100, 3, "Asia/Shanghai", dict(
            kind="exposition", title_en="Yiwu International Commodities Exposition: alliance pavilion",
            title_zh="义乌国际小商品博览会联盟展区",
            summary_en="Member cities present their products and investment projects.",
            summary_zh="成员城市展示特色产品与投资项目。",
            venue_name_en="Yiwu International Expo Centre", venue_name_zh="义乌国际博览中心", city_en="Yiwu",
            city_zh="义乌", country="CN", capacity=500,
            default_quota=8), SIMPLE_AGENDA),
        (160, 2, "Asia/Shanghai", dict(
            kind="forum", title_en="Annual Forum of the Alliance", title_zh="联盟年度论坛",
            summary_en="The alliance's yearly gathering of mayors and partner cities.",
            summary_zh="联盟一年一度的市长与伙伴城市大会。",
            **CHENGDU_VENUE, country="CN", capacity=400, default_quota=5), SIMPLE_AGENDA),
        (200, 5, "Asia/Shanghai", dict(
            kind="study_tour", status="draft", title_en="Study tour: Yellow River Basin cities",
            title_zh="黄河流域城市考察", city_zh="兰州", country="CN"), []),  # Chinese only, as typed
    ]
    events = []
    for offset, length, zone, fields, agenda in specs:
        event = _event(today, offset, length, zone, created_by=created_by, **fields)
        if event.status == "cancelled":
            event.cancelled_at = now_utc() - timedelta(days=3)
        event.sessions = _agenda(event, today + timedelta(days=offset), agenda)
        db.session.add(event)
        events.append(event)
    return events
