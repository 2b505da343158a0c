"""The retention setting, applied by the mail worker about once an hour."""
from __future__ import annotations

from ..mail.worker import register_job
from .erasure import erase_due


@register_job(every=3600)
def erase_due_hourly() -> None:
    erase_due()
