"""Hotels of an event, their room blocks, room assignments of delegates, the liaisons' room
requests and the rooming lists issued to each hotel (eventsite/hotels/models.py).

Revision ID: b7d3e5f70912
Revises: a9e2c4d6f801
Create Date: 2026-12-05 18:09:38.001936

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d3e5f70912'
down_revision = 'a9e2c4d6f801'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hotel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('address_en', sa.String(length=500), nullable=False),
    sa.Column('address_zh', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('list_language', sa.String(length=8), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("list_language IN ('en', 'zh')", name=op.f('ck_hotel_list_language')),
    sa.CheckConstraint("name_en <> '' OR name_zh <> ''", name=op.f('ck_hotel_has_name')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_hotel_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotel'))
    )
    with op.batch_alter_table('hotel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotel_event_id'), ['event_id'], unique=False)

    op.create_table('room_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hotel_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('room_type_en', sa.String(length=200), nullable=False),
    sa.Column('room_type_zh', sa.String(length=200), nullable=False),
    sa.Column('beds', sa.Integer(), nullable=False),
    sa.Column('check_in', sa.Date(), nullable=False),
    sa.Column('check_out', sa.Date(), nullable=False),
    sa.Column('rooms', sa.Integer(), nullable=False),
    sa.Column('rooms_used', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("room_type_en <> '' OR room_type_zh <> ''", name=op.f('ck_room_block_has_type')),
    sa.CheckConstraint('beds IN (1, 2)', name=op.f('ck_room_block_beds')),
    sa.CheckConstraint('check_out > check_in', name=op.f('ck_room_block_nights')),
    sa.CheckConstraint('rooms >= 0', name=op.f('ck_room_block_rooms')),
    sa.CheckConstraint('rooms_used >= 0 AND rooms_used <= rooms', name=op.f('ck_room_block_rooms_used')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_room_block_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hotel_id'], ['hotel.id'], name=op.f('fk_room_block_hotel_id_hotel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_block'))
    )
    with op.batch_alter_table('room_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_block_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_block_hotel_id'), ['hotel_id'], unique=False)

    op.create_table('rooming_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hotel_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.CheckConstraint("format IN ('xlsx', 'csv')", name=op.f('ck_rooming_list_format')),
    sa.ForeignKeyConstraint(['hotel_id'], ['hotel.id'], name=op.f('fk_rooming_list_hotel_id_hotel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_rooming_list_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooming_list'))
    )
    with op.batch_alter_table('rooming_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooming_list_hotel_id'), ['hotel_id'], unique=False)

    op.create_table('room_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('room_no', sa.Integer(), nullable=False),
    sa.Column('bed', sa.Integer(), nullable=False),
    sa.Column('check_in', sa.Date(), nullable=False),
    sa.Column('check_out', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('bed IN (1, 2)', name=op.f('ck_room_assignment_bed')),
    sa.CheckConstraint('check_out > check_in', name=op.f('ck_room_assignment_nights')),
    sa.CheckConstraint('room_no >= 1', name=op.f('ck_room_assignment_room_no')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_room_assignment_assigned_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['block_id'], ['room_block.id'], name=op.f('fk_room_assignment_block_id_room_block'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_room_assignment_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_room_assignment_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_assignment')),
    sa.UniqueConstraint('block_id', 'room_no', 'bed', name=op.f('uq_room_assignment_block_id_room_no_bed')),
    sa.UniqueConstraint('event_id', 'delegate_id', name=op.f('uq_room_assignment_event_id_delegate_id'))
    )
    with op.batch_alter_table('room_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_assignment_delegate_id'), ['delegate_id'], unique=False)

    op.create_table('room_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('share_with_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind = 'share' OR share_with_id IS NULL", name=op.f('ck_room_request_share_with')),
    sa.CheckConstraint("kind IN ('single', 'share', 'none')", name=op.f('ck_room_request_kind')),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], name=op.f('fk_room_request_delegate_id_delegate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_room_request_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['share_with_id'], ['delegate.id'], name=op.f('fk_room_request_share_with_id_delegate'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_room_request_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_request')),
    sa.UniqueConstraint('delegate_id', name=op.f('uq_room_request_delegate_id'))
    )


def downgrade():
    op.drop_table('room_request')
    with op.batch_alter_table('room_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_assignment_delegate_id'))

    op.drop_table('room_assignment')
    with op.batch_alter_table('rooming_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooming_list_hotel_id'))

    op.drop_table('rooming_list')
    with op.batch_alter_table('room_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_block_hotel_id'))
        batch_op.drop_index(batch_op.f('ix_room_block_event_id'))

    op.drop_table('room_block')
    with op.batch_alter_table('hotel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotel_event_id'))

    op.drop_table('hotel')
