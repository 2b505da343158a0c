"""Alembic environment for Flask-Migrate.

Differences from the generated file: batch mode on SQLite (it cannot ALTER most things), types
compared on autogenerate, and our UTCDateTime rendered as its plain column type so migrations never
import application code.
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from eventsite.extensions import UTCDateTime

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def render_item(type_, obj, autogen_context):
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(connection=None):
    dialect = connection.dialect.name if connection is not None else db.engine.dialect.name
    return {
        "target_metadata": db.metadata,
        "compare_type": True,
        "render_as_batch": dialect == "sqlite",
        "render_item": render_item,
        **current_app.extensions["migrate"].configure_args,
    }


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # `flask db migrate` with no model changes writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        options = _options(connection)
        options.setdefault("process_revision_directives", process_revision_directives)
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
