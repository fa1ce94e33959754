"""job: uploads, scan-folder intakes, runs and bundles with their progress; run_lock: one run at a time;
document.form_fields (a PDF form's values); signature.byte_range and .problem (a signature not checked);
bidi controls and zero-width marks taken out of the text fields and names already stored

Revision ID: 0014
Revises: 0013
"""
import re

from alembic import op
import sqlalchemy as sa
import sqlmodel

# catalog.language.text's rule as it stood when this migration was written (a migration does not change later).
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CLEANED = {"document": ("title", "agency", "field", "summary", "validity", "signer", "signer_title", "source_name"),
            "field_value": ("value",), "source_name": ("name",)}

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=False),
        sa.Column("seconds_left", sa.Integer(), nullable=True),
        sa.Column("current", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    op.create_index(op.f("ix_job_state"), "job", ["state"], unique=False)
    op.create_table(
        "run_lock",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_run_lock")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_fields", sa.Text(), nullable=True))
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.add_column(sa.Column("byte_range", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
        batch_op.add_column(sa.Column("problem", sa.Text(), nullable=True))
    connection = op.get_bind()
    for table, columns in _CLEANED.items():
        rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).mappings().all()
        for row in rows:
            cleaned = {c: _UNWANTED.sub("", row[c]) for c in columns if row[c] and _UNWANTED.search(row[c])}
            if cleaned:
                assignments = ", ".join(f"{c} = :{c}" for c in cleaned)
                connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {**cleaned, "id": row["id"]})


def downgrade() -> None:
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.drop_column("problem")
        batch_op.drop_column("byte_range")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("form_fields")
    op.drop_table("run_lock")
    op.drop_index(op.f("ix_job_state"), table_name="job")
    op.drop_table("job")
