"""search_text (folded page text) and, on SQLite, its FTS5 index kept in step by triggers

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FTS_TRIGGERS = [
    """CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN
         INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END""",
    """CREATE TRIGGER search_text_ad AFTER DELETE ON search_text BEGIN
         INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END""",
    """CREATE TRIGGER search_text_au AFTER UPDATE ON search_text BEGIN
         INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
         INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END""",
]


def upgrade() -> None:
    op.create_table(
        "search_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_search_text_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_text")),
    )
    with op.batch_alter_table("search_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_text_document_id"), ["document_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_text', content_rowid='id', "
                   "tokenize='unicode61 remove_diacritics 2')")
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_text_ai", "search_text_ad", "search_text_au"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_text")
