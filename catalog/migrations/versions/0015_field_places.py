"""field_place: where each field of a document was read (or should be printed) and why a person should
look at it; the review page's crops and the catalog's "Cần bổ sung thông tin" filter

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("left", sa.Float(), nullable=False),
        sa.Column("top", sa.Float(), nullable=False),
        sa.Column("right", sa.Float(), nullable=False),
        sa.Column("bottom", sa.Float(), nullable=False),
        sa.Column("doubt", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("reading", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_field_place_document_id_document"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_place")),
        sa.UniqueConstraint("document_id", "name", name=op.f("uq_field_place_document_id_name")),
    )
    op.create_index(op.f("ix_field_place_document_id"), "field_place", ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_field_place_document_id"), table_name="field_place")
    op.drop_table("field_place")
