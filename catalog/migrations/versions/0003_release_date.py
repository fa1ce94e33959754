"""document.release_date: the release date printed on a document (ISO), when there is one

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("release_date")
