"""The pickup emails to delegates, in each one's language (callers commit): put on a run, the
run changed, taken off (or the run deleted). Their calendar entry follows in the personal feed."""
from __future__ import annotations

from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..core.timefmt import local_time
from ..mail.services import enqueue_template, register_kind
from .models import PickupPassenger, PickupRun

PICKUP_NOTICE = register_kind("pickup_notice", _l("Pickup: notice to a delegate"))

SUBJECTS = {
    "new": _l("Your pickup: %(event)s"),
    "changed": _l("Your pickup was changed: %(event)s"),
    "cancelled": _l("Your pickup was cancelled: %(event)s"),
}
INTROS = {
    "new": _l("The secretariat has arranged a pickup for you at %(event)s."),
    "changed": _l("The secretariat changed your pickup at %(event)s."),
    "cancelled": _l("Your pickup at %(event)s was cancelled. If you still need one, write to the "
                    "secretariat."),
}


def pickup_changed(passenger: PickupPassenger, run: PickupRun, *, new: bool = False) -> None:
    _send(passenger, run, "new" if new else "changed")


def pickup_cancelled(passenger: PickupPassenger, run: PickupRun) -> None:
    _send(passenger, run, "cancelled")


def _send(passenger: PickupPassenger, run: PickupRun, notice: str) -> None:
    delegate, event = passenger.delegate, run.event
    if not delegate.email:
        return
    language = delegate.mail_language
    with force_locale(language):
        title = event.text("title", language)[0]
        context = {
            "name": delegate.display_name(language), "notice": notice, "run": run,
            "intro": str(INTROS[notice]) % {"event": title},
            "when": local_time(run.starts_at, event.timezone),
            "meeting_point": run.text("meeting_point", language)[0],
        }
        enqueue_template(kind=PICKUP_NOTICE, template="pickup_delegate", to_addr=delegate.email,
                         to_name=delegate.display_name(language), language=language,
                         subject=str(SUBJECTS[notice]) % {"event": title}, context=context,
                         refs={"pickup_run": run.id, "notice": notice}, delegate_id=delegate.id,
                         event_id=event.id)
