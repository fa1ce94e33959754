"""initial catalog

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 23:45:16.293826
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('source_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('input_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('original_path', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('agency', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('published_year', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('validity', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('blank_pages', sa.Integer(), nullable=True),
    sa.Column('selected_year', sa.Integer(), nullable=True),
    sa.Column('ocr_confidence', sa.Float(), nullable=True),
    sa.Column('quality', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('sha256', name=op.f('uq_document_sha256'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_agency'), ['agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_published_year'), ['published_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_selected_year'), ['selected_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_status'), ['status'], unique=False)

    op.create_table('export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('out_path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('agency', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('payload_oxum', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('tagmanifest_sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export')),
    sa.UniqueConstraint('bundle_id', name=op.f('uq_export_bundle_id'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('agency', 'year', name=op.f('uq_plan_agency_year'))
    )
    op.create_table('edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_edit_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edit'))
    )
    with op.batch_alter_table('edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edit_document_id'), ['document_id'], unique=False)

    op.create_table('export_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_export_item_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['export_id'], ['export.id'], name=op.f('fk_export_item_export_id_export'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_item')),
    sa.UniqueConstraint('export_id', 'document_id', name=op.f('uq_export_item_export_id_document_id'))
    )
    with op.batch_alter_table('export_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_item_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_item_export_id'), ['export_id'], unique=False)

    op.create_table('field_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_field_value_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_value')),
    sa.UniqueConstraint('document_id', 'name', 'source', name=op.f('uq_field_value_document_id_name_source'))
    )
    with op.batch_alter_table('field_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_field_value_document_id'), ['document_id'], unique=False)

    op.create_table('legal_ref',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('doc_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_legal_ref_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_ref'))
    )
    with op.batch_alter_table('legal_ref', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_ref_document_id'), ['document_id'], unique=False)

    op.create_table('page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=True),
    sa.Column('height_px', sa.Integer(), nullable=True),
    sa.Column('dpi', sa.Float(), nullable=True),
    sa.Column('rotation', sa.Integer(), nullable=True),
    sa.Column('blank', sa.Boolean(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('quality', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_page_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_page_document_id_number'))
    )
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_document_id'), ['document_id'], unique=False)

    op.create_table('source_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agency', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_source_name_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_name')),
    sa.UniqueConstraint('document_id', 'path', name=op.f('uq_source_name_document_id_path'))
    )
    with op.batch_alter_table('source_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_name_document_id'), ['document_id'], unique=False)

    op.create_table('stage_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('inputs_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_stage_run_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_run')),
    sa.UniqueConstraint('document_id', 'stage', name=op.f('uq_stage_run_document_id_stage'))
    )
    with op.batch_alter_table('stage_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_run_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stage_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_run_document_id'))

    op.drop_table('stage_run')
    with op.batch_alter_table('source_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_name_document_id'))

    op.drop_table('source_name')
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_document_id'))

    op.drop_table('page')
    with op.batch_alter_table('legal_ref', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_ref_document_id'))

    op.drop_table('legal_ref')
    with op.batch_alter_table('field_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_field_value_document_id'))

    op.drop_table('field_value')
    with op.batch_alter_table('export_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_item_export_id'))
        batch_op.drop_index(batch_op.f('ix_export_item_document_id'))

    op.drop_table('export_item')
    with op.batch_alter_table('edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_edit_document_id'))

    op.drop_table('edit')
    op.drop_table('plan')
    op.drop_table('export')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_status'))
        batch_op.drop_index(batch_op.f('ix_document_selected_year'))
        batch_op.drop_index(batch_op.f('ix_document_published_year'))
        batch_op.drop_index(batch_op.f('ix_document_agency'))

    op.drop_table('document')
