"""document.duplicate_of, document_sketch, sketch_band: near-duplicate documents (catalog/duplicates.py)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_document_duplicate_of_document"), "document", ["duplicate_of"], ["id"],
                                    ondelete="SET NULL")
    op.create_table(
        "document_sketch",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_document_sketch_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_sketch")),
    )
    op.create_table(
        "sketch_band",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_sketch_band_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sketch_band")),
    )
    op.create_index(op.f("ix_sketch_band_document_id"), "sketch_band", ["document_id"], unique=False)
    op.create_index("ix_sketch_band_band_key", "sketch_band", ["band", "key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sketch_band_band_key", table_name="sketch_band")
    op.drop_index(op.f("ix_sketch_band_document_id"), table_name="sketch_band")
    op.drop_table("sketch_band")
    op.drop_table("document_sketch")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_document_duplicate_of_document"), type_="foreignkey")
        batch_op.drop_column("duplicate_of")
