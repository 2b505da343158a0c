"""Demo cooperation for `flask demo load`: the secretariat's twelve topics, a profile for most
active units (topics offered and sought, a short text in both languages), eight projects (seven
published, one awaiting review) and the stands of the exposition in Yiwu."""
from __future__ import annotations

import random

import sqlalchemy as sa

from ..accounts.models import User
from ..cooperation.models import EXPOSITION_KIND, Profile, Project, Stand, Topic, profile_topic
from ..events.models import Event
from ..extensions import db, now_utc
from ..members.models import MemberUnit

TOPICS = (("smart_city", "Smart city", "智慧城市"), ("green", "Green development", "绿色发展"),
          ("culture_tourism", "Culture and tourism", "文化旅游"), ("trade", "Trade and investment", "经贸投资"),
          ("education", "Education", "教育"), ("health", "Health", "医疗卫生"),
          ("transport", "Transport", "交通"), ("water", "Water", "水务"), ("agriculture", "Agriculture", "农业"),
          ("manufacturing", "Manufacturing", "制造业"), ("digital", "Digital economy", "数字经济"),
          ("urban_renewal", "Urban renewal", "城市更新"))

# (unit, title en, title zh, sector, stage, size, topics, status, location en, location zh, partner en, partner zh)
PROJECTS = (
    ("Chengdu", "Tianfu smart logistics hub", "天府智慧物流枢纽", "trade", "planning", "very_large",
     ("trade", "smart_city"), "approved", "Shuangliu, Chengdu", "成都双流", "A European logistics operator",
     "欧洲物流运营商"),
    ("Yibin", "Yangtze riverside wetland park", "长江滨江湿地公园", "environment", "approved", "large",
     ("green", "water"), "approved", "Yibin riverside", "宜宾滨江", "Landscape and water engineers", "景观与水务工程企业"),
    ("Luoyang", "Longmen cultural tourism district", "龙门文化旅游区", "tourism", "construction", "large",
     ("culture_tourism",), "approved", "Longmen, Luoyang", "洛阳龙门", "Hotel groups and tour operators",
     "酒店集团与旅行社"),
    ("Yiwu", "Cross-border e-commerce park", "跨境电商产业园", "trade", "operating", "medium",
     ("trade", "digital"), "approved", "Yiwu", "义乌", "Importers and online platforms", "进口商与电商平台"),
    ("Suzhou", "Advanced manufacturing innovation centre", "先进制造创新中心", "manufacturing", "approved",
     "very_large", ("manufacturing", "digital"), "approved", "Suzhou Industrial Park", "苏州工业园区",
     "Research institutes and machine builders", "科研院所与装备制造企业"),
    ("Liangjiang New Area", "Hydrogen bus corridor", "氢能公交走廊", "energy", "planning", "large",
     ("transport", "green"), "approved", "Liangjiang, Chongqing", "重庆两江", "Fuel-cell suppliers", "燃料电池供应商"),
    ("Duisburg", "Rail freight terminal extension", "铁路货运站扩建", "infrastructure", "approved", "very_large",
     ("transport", "trade"), "approved", "Duisburg port", "杜伊斯堡港", "Chinese rail and port investors",
     "中国铁路与港口投资方"),
    ("Deqing County", "Bamboo industry eco-park", "竹产业生态园", "agriculture", "idea", "small",
     ("agriculture", "green"), "submitted", "Deqing", "德清", "Designers and furniture brands", "设计与家居品牌"),
)
STANDS = (("Chengdu", "A", "A01", 36), ("Yiwu", "A", "A02", 54), ("Suzhou", "A", "A03", 36),
          ("Luoyang", "B", "B01", 18), ("Duisburg", "B", "B02", 18), ("Yibin", "B", "B03", 9))


def add_cooperation(organizer: User) -> None:
    rng = random.Random(20261206)  # nosec B311 # seeded: the same demo each time
    topics = [Topic(code=c, name_en=en, name_zh=zh, position=n) for n, (c, en, zh) in enumerate(TOPICS, 1)]
    db.session.add_all(topics)
    units = list(db.session.scalars(sa.select(MemberUnit).where(MemberUnit.is_active.is_(True))
                                    .order_by(MemberUnit.id)))
    by_name = {u.name_en: u for u in db.session.scalars(sa.select(MemberUnit))}
    links = []
    for n, unit in enumerate(units):
        if n % 6 == 5:
            continue  # some units have no profile yet
        offers, seeks = rng.sample(topics, 3), rng.sample(topics, 2)
        profile = Profile(
            unit=unit, text_en=f"{unit.name_en} offers cooperation in {', '.join(t.name_en.lower() for t in offers)}.",
            text_zh=f"{unit.name_zh}在{'、'.join(t.name_zh for t in offers)}等领域寻求合作。")
        db.session.add(profile)
        links.append((profile, offers, seeks))
    db.session.flush()
    db.session.execute(sa.insert(profile_topic), [
        {"profile_id": p.id, "topic_id": t.id, "kind": kind}
        for p, offers, seeks in links for kind, chosen in (("offers", offers), ("seeks", seeks))
        for t in chosen if not (kind == "seeks" and t in offers)])
    code = {t.code: t for t in topics}
    for (unit_name, title_en, title_zh, sector, stage, size, topic_codes, status, place_en, place_zh, partner_en,
         partner_zh) in PROJECTS:
        unit = by_name[unit_name]
        db.session.add(Project(
            unit=unit, title_en=title_en, title_zh=title_zh, sector=sector, stage=stage, size_band=size,
            description_en=f"{title_en}: a project of {unit.name_en} open to partners.",
            description_zh=f"{title_zh}：{unit.name_zh}面向合作伙伴开放的项目。",
            location_en=place_en, location_zh=place_zh, country=unit.country,
            province=unit.province if unit.country == "CN" else "", partner_sought_en=partner_en,
            partner_sought_zh=partner_zh, contact_name=f"Investment office of {unit.name_en}",
            contact_email=f"invest@{unit.name_en.lower().replace(' ', '-')}.demo.example.org",
            status=status, submitted_at=now_utc(), topics=[code[c] for c in topic_codes],
            reviewed_by_id=organizer.id if status == "approved" else None,
            reviewed_at=now_utc() if status == "approved" else None))
    expo = db.session.scalar(sa.select(Event).where(Event.kind == EXPOSITION_KIND).order_by(Event.id).limit(1))
    if expo is not None:
        db.session.add_all(Stand(event_id=expo.id, unit=by_name[name], hall=hall, number=number, size_m2=size)
                           for name, hall, number, size in STANDS)
    db.session.commit()
