"""The read side of mail: the admin's outbox list, the state of each message to a group, and a
unit's or a delegate's messages (`messages_of`, organizers' pages)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import load_only

from ..core.listing import text_search
from ..extensions import db
from .labels import DELIVERY_LABELS, delivery
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


# --- whose messages: a unit's, a delegate's (organizers' pages) ---------------------------------
# The columns a list shows; the bodies are read only when one message is opened.
_LISTED = (OutboxMessage.id, OutboxMessage.created_at, OutboxMessage.kind, OutboxMessage.to_addr,
           OutboxMessage.to_name, OutboxMessage.subject, OutboxMessage.language, OutboxMessage.state,
           OutboxMessage.sent_at, OutboxMessage.last_error, OutboxMessage.unit_id,
           OutboxMessage.delegate_id, OutboxMessage.event_id, OutboxMessage.broadcast_id)


@dataclass
class MessageList:
    items: list[OutboxMessage]
    more: int = 0  # older messages not shown


def _owned(unit_id: int | None, delegate_id: int | None, event_id: int | None) -> list:
    if unit_id is None and delegate_id is None:
        raise ValueError("a unit or a delegate")
    return [column == value for column, value in ((OutboxMessage.unit_id, unit_id),
                                                  (OutboxMessage.delegate_id, delegate_id),
                                                  (OutboxMessage.event_id, event_id)) if value is not None]


def owned_query(*, unit_id: int | None = None, delegate_id: int | None = None, event_id: int | None = None):
    """The messages of a unit (all its people: liaisons, contacts, delegates, messages to groups)
    or of one delegate, optionally for one event, newest first."""
    return (db.select(OutboxMessage).options(load_only(*_LISTED))
            .where(*_owned(unit_id, delegate_id, event_id)).order_by(OutboxMessage.id.desc()))


def messages_of(*, unit_id: int | None = None, delegate_id: int | None = None, event_id: int | None = None,
                limit: int = 20) -> MessageList:
    """The newest `limit` messages of a unit or a delegate (see owned_query) and how many more
    there are (counted only when there are more)."""
    query = owned_query(unit_id=unit_id, delegate_id=delegate_id, event_id=event_id)
    items = list(db.session.scalars(query.limit(limit + 1)))
    if len(items) <= limit:
        return MessageList(items)
    total = db.session.scalar(db.select(db.func.count(OutboxMessage.id))
                              .where(*_owned(unit_id, delegate_id, event_id)))
    return MessageList(items[:limit], total - limit)


def messages_of_delegates(delegate_ids: list[int], limit: int = 10) -> dict[int, MessageList]:
    """{delegate id: their newest `limit` messages and how many more}, in one query."""
    result = {did: MessageList([]) for did in delegate_ids}
    if delegate_ids:
        rows = db.session.scalars(db.select(OutboxMessage).options(load_only(*_LISTED))
                                  .where(OutboxMessage.delegate_id.in_(delegate_ids))
                                  .order_by(OutboxMessage.id.desc()))
        for row in rows:
            entry = result[row.delegate_id]
            if len(entry.items) < limit:
                entry.items.append(row)
            else:
                entry.more += 1
    return result


def delivery_counts(messages: list[OutboxMessage]) -> dict[str, int]:
    """{queued, sent, failed: how many} of a broadcast's copies (labels.delivery)."""
    counts = dict.fromkeys(DELIVERY_LABELS, 0)
    for message in messages:
        counts[delivery(message.state)] += 1
    return counts
