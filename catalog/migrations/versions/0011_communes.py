"""commune, commune_edit: the registry of commune law bookcases (Phụ lục I of plan 5925/KH-UBND)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commune",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("commune", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("extremely_difficult", sa.Boolean(), nullable=False),
        sa.Column("border", sa.Boolean(), nullable=False),
        sa.Column("safe_zone", sa.Boolean(), nullable=False),
        sa.Column("poor_district", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("decision_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("decision_date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("decision_document_id", sa.Integer(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("keeper", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decision_document_id"], ["document.id"],
                                name=op.f("fk_commune_decision_document_id_document"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune")),
        sa.UniqueConstraint("district", "commune", name=op.f("uq_commune_district_commune")),
    )
    op.create_index(op.f("ix_commune_district"), "commune", ["district"], unique=False)
    op.create_table(
        "commune_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"], name=op.f("fk_commune_edit_commune_id_commune"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune_edit")),
    )
    op.create_index(op.f("ix_commune_edit_commune_id"), "commune_edit", ["commune_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_commune_edit_commune_id"), table_name="commune_edit")
    op.drop_table("commune_edit")
    op.drop_index(op.f("ix_commune_district"), table_name="commune")
    op.drop_table("commune")
