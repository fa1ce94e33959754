"""signature: the digital signatures of each original; page.text_source: where a page's text came from;
document.pdfa: the PDF/A part the searchable PDF declares; document.media_type widened to 128 (a .docx's
media type has 71 characters)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("signer", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("intact", sa.Boolean(), nullable=True),
        sa.Column("covers_whole_document", sa.Boolean(), nullable=True),
        sa.Column("trusted", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_signature_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature")),
    )
    op.create_index(op.f("ix_signature_document_id"), "signature", ["document_id"], unique=False)
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdfa", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.alter_column("media_type", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=128), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.alter_column("media_type", existing_type=sqlmodel.sql.sqltypes.AutoString(length=128),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=64), existing_nullable=True)
        batch_op.drop_column("pdfa")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_column("text_source")
    op.drop_index(op.f("ix_signature_document_id"), table_name="signature")
    op.drop_table("signature")
