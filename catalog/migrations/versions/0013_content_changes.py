"""content_change: pages fixed by hand and rescans, undoable; page.ocr_text, corrected_by, corrected_at
(a reviewer's correction); page.separator (a separator sheet's QR code found on the page)

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("new_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("old_state", sa.Text(), nullable=False),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_content_change_document_id_document"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_change")),
    )
    op.create_index(op.f("ix_content_change_document_id"), "content_change", ["document_id"], unique=False)
    op.create_index(op.f("ix_content_change_old_sha256"), "content_change", ["old_sha256"], unique=False)
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ocr_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("corrected_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("separator", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_column("separator")
        batch_op.drop_column("corrected_at")
        batch_op.drop_column("corrected_by")
        batch_op.drop_column("ocr_text")
    op.drop_index(op.f("ix_content_change_old_sha256"), table_name="content_change")
    op.drop_index(op.f("ix_content_change_document_id"), table_name="content_change")
    op.drop_table("content_change")
