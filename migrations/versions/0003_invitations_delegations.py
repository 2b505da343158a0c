"""Invitations to member units, delegations and delegates, calendar feed addresses, and the
privacy erasure mark on events.

Revision ID: a0a3eda726df
Revises: 9d9bf16295c0
Create Date: 2026-11-29 11:16:04.255089

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a0a3eda726df'
down_revision = '9d9bf16295c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('subject_en', sa.String(length=300), nullable=False),
    sa.Column('subject_zh', sa.String(length=300), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('unit_count', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_invitation_round_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_invitation_round_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_round')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_invitation_round_submission_key'))
    )
    with op.batch_alter_table('invitation_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_round_event_id'), ['event_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_by_label', sa.String(length=400), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'declined', 'revoked')", name=op.f('ck_invitation_state')),
    sa.CheckConstraint('quota >= 1', name=op.f('ck_invitation_quota')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_invitation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_invitation_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responded_by_id'], ['user_account.id'], name=op.f('fk_invitation_responded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_invitation_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['invitation_round.id'], name=op.f('fk_invitation_round_id_invitation_round'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['member_unit.id'], name=op.f('fk_invitation_unit_id_member_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('event_id', 'unit_id', name=op.f('uq_invitation_event_id_unit_id'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index('ix_invitation_event_state', ['event_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_unit_id'), ['unit_id'], unique=False)

    op.create_table('delegation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'confirmed', 'rejected', 'withdrawn')", name=op.f('ck_delegation_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_delegation_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_delegation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_delegation_invitation_id_invitation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_delegation_submitted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['member_unit.id'], name=op.f('fk_delegation_unit_id_member_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation')),
    sa.UniqueConstraint('event_id', 'unit_id', name=op.f('uq_delegation_event_id_unit_id')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_delegation_submission_key'))
    )
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.create_index('ix_delegation_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_unit_id'), ['unit_id'], unique=False)

    op.create_table('invitation_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_invitation_link_contact_id_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_invitation_link_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'], name=op.f('fk_invitation_link_message_id_outbox_message'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_link_token_hash'))
    )
    with op.batch_alter_table('invitation_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_link_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_link_message_id'), ['message_id'], unique=False)

    op.create_table('invitation_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_invitation_reminder_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_invitation_reminder_sent_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_reminder')),
    sa.UniqueConstraint('invitation_id', 'key', name=op.f('uq_invitation_reminder_invitation_id_key'))
    )
    op.create_table('delegate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('mobile', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('dietary', sa.String(length=200), nullable=False),
    sa.Column('accessibility', sa.String(length=300), nullable=False),
    sa.Column('arrival_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('arrival_details', sa.String(length=100), nullable=False),
    sa.Column('departure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('departure_details', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('feed_version', sa.Integer(), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('substitute_for_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("family_name <> '' OR given_name <> '' OR name_zh <> ''", name=op.f('ck_delegate_has_name')),
    sa.CheckConstraint("language IN ('zh', 'en')", name=op.f('ck_delegate_language')),
    sa.CheckConstraint("role IN ('head', 'deputy', 'member', 'interpreter', 'staff', 'press')", name=op.f('ck_delegate_role')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'waitlisted', 'declined', 'removed')", name=op.f('ck_delegate_status')),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_delegate_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_delegate_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['substitute_for_id'], ['delegate.id'], name=op.f('fk_delegate_substitute_for_id_delegate'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegate')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_delegate_token_hash'))
    )
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index('ix_delegate_event_status', ['event_id', 'status'], unique=False)

    op.create_table('delegate_session',
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_delegate_session_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'], name=op.f('fk_delegate_session_session_id_agenda_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delegate_id', 'session_id', name=op.f('pk_delegate_session'))
    )
    with op.batch_alter_table('delegate_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_session_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        # Existing events get the defaults the models give new ones.
        batch_op.add_column(sa.Column('delegate_details', sa.String(length=200), nullable=False,
                                      server_default='title,organization,mobile,dietary,'
                                                     'accessibility,travel,notes'))
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=40), nullable=False,
                                      server_default='7,2'))
        batch_op.add_column(sa.Column('seats_taken', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_event_seats_taken'), 'seats_taken >= 0')

    with op.batch_alter_table('member_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_version', sa.Integer(), nullable=False,
                                      server_default='0'))



def downgrade():
    with op.batch_alter_table('member_unit', schema=None) as batch_op:
        batch_op.drop_column('feed_version')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_seats_taken'), type_='check')
        batch_op.drop_column('personal_data_erased_at')
        batch_op.drop_column('seats_taken')
        batch_op.drop_column('reminder_days')
        batch_op.drop_column('delegate_details')

    with op.batch_alter_table('delegate_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegate_session_session_id'))

    op.drop_table('delegate_session')
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.drop_index('ix_delegate_event_status')
        batch_op.drop_index(batch_op.f('ix_delegate_delegation_id'))

    op.drop_table('delegate')
    op.drop_table('invitation_reminder')
    with op.batch_alter_table('invitation_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_link_message_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_link_invitation_id'))

    op.drop_table('invitation_link')
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_delegation_invitation_id'))
        batch_op.drop_index('ix_delegation_event_status')

    op.drop_table('delegation')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_round_id'))
        batch_op.drop_index('ix_invitation_event_state')

    op.drop_table('invitation')
    with op.batch_alter_table('invitation_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_round_event_id'))

    op.drop_table('invitation_round')
