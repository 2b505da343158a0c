"""`flask mail ...` (Stub.)"""
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Deliver the outbox.")
