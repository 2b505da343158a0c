"""Bilateral meetings (issue 19): matchmaking settings, meeting slots and tables per event, meetings
between two delegations and their bookings (one meeting per delegation and slot, one per slot and table).

Revision ID: b2d4f6a8c013
Revises: a1c3e5f7b902
Create Date: 2026-12-06 03:40:41.141547

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c013'
down_revision = 'a1c3e5f7b902'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matchmaking_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('request_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_matchmaking_settings_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_matchmaking_settings_event_id'))
    )
    op.create_table('meeting_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meeting_slot_ends_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_meeting_slot_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_slot')),
    sa.UniqueConstraint('event_id', 'starts_at', name=op.f('uq_meeting_slot_event_id_starts_at'))
    )
    with op.batch_alter_table('meeting_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_slot_event_id'), ['event_id'], unique=False)

    op.create_table('meeting_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('room_en', sa.String(length=200), nullable=False),
    sa.Column('room_zh', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_meeting_table_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_table')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_meeting_table_event_id_name'))
    )
    with op.batch_alter_table('meeting_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_table_event_id'), ['event_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('proposed_slot_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('shown_starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shown_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('requested', 'proposed', 'accepted', 'declined', 'cancelled')", name=op.f('ck_meeting_status')),
    sa.CheckConstraint('requester_id <> invitee_id', name=op.f('ck_meeting_two_sides')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_meeting_sequence')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_meeting_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['delegation.id'], name=op.f('fk_meeting_invitee_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['delegation.id'], name=op.f('fk_meeting_proposed_by_id_delegation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_slot_id'], ['meeting_slot.id'], name=op.f('fk_meeting_proposed_slot_id_meeting_slot'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['delegation.id'], name=op.f('fk_meeting_requester_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['meeting_slot.id'], name=op.f('fk_meeting_slot_id_meeting_slot'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['table_id'], ['meeting_table.id'], name=op.f('fk_meeting_table_id_meeting_table'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting')),
    sa.UniqueConstraint('slot_id', 'table_id', name=op.f('uq_meeting_slot_id_table_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_meeting_uid'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requester_id'), ['requester_id'], unique=False)

    op.create_table('meeting_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_meeting_booking_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_booking_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['meeting_slot.id'], name=op.f('fk_meeting_booking_slot_id_meeting_slot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_booking')),
    sa.UniqueConstraint('slot_id', 'delegation_id', name=op.f('uq_meeting_booking_slot_id_delegation_id'))
    )
    with op.batch_alter_table('meeting_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_booking_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_booking_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('meeting_booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_booking_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_booking_delegation_id'))

    op.drop_table('meeting_booking')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_requester_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_event_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('meeting_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_table_event_id'))

    op.drop_table('meeting_table')
    with op.batch_alter_table('meeting_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_slot_event_id'))

    op.drop_table('meeting_slot')
    op.drop_table('matchmaking_settings')
