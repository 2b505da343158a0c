"""The read side of mail: the admin's outbox list and the state of each message to a group."""
from __future__ import annotations

from ..core.listing import text_search
from ..extensions import db
from .models import MESSAGE_STATES, OutboxMessage


def outbox_query(state: str = "", kind: str = "", search: str = ""):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state in MESSAGE_STATES:
        query = query.where(OutboxMessage.state == state)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if search:
        query = query.where(text_search(search, OutboxMessage.to_addr, OutboxMessage.to_name))
    return query


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(db.select(OutboxMessage.state, db.func.count()).group_by(OutboxMessage.state))
    return dict.fromkeys(MESSAGE_STATES, 0) | dict(rows.all())


def outbox_kinds() -> list[str]:
    return list(db.session.scalars(db.select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)))


def state_counts(broadcast_ids: list[int]) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {bid: {} for bid in broadcast_ids}
    if broadcast_ids:
        for bid, state, count in db.session.execute(
                db.select(OutboxMessage.broadcast_id, OutboxMessage.state, db.func.count())
                .where(OutboxMessage.broadcast_id.in_(broadcast_ids))
                .group_by(OutboxMessage.broadcast_id, OutboxMessage.state)):
            result[bid][state] = count
    return result


def broadcast_messages(broadcast_id: int) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage)
                                   .where(OutboxMessage.broadcast_id == broadcast_id).order_by(OutboxMessage.id)))
