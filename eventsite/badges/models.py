"""What was printed: one row per person and event (BadgePrint) with a fingerprint of what the
badge showed, so a page can tell a badge that no longer matches the person (outdated) from one
that does (printed) and from one never printed. The badge's code lives on the delegate
(Delegate.badge_code, checkin.services.ensure_badge_code)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, now_utc

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..delegations.models import Delegate

# a6: one badge per A6 page; cr80: one card-sized badge per page (85.6 x 54 mm, for card
# printers); a4-a6 and a4-cr80: several badges on an A4 sheet with cut lines.
BADGE_FORMATS = ("a6", "cr80", "a4-a6", "a4-cr80")
# What a person's badge is, for the organizer: never printed; printed and still what the person
# is (printed); printed, but a name, unit, role, the event's title or the code changed (outdated).
BADGE_STATES = ("never", "outdated", "printed")
NEEDS_PRINTING = ("never", "outdated")


class BadgePrint(db.Model):
    __tablename__ = "badge_print"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    printed_at: Mapped[datetime] = mapped_column(default=now_utc)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # SHA-256 of what the badge showed (document.fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64))

    delegate: Mapped[Delegate] = relationship()
    by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "delegate_id"),)

    def __repr__(self) -> str:
        return f"<BadgePrint event={self.event_id} delegate={self.delegate_id} {self.printed_at}>"
