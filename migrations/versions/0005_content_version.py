"""Content versions: each scope of content a kept page shows ("events", "event:7", ...) and how
many committed changes it has seen (core/pagecache.py).

Revision ID: 7e3b9c1f4a20
Revises: 5c1e7a9d2b44
Create Date: 2026-12-04 14:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e3b9c1f4a20'
down_revision = '5c1e7a9d2b44'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'content_version',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_content_version')),
    )


def downgrade():
    op.drop_table('content_version')
