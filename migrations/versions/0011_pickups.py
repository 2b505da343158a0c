"""Pickups and structured travel: pickup runs and the delegates on them (pickup_run,
pickup_passenger); a delegate's arrival and departure get an airport or station (arrival_place,
departure_place) and the old free text becomes the flight or train number (at most 16 characters).

Existing text: upper-cased with single spaces; where it is a valid number (letters, digits, spaces,
hyphens, at most 16) it stays as the number, otherwise it moves whole into the place field and the
number is left empty (docs/logistics.md). The downgrade joins number and place again.

Revision ID: c4f6a8b0d123
Revises: b7d3e5f70912
Create Date: 2026-12-05 18:30:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4f6a8b0d123'
down_revision = 'b7d3e5f70912'
branch_labels = None
depends_on = None

SIDES = ('arrival', 'departure')
NUMBER = re.compile(r'[A-Z0-9][A-Z0-9 -]*')


def _delegate_table():
    return sa.table('delegate', sa.column('id', sa.Integer),
                    *(sa.column(f'{side}_{part}', sa.String) for side in SIDES for part in ('details', 'place')))


def upgrade():
    op.create_table(
        'pickup_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('direction', sa.String(length=16), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('vehicle', sa.String(length=100), nullable=False),
        sa.Column('meeting_point_en', sa.String(length=200), nullable=False),
        sa.Column('meeting_point_zh', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('seats_taken', sa.Integer(), nullable=False),
        sa.Column('driver_name', sa.String(length=100), nullable=False),
        sa.Column('driver_contact', sa.String(length=100), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('uid', sa.String(length=255), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('arrival', 'departure')", name=op.f('ck_pickup_run_direction')),
        sa.CheckConstraint('capacity >= 1', name=op.f('ck_pickup_run_capacity')),
        sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_pickup_run_seats_taken')),
        sa.CheckConstraint('sequence >= 0', name=op.f('ck_pickup_run_sequence')),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_pickup_run_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_run')),
        sa.UniqueConstraint('uid', name=op.f('uq_pickup_run_uid')),
    )
    with op.batch_alter_table('pickup_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pickup_run_event_id'), ['event_id'], unique=False)

    op.create_table(
        'pickup_passenger',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('direction', sa.String(length=16), nullable=False),
        sa.Column('uid', sa.String(length=255), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('arrival', 'departure')", name=op.f('ck_pickup_passenger_direction')),
        sa.CheckConstraint('sequence >= 0', name=op.f('ck_pickup_passenger_sequence')),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'],
                                name=op.f('fk_pickup_passenger_delegate_id_delegate'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_pickup_passenger_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['pickup_run.id'], name=op.f('fk_pickup_passenger_run_id_pickup_run'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_passenger')),
        sa.UniqueConstraint('delegate_id', 'direction', name=op.f('uq_pickup_passenger_delegate_id_direction')),
        sa.UniqueConstraint('uid', name=op.f('uq_pickup_passenger_uid')),
    )
    with op.batch_alter_table('pickup_passenger', schema=None) as batch_op:
        batch_op.create_index('ix_pickup_passenger_event_direction', ['event_id', 'direction'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_passenger_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for side in SIDES:
            batch_op.add_column(sa.Column(f'{side}_place', sa.String(length=100), nullable=False,
                                          server_default=''))
    _split_details()
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for side in SIDES:
            batch_op.alter_column(f'{side}_place', server_default=None)
            batch_op.alter_column(f'{side}_details', existing_type=sa.VARCHAR(length=100),
                                  type_=sa.String(length=16), existing_nullable=False)


def _split_details():
    """The old free text: a valid number stays (upper case), anything else becomes the place."""
    delegate = _delegate_table()
    bind = op.get_bind()
    rows = bind.execute(sa.select(delegate.c.id, delegate.c.arrival_details, delegate.c.departure_details)
                        .where(sa.or_(delegate.c.arrival_details != '', delegate.c.departure_details != ''))).all()
    for row in rows:
        values = {}
        for side, text in zip(SIDES, (row.arrival_details, row.departure_details)):
            number = ' '.join((text or '').upper().split())
            if not number or (len(number) <= 16 and NUMBER.fullmatch(number)):
                values[f'{side}_details'] = number
            else:
                values |= {f'{side}_details': '', f'{side}_place': text.strip()[:100]}
        bind.execute(sa.update(delegate).where(delegate.c.id == row.id).values(**values))


def downgrade():
    delegate = _delegate_table()
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for side in SIDES:
            batch_op.alter_column(f'{side}_details', existing_type=sa.String(length=16),
                                  type_=sa.VARCHAR(length=100), existing_nullable=False)
    for side in SIDES:  # the place goes back into the free text
        details, place = delegate.c[f'{side}_details'], delegate.c[f'{side}_place']
        joined = sa.case((details == '', place), else_=details + ' ' + place)
        op.execute(sa.update(delegate).where(place != '').values({details: sa.func.substr(joined, 1, 100)}))
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for side in SIDES:
            batch_op.drop_column(f'{side}_place')

    with op.batch_alter_table('pickup_passenger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_passenger_run_id'))
        batch_op.drop_index('ix_pickup_passenger_event_direction')
    op.drop_table('pickup_passenger')
    with op.batch_alter_table('pickup_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_run_event_id'))
    op.drop_table('pickup_run')
