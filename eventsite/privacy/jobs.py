"""The retention setting, applied by the mail worker about once an hour."""
from ..mail.worker import register_job
from .erasure import erase_due

register_job(erase_due, every=3600)
