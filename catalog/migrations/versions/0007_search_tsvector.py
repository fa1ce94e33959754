"""PostgreSQL: a full-text index on search_text (a tsvector of the folded text, GIN), instead of a LIKE scan

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches through its FTS5 table (0004)
    # 'simple': lower-case tokens, no stemming and no stop words; the text is already folded (no marks, đ -> d).
    op.execute("ALTER TABLE search_text ADD COLUMN folded_tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED")
    op.execute("CREATE INDEX ix_search_text_folded_tsv ON search_text USING gin (folded_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_text_folded_tsv")
        op.execute("ALTER TABLE search_text DROP COLUMN IF EXISTS folded_tsv")
