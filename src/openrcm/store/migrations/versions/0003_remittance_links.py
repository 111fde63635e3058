"""Remittance links: which claim payment (CLP) and service line (SVC) of a posted 835 paid
which claim and claim line.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 17:45:00

Two new tenant tables, guarded by the same row-level security policy as every other table
with a ``practice_id`` on PostgreSQL. Remittances posted before this revision have no link
rows (their journal entries still name the claim in ``refs``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openrcm.store.types
from openrcm.store.ddl import drop_rls_statements, rls_statements

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("remittance_claims", "remittance_lines")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    cents = openrcm.store.types.Cents
    op.create_table(
        "remittance_claims",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("practice_id", sa.String(length=36), nullable=False),
        sa.Column("remittance_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("patient_control", sa.String(length=38), nullable=False),
        sa.Column("payer_control", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("charge", cents(), nullable=False),
        sa.Column("paid", cents(), nullable=False),
        sa.Column("patient_responsibility", cents(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("exception", sa.String(length=40), nullable=False),
        _fk("remittance_claims", "claim_id", "claims"),
        _fk("remittance_claims", "practice_id", "practices"),
        _fk("remittance_claims", "remittance_id", "remittances"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_claims")),
    )
    for column in ("claim_id", "practice_id", "remittance_id"):
        op.create_index(op.f(f"ix_remittance_claims_{column}"), "remittance_claims", [column])
    op.create_table(
        "remittance_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("practice_id", sa.String(length=36), nullable=False),
        sa.Column("remittance_claim_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_line_id", sa.String(length=36), nullable=True),
        sa.Column("procedure", sa.String(length=48), nullable=False),
        sa.Column("charge", cents(), nullable=False),
        sa.Column("paid", cents(), nullable=False),
        _fk("remittance_lines", "claim_line_id", "claim_lines"),
        _fk("remittance_lines", "practice_id", "practices"),
        _fk("remittance_lines", "remittance_claim_id", "remittance_claims"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_lines")),
    )
    for column in ("claim_line_id", "practice_id", "remittance_claim_id"):
        op.create_index(op.f(f"ix_remittance_lines_{column}"), "remittance_lines", [column])
    for statement in rls_statements(op.get_bind().dialect.name, TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_rls_statements(op.get_bind().dialect.name, TABLES):
        op.execute(statement)
    for table in reversed(TABLES):
        op.drop_table(table)
