"""Cooperation (issue 19): the topic list (coop_topic), units' profiles with the topics they offer and
seek (coop_profile, coop_profile_topic), projects with their topics and brochures (coop_project,
coop_project_topic, coop_project_attachment), and the stands of exposition events (coop_stand).

Revision ID: a1c3e5f7b902
Revises: f7b9c1d3e456
Create Date: 2026-12-06 03:40:22.712719

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b902'
down_revision = 'f7b9c1d3e456'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coop_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("name_en <> '' OR name_zh <> ''", name=op.f('ck_coop_topic_has_name')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_topic')),
    sa.UniqueConstraint('code', name=op.f('uq_coop_topic_code'))
    )
    op.create_table('coop_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['member_unit.id'], name=op.f('fk_coop_profile_unit_id_member_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_profile')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_coop_profile_unit_id'))
    )
    op.create_table('coop_profile_topic',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.CheckConstraint("kind IN ('offers', 'seeks')", name=op.f('ck_coop_profile_topic_kind')),
    sa.ForeignKeyConstraint(['profile_id'], ['coop_profile.id'], name=op.f('fk_coop_profile_topic_profile_id_coop_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['coop_topic.id'], name=op.f('fk_coop_profile_topic_topic_id_coop_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('profile_id', 'topic_id', 'kind', name=op.f('pk_coop_profile_topic'))
    )
    with op.batch_alter_table('coop_profile_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_profile_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('coop_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('location_en', sa.String(length=200), nullable=False),
    sa.Column('location_zh', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('size_band', sa.String(length=16), nullable=False),
    sa.Column('partner_sought_en', sa.Text(), nullable=False),
    sa.Column('partner_sought_zh', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=False),
    sa.Column('contact_phone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('sort_key_zh', sa.String(length=448), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sector IN ('agriculture', 'manufacturing', 'infrastructure', 'energy', 'environment', 'tourism', 'trade', 'technology', 'health', 'education', 'real_estate', 'other')", name=op.f('ck_coop_project_sector')),
    sa.CheckConstraint("size_band IN ('small', 'medium', 'large', 'very_large')", name=op.f('ck_coop_project_size_band')),
    sa.CheckConstraint("stage IN ('idea', 'planning', 'approved', 'construction', 'operating')", name=op.f('ck_coop_project_stage')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')", name=op.f('ck_coop_project_status')),
    sa.CheckConstraint("title_en <> '' OR title_zh <> ''", name=op.f('ck_coop_project_has_title')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_coop_project_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['member_unit.id'], name=op.f('fk_coop_project_unit_id_member_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_project'))
    )
    with op.batch_alter_table('coop_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_project_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_project_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_project_sector'), ['sector'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_project_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_project_unit_id'), ['unit_id'], unique=False)

    op.create_table('coop_project_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['coop_project.id'], name=op.f('fk_coop_project_attachment_project_id_coop_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_project_attachment'))
    )
    with op.batch_alter_table('coop_project_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_project_attachment_project_id'), ['project_id'], unique=False)

    op.create_table('coop_project_topic',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['coop_project.id'], name=op.f('fk_coop_project_topic_project_id_coop_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['coop_topic.id'], name=op.f('fk_coop_project_topic_topic_id_coop_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('project_id', 'topic_id', name=op.f('pk_coop_project_topic'))
    )
    with op.batch_alter_table('coop_project_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_project_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('coop_stand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('hall', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('size_m2', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("hall <> '' AND number <> ''", name=op.f('ck_coop_stand_has_place')),
    sa.CheckConstraint('size_m2 > 0', name=op.f('ck_coop_stand_size_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_coop_stand_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['member_unit.id'], name=op.f('fk_coop_stand_unit_id_member_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_stand')),
    sa.UniqueConstraint('event_id', 'hall', 'number', name=op.f('uq_coop_stand_event_id_hall_number'))
    )
    with op.batch_alter_table('coop_stand', schema=None) as batch_op:
        batch_op.create_index('ix_coop_stand_event_unit', ['event_id', 'unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_stand_unit_id'), ['unit_id'], unique=False)


def downgrade():
    for table in ('coop_stand', 'coop_project_topic', 'coop_project_attachment', 'coop_project',
                  'coop_profile_topic', 'coop_profile', 'coop_topic'):
        op.drop_table(table)
