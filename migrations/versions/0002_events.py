"""Events with their registration policy, and agenda sessions.

Revision ID: 9d9bf16295c0
Revises: 383f16753b41
Create Date: 2026-11-29 09:19:43.336927

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9d9bf16295c0'
down_revision = '383f16753b41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=False),
    sa.Column('summary_en', sa.String(length=1000), nullable=False),
    sa.Column('summary_zh', sa.String(length=1000), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=False),
    sa.Column('venue_name', sa.String(length=300), nullable=False),
    sa.Column('venue_address', sa.String(length=500), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=False),
    sa.Column('contact_phone', sa.String(length=64), nullable=False),
    sa.Column('cover_file', sa.String(length=100), nullable=True),
    sa.Column('cover_content_type', sa.String(length=64), nullable=True),
    sa.Column('registration_mode', sa.String(length=16), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('default_quota', sa.Integer(), nullable=False),
    sa.Column('approval_required', sa.Boolean(), nullable=False),
    sa.Column('edit_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason_en', sa.Text(), nullable=False),
    sa.Column('cancel_reason_zh', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('forum', 'seminar', 'exposition', 'study_tour', 'training', 'meeting')", name=op.f('ck_event_kind')),
    sa.CheckConstraint("registration_mode IN ('all_members', 'invited_only')", name=op.f('ck_event_registration_mode')),
    sa.CheckConstraint("status IN ('draft', 'published', 'cancelled')", name=op.f('ck_event_status')),
    sa.CheckConstraint("title_en <> '' OR title_zh <> ''", name=op.f('ck_event_has_title')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_event_capacity')),
    sa.CheckConstraint('default_quota >= 1', name=op.f('ck_event_default_quota')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_event_sequence')),
    sa.ForeignKeyConstraint(['copied_from_id'], ['event.id'], name=op.f('fk_event_copied_from_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_event_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('uid', name=op.f('uq_event_uid'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index('ix_event_status_starts_at', ['status', 'starts_at'], unique=False)

    op.create_table('agenda_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('track', sa.String(length=100), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('room', sa.String(length=200), nullable=False),
    sa.Column('speakers', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('delegates_choose', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('plenary', 'parallel', 'site_visit', 'break', 'reception')", name=op.f('ck_agenda_session_kind')),
    sa.CheckConstraint("title_en <> '' OR title_zh <> ''", name=op.f('ck_agenda_session_has_title')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_agenda_session_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_agenda_session_ends_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_agenda_session_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_session'))
    )
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_session_event_id'), ['event_id'], unique=False)



def downgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_session_event_id'))

    op.drop_table('agenda_session')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))

    op.drop_table('event')
