"""Certificates of participation (certificate): one per checked-in delegate and event, numbered per
event, with a hashed verification token.

Revision ID: f7b9c1d3e456
Revises: e6a8b0c2d345
Create Date: 2026-12-06 03:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f7b9c1d3e456'
down_revision = 'e6a8b0c2d345'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token', sa.Text(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_certificate_delegate_id_delegate'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_certificate_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
        sa.UniqueConstraint('event_id', 'delegate_id', name=op.f('uq_certificate_event_id_delegate_id')),
        sa.UniqueConstraint('event_id', 'sequence', name=op.f('uq_certificate_event_id_sequence')),
        sa.UniqueConstraint('event_id', 'number', name=op.f('uq_certificate_event_id_number')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_certificate_token_hash')),
    )
    op.create_index(op.f('ix_certificate_delegate_id'), 'certificate', ['delegate_id'])


def downgrade():
    op.drop_table('certificate')
