"""certificate.mailed_at: certificates are mailed by the mail worker after issuing.

Certificates issued before this revision were mailed when they were issued.

Revision ID: b8d0f2a4c679
Revises: b2d4f6a8c013
Create Date: 2026-12-06 06:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c679'
down_revision = 'b2d4f6a8c013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate') as batch_op:
        batch_op.add_column(sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE certificate SET mailed_at = issued_at")


def downgrade():
    with op.batch_alter_table('certificate') as batch_op:
        batch_op.drop_column('mailed_at')
