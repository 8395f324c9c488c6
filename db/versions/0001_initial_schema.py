"""Initial schema: reference catalogues and frameworks, institutions, areas, groups, sources,
attachments, risk assessments, early warnings, recommendations with progress, members, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 10:34:50.837579
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import r2pdesk.orm

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('area',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('level', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=300), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['area.id'], name=op.f('fk_area_parent_id_area'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area'))
    )
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_parent_id'), ['parent_id'], unique=False)

    op.create_table('attachment',
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('audit_entry',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_table_name'), ['table_name'], unique=False)

    op.create_table('early_warning',
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('severity', sa.Enum('low', 'moderate', 'high', 'critical', name='severity', native_enum=False, length=32), nullable=True),
    sa.Column('likelihood', sa.Enum('unlikely', 'possible', 'likely', 'very_likely', name='likelihood', native_enum=False, length=32), nullable=True),
    sa.Column('horizon', sa.Enum('imminent', 'weeks', 'months', name='horizon', native_enum=False, length=32), nullable=True),
    sa.Column('status', sa.Enum('draft', 'issued', 'acknowledged', 'response_under_way', 'closed', name='warningstatus', native_enum=False, length=32), nullable=False),
    sa.Column('response_due', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Enum('resolved', 'escalated', 'no_action_taken', 'overtaken_by_events', name='resolution', native_enum=False, length=32), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('recommended_actions', sa.Text(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_early_warning')),
    sa.UniqueConstraint('reference', name=op.f('uq_early_warning_reference'))
    )
    with op.batch_alter_table('early_warning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_early_warning_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_early_warning_response_due'), ['response_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_early_warning_severity'), ['severity'], unique=False)
        batch_op.create_index(batch_op.f('ix_early_warning_status'), ['status'], unique=False)

    op.create_table('framework',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('publisher', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework')),
    sa.UniqueConstraint('code', name=op.f('uq_framework_code'))
    )
    op.create_table('institution',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('ministry', 'agency', 'parliament', 'judiciary', 'nhri', 'regional_body', 'subregional_body', 'un_entity', 'civil_society', 'other', name='institutionkind', native_enum=False, length=32), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['institution.id'], name=op.f('fk_institution_parent_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution'))
    )
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_parent_id'), ['parent_id'], unique=False)

    op.create_table('member',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('member', 'secretariat', 'chair', 'observer', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('affiliation', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    op.create_table('population_group',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population_group'))
    )
    with op.batch_alter_table('population_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_group_name'), ['name'], unique=False)

    op.create_table('reference_state',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_reference_state'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('sg_report',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=300), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('focus', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('source_file', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_sg_report'))
    )
    op.create_table('source',
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('open_media', 'civil_society_report', 'official', 'field_mission', 'confidential_informant', name='sourcekind', native_enum=False, length=32), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('reliability', sa.String(length=1), nullable=False),
    sa.Column('credibility', sa.Integer(), nullable=False),
    sa.Column('confidentiality', sa.Enum('public', 'restricted', 'confidential', name='confidentiality', native_enum=False, length=32), nullable=False),
    sa.Column('identity', sa.Text(), nullable=False),
    sa.Column('obtained_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    op.create_table('taxonomy_term',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('protected', sa.Boolean(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'code', name=op.f('pk_taxonomy_term'))
    )
    op.create_table('catalogue_recommendation',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_year', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('target_code', sa.String(length=8), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('paragraphs', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['report_year'], ['sg_report.year'], name=op.f('fk_catalogue_recommendation_report_year_sg_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_recommendation'))
    )
    with op.batch_alter_table('catalogue_recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_recommendation_report_year'), ['report_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalogue_recommendation_target'), ['target'], unique=False)

    op.create_table('focal_point',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_focal_point_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focal_point'))
    )
    with op.batch_alter_table('focal_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_point_institution_id'), ['institution_id'], unique=False)

    op.create_table('framework_version',
    sa.Column('framework_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('partial', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_framework_version_framework_id_framework')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_version')),
    sa.UniqueConstraint('framework_id', 'version', name=op.f('uq_framework_version_framework_id_version'))
    )
    with op.batch_alter_table('framework_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_version_framework_id'), ['framework_id'], unique=False)

    op.create_table('warning_addressee',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_warning_addressee_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_addressee_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'institution_id', name=op.f('pk_warning_addressee'))
    )
    op.create_table('warning_area',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('area_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_warning_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_area_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'area_id', name=op.f('pk_warning_area'))
    )
    op.create_table('warning_event',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=300), nullable=False),
    sa.Column('from_value', sa.String(length=300), nullable=False),
    sa.Column('to_value', sa.String(length=300), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_event_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_event'))
    )
    with op.batch_alter_table('warning_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_event_warning_id'), ['warning_id'], unique=False)

    op.create_table('warning_group',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['population_group.id'], name=op.f('fk_warning_group_group_id_population_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_group_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'group_id', name=op.f('pk_warning_group'))
    )
    op.create_table('warning_response',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=True),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('acknowledgement', 'action', name='responsekind', native_enum=False, length=32), nullable=False),
    sa.Column('action_taken', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_warning_response_institution_id_institution'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_response_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_response'))
    )
    with op.batch_alter_table('warning_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_response_warning_id'), ['warning_id'], unique=False)

    op.create_table('warning_source',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_warning_source_source_id_source'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_source_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'source_id', name=op.f('pk_warning_source'))
    )
    op.create_table('assessment',
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('area_id', sa.Uuid(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('phase', sa.Enum('stability', 'emerging_risk', 'active_crisis', 'post_conflict_recovery', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'under_review', 'validated', 'superseded', name='assessmentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('authors', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('framework_version_id', sa.Uuid(), nullable=False),
    sa.Column('overall_level', sa.Enum('not_assessed', 'not_present', 'low', 'moderate', 'high', 'severe', name='level', native_enum=False, length=32), nullable=False),
    sa.Column('overall_override', sa.Enum('not_assessed', 'not_present', 'low', 'moderate', 'high', 'severe', name='level', native_enum=False, length=32), nullable=True),
    sa.Column('override_justification', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_assessment_area_id_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['framework_version_id'], ['framework_version.id'], name=op.f('fk_assessment_framework_version_id_framework_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_status'), ['status'], unique=False)

    op.create_table('recommendation',
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('catalogue', 'committee', 'upr', 'treaty_body', 'other', name='recsource', native_enum=False, length=32), nullable=False),
    sa.Column('source_reference', sa.String(length=300), nullable=False),
    sa.Column('catalogue_id', sa.String(length=32), nullable=True),
    sa.Column('lead_institution_id', sa.Uuid(), nullable=True),
    sa.Column('priority', sa.Enum('low', 'medium', 'high', name='priority', native_enum=False, length=32), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'partially_implemented', 'implemented', 'not_implemented', 'not_applicable', name='recstatus', native_enum=False, length=32), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_id'], ['catalogue_recommendation.id'], name=op.f('fk_recommendation_catalogue_id_catalogue_recommendation')),
    sa.ForeignKeyConstraint(['lead_institution_id'], ['institution.id'], name=op.f('fk_recommendation_lead_institution_id_institution'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation')),
    sa.UniqueConstraint('catalogue_id', name=op.f('uq_recommendation_catalogue_id'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_lead_institution_id'), ['lead_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_status'), ['status'], unique=False)

    op.create_table('resilience_factor',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['framework_version.id'], name=op.f('fk_resilience_factor_version_id_framework_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resilience_factor')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_resilience_factor_version_id_number'))
    )
    with op.batch_alter_table('resilience_factor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resilience_factor_version_id'), ['version_id'], unique=False)

    op.create_table('risk_factor',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('applies_to', sa.Enum('common', 'genocide', 'crimes_against_humanity', 'war_crimes', name='appliesto', native_enum=False, length=32), nullable=False),
    sa.Column('nature', sa.Enum('structural', 'dynamic', name='nature', native_enum=False, length=32), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('indicators_status', sa.Enum('none', 'partial', 'complete', name='indicatorsstatus', native_enum=False, length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['framework_version.id'], name=op.f('fk_risk_factor_version_id_framework_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_factor')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_risk_factor_version_id_number'))
    )
    with op.batch_alter_table('risk_factor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_factor_version_id'), ['version_id'], unique=False)

    op.create_table('assessment_warning',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_warning_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_assessment_warning_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'warning_id', name=op.f('pk_assessment_warning'))
    )
    op.create_table('indicator',
    sa.Column('risk_factor_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('national', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['risk_factor_id'], ['risk_factor.id'], name=op.f('fk_indicator_risk_factor_id_risk_factor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('risk_factor_id', 'code', name=op.f('uq_indicator_risk_factor_id_code'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_risk_factor_id'), ['risk_factor_id'], unique=False)

    op.create_table('progress_update',
    sa.Column('recommendation_id', sa.Uuid(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'partially_implemented', 'implemented', 'not_implemented', 'not_applicable', name='recstatus', native_enum=False, length=32), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('reported_by', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_progress_update_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update'))
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_assessment',
    sa.Column('recommendation_id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_recommendation_assessment_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_assessment_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'assessment_id', name=op.f('pk_recommendation_assessment'))
    )
    op.create_table('recommendation_risk_factor',
    sa.Column('recommendation_id', sa.Uuid(), nullable=False),
    sa.Column('risk_factor_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_risk_factor_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_factor_id'], ['risk_factor.id'], name=op.f('fk_recommendation_risk_factor_risk_factor_id_risk_factor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'risk_factor_id', name=op.f('pk_recommendation_risk_factor'))
    )
    op.create_table('recommendation_supporter',
    sa.Column('recommendation_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_recommendation_supporter_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_supporter_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'institution_id', name=op.f('pk_recommendation_supporter'))
    )
    op.create_table('recommendation_warning',
    sa.Column('recommendation_id', sa.Uuid(), nullable=False),
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_warning_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_recommendation_warning_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'warning_id', name=op.f('pk_recommendation_warning'))
    )
    op.create_table('resilience_rating',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('resilience_factor_id', sa.Uuid(), nullable=False),
    sa.Column('strength', sa.Enum('not_assessed', 'absent', 'weak', 'moderate', 'strong', name='strength', native_enum=False, length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_resilience_rating_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resilience_factor_id'], ['resilience_factor.id'], name=op.f('fk_resilience_rating_resilience_factor_id_resilience_factor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resilience_rating'))
    )
    with op.batch_alter_table('resilience_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resilience_rating_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('warning_risk_factor',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('risk_factor_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['risk_factor_id'], ['risk_factor.id'], name=op.f('fk_warning_risk_factor_risk_factor_id_risk_factor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_risk_factor_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'risk_factor_id', name=op.f('pk_warning_risk_factor'))
    )
    op.create_table('progress_attachment',
    sa.Column('update_id', sa.Uuid(), nullable=False),
    sa.Column('attachment_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_progress_attachment_attachment_id_attachment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_progress_attachment_update_id_progress_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('update_id', 'attachment_id', name=op.f('pk_progress_attachment'))
    )
    op.create_table('rating',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('risk_factor_id', sa.Uuid(), nullable=False),
    sa.Column('indicator_id', sa.Uuid(), nullable=True),
    sa.Column('level', sa.Enum('not_assessed', 'not_present', 'low', 'moderate', 'high', 'severe', name='level', native_enum=False, length=32), nullable=False),
    sa.Column('confidence', sa.Enum('low', 'medium', 'high', name='confidence', native_enum=False, length=32), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('override_level', sa.Enum('not_assessed', 'not_present', 'low', 'moderate', 'high', 'severe', name='level', native_enum=False, length=32), nullable=True),
    sa.Column('override_justification', sa.Text(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('updated_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('origin_device', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_rating_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_rating_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['risk_factor_id'], ['risk_factor.id'], name=op.f('fk_rating_risk_factor_id_risk_factor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating'))
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_risk_factor_id'), ['risk_factor_id'], unique=False)

    op.create_table('warning_indicator',
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('indicator_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_warning_indicator_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warning_id'], ['early_warning.id'], name=op.f('fk_warning_indicator_warning_id_early_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warning_id', 'indicator_id', name=op.f('pk_warning_indicator'))
    )
    op.create_table('rating_area',
    sa.Column('rating_id', sa.Uuid(), nullable=False),
    sa.Column('area_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_rating_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_area_rating_id_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'area_id', name=op.f('pk_rating_area'))
    )
    op.create_table('rating_group',
    sa.Column('rating_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['population_group.id'], name=op.f('fk_rating_group_group_id_population_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_group_rating_id_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'group_id', name=op.f('pk_rating_group'))
    )
    op.create_table('rating_source',
    sa.Column('rating_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_source_rating_id_rating'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_rating_source_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'source_id', name=op.f('pk_rating_source'))
    )


def downgrade() -> None:
    op.drop_table('rating_source')
    op.drop_table('rating_group')
    op.drop_table('rating_area')
    op.drop_table('warning_indicator')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_risk_factor_id'))
        batch_op.drop_index(batch_op.f('ix_rating_assessment_id'))

    op.drop_table('rating')
    op.drop_table('progress_attachment')
    op.drop_table('warning_risk_factor')
    with op.batch_alter_table('resilience_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resilience_rating_assessment_id'))

    op.drop_table('resilience_rating')
    op.drop_table('recommendation_warning')
    op.drop_table('recommendation_supporter')
    op.drop_table('recommendation_risk_factor')
    op.drop_table('recommendation_assessment')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_update_recommendation_id'))

    op.drop_table('progress_update')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_risk_factor_id'))

    op.drop_table('indicator')
    op.drop_table('assessment_warning')
    with op.batch_alter_table('risk_factor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_factor_version_id'))

    op.drop_table('risk_factor')
    with op.batch_alter_table('resilience_factor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resilience_factor_version_id'))

    op.drop_table('resilience_factor')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_status'))
        batch_op.drop_index(batch_op.f('ix_recommendation_lead_institution_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_due_on'))

    op.drop_table('recommendation')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_status'))
        batch_op.drop_index(batch_op.f('ix_assessment_period_end'))
        batch_op.drop_index(batch_op.f('ix_assessment_area_id'))

    op.drop_table('assessment')
    op.drop_table('warning_source')
    with op.batch_alter_table('warning_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_response_warning_id'))

    op.drop_table('warning_response')
    op.drop_table('warning_group')
    with op.batch_alter_table('warning_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_event_warning_id'))

    op.drop_table('warning_event')
    op.drop_table('warning_area')
    op.drop_table('warning_addressee')
    with op.batch_alter_table('framework_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_version_framework_id'))

    op.drop_table('framework_version')
    with op.batch_alter_table('focal_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_point_institution_id'))

    op.drop_table('focal_point')
    with op.batch_alter_table('catalogue_recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_recommendation_target'))
        batch_op.drop_index(batch_op.f('ix_catalogue_recommendation_report_year'))

    op.drop_table('catalogue_recommendation')
    op.drop_table('taxonomy_term')
    op.drop_table('source')
    op.drop_table('sg_report')
    op.drop_table('setting')
    op.drop_table('reference_state')
    with op.batch_alter_table('population_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_group_name'))

    op.drop_table('population_group')
    op.drop_table('member')
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_parent_id'))
        batch_op.drop_index(batch_op.f('ix_institution_name'))
        batch_op.drop_index(batch_op.f('ix_institution_kind'))

    op.drop_table('institution')
    op.drop_table('framework')
    with op.batch_alter_table('early_warning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_early_warning_status'))
        batch_op.drop_index(batch_op.f('ix_early_warning_severity'))
        batch_op.drop_index(batch_op.f('ix_early_warning_response_due'))
        batch_op.drop_index(batch_op.f('ix_early_warning_issued_on'))

    op.drop_table('early_warning')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_table_name'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_record_id'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))

    op.drop_table('attachment')
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_parent_id'))
        batch_op.drop_index(batch_op.f('ix_area_name'))

    op.drop_table('area')
