"""Invitation letters: per-event settings and reference counter, letters (encrypted snapshot,
hashed verification token, status), the people a letter names, and the liaisons' requests.

Revision ID: a9e2c4d6f801
Revises: 5c1f0e7a9b22
Create Date: 2026-12-05 19:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a9e2c4d6f801'
down_revision = '5c1f0e7a9b22'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('issue_on_confirmation', sa.Boolean(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.CheckConstraint("mode IN ('delegation', 'person')", name=op.f('ck_letter_settings_mode')),
    sa.CheckConstraint('last_sequence >= 0', name=op.f('ck_letter_settings_last_sequence')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_letter_settings_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_letter_settings'))
    )
    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('snapshot_erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('valid', 'replaced', 'revoked')", name=op.f('ck_letter_status')),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_letter_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_letter_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_letter_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_letter_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['letter.id'], name=op.f('fk_letter_replaced_by_id_letter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_letter_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('event_id', 'sequence', name=op.f('uq_letter_event_id_sequence')),
    sa.UniqueConstraint('reference', name=op.f('uq_letter_reference')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_letter_token_hash'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index('ix_letter_event_status', ['event_id', 'status'], unique=False)

    op.create_table('letter_person',
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_letter_person_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_person_letter_id_letter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('letter_id', 'delegate_id', name=op.f('pk_letter_person'))
    )
    with op.batch_alter_table('letter_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_person_delegate_id'), ['delegate_id'], unique=False)

    op.create_table('letter_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('requested', 'issued', 'declined')", name=op.f('ck_letter_request_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_letter_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_letter_request_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_letter_request_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_letter_request_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_request_letter_id_letter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_letter_request_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_request'))
    )
    with op.batch_alter_table('letter_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_request_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_request_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index('ix_letter_request_event_status', ['event_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('letter_request', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_request_event_status')
        batch_op.drop_index(batch_op.f('ix_letter_request_delegation_id'))
        batch_op.drop_index(batch_op.f('ix_letter_request_delegate_id'))

    op.drop_table('letter_request')
    with op.batch_alter_table('letter_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_person_delegate_id'))

    op.drop_table('letter_person')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_event_status')
        batch_op.drop_index(batch_op.f('ix_letter_delegation_id'))
        batch_op.drop_index(batch_op.f('ix_letter_delegate_id'))

    op.drop_table('letter')
    op.drop_table('letter_settings')
