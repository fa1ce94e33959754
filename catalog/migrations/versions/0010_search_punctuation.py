"""search_text.folded with punctuation as spaces (catalog.search.index_text): PostgreSQL's parser kept a
document number such as `03/2010/nd-cp` as one path-like token, so `tusach search 03/2010/ND-CP` found
nothing there. SQLite's FTS5 already splits on punctuation: nothing to redo.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE search_text SET folded = regexp_replace(folded, '[^[:alnum:][:space:]_]', ' ', 'g')")


def downgrade() -> None:
    pass  # the spaced text is found by every query the old one was
