"""The retention setting, applied by the mail worker about once an hour."""
from __future__ import annotations

import time

from ..mail.worker import register_job
from .services import erase_due

EVERY_SECONDS = 3600
_last_run = 0.0


@register_job
def erase_due_hourly() -> None:
    global _last_run
    if time.monotonic() - _last_run >= EVERY_SECONDS:
        _last_run = time.monotonic()
        erase_due()
