"""Whose message it is: unit_id, delegate_id and event_id on outbox_message (indexed, for the
organizers' pages), filled in from the refs earlier messages carry; files sent with a message to
a group, stored once per broadcast (broadcast_attachment).

Revision ID: 3b8e61d4c0f7
Revises: 3f6d2a8c9e51
Create Date: 2026-12-05 05:15:00.000000

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b8e61d4c0f7'
down_revision = '3f6d2a8c9e51'
branch_labels = None
depends_on = None

COLUMNS = ('unit_id', 'delegate_id', 'event_id')


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_outbox_message_{name}'), [name], unique=False)
    op.create_table(
        'broadcast_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('broadcast_id', sa.Integer(), nullable=True),
        sa.Column('submission_key', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=128), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'],
                                name=op.f('fk_broadcast_attachment_broadcast_id_broadcast'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_broadcast_attachment_uploaded_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast_attachment')),
    )
    with op.batch_alter_table('broadcast_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcast_attachment_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcast_attachment_submission_key'), ['submission_key'],
                              unique=False)
    backfill(op.get_bind())


def backfill(bind):
    """Earlier messages name their cause in refs: a delegate, a delegation, an invitation or (a
    message to a group) a contact; each gives the unit, the event and the delegate it belongs to.
    Messages whose cause is gone (or an account's mail) stay without an owner."""
    lookups = {
        'delegate': ('SELECT d.id, g.unit_id, d.event_id FROM delegate d '
                     'JOIN delegation g ON g.id = d.delegation_id'),
        'delegation': 'SELECT id, unit_id, event_id FROM delegation',
        'invitation': 'SELECT id, unit_id, event_id FROM invitation',
        'contact': 'SELECT id, unit_id, NULL FROM contact',
    }
    owners = {key: {row[0]: (row[1], row[2]) for row in bind.execute(sa.text(sql))}
              for key, sql in lookups.items()}
    message = sa.table('outbox_message', sa.column('id'), sa.column('refs'),
                       *(sa.column(name) for name in COLUMNS))
    updates = []
    for message_id, refs in bind.execute(sa.select(message.c.id, message.c.refs)):
        refs = json.loads(refs) if isinstance(refs, str) else (refs or {})
        values = _owner(refs, owners) if isinstance(refs, dict) else None
        if values:
            updates.append({'mid': message_id, **{f'v_{k}': v for k, v in values.items()}})
    if updates:
        bind.execute(sa.update(message).where(message.c.id == sa.bindparam('mid'))
                     .values({name: sa.bindparam(f'v_{name}') for name in COLUMNS}), updates)


def _owner(refs, owners):
    for key in ('delegate', 'delegation', 'invitation', 'contact'):
        found = owners[key].get(refs.get(key)) if isinstance(refs.get(key), int) else None
        if found:
            unit_id, event_id = found
            return {'unit_id': unit_id, 'event_id': event_id,
                    'delegate_id': refs['delegate'] if key == 'delegate' else None}
    return None


def downgrade():
    with op.batch_alter_table('broadcast_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcast_attachment_submission_key'))
        batch_op.drop_index(batch_op.f('ix_broadcast_attachment_broadcast_id'))
    op.drop_table('broadcast_attachment')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_index(batch_op.f(f'ix_outbox_message_{name}'))
            batch_op.drop_column(name)
