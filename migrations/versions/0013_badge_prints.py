"""Badges printed: one row per person and event with the fingerprint of what the badge showed
(badge_print), so a badge whose person changed reads "outdated".

Revision ID: e6a8b0c2d345
Revises: d5e7f9a1b234
Create Date: 2026-12-06 03:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e6a8b0c2d345'
down_revision = 'd5e7f9a1b234'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'badge_print',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_badge_print_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_badge_print_delegate_id_delegate'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_badge_print_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_print')),
        sa.UniqueConstraint('event_id', 'delegate_id', name=op.f('uq_badge_print_event_id_delegate_id')),
    )
    op.create_index(op.f('ix_badge_print_delegate_id'), 'badge_print', ['delegate_id'])


def downgrade():
    op.drop_index(op.f('ix_badge_print_delegate_id'), table_name='badge_print')
    op.drop_table('badge_print')
