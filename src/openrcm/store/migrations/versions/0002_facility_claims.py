"""Facility (institutional) claims: the encounter's UB-04 data, POA indicators, revenue codes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:40:00

Every new column is nullable or has an empty-string server default, so existing rows stay
valid. SQLite cannot add a foreign key with ALTER TABLE through Alembic (it would rebuild the
encounters table, which the rows of other tables refer to), but it accepts a column constraint
in ``ADD COLUMN``; PostgreSQL gets the same named constraint the models declare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_TEXT = (
    ("encounters", "admission_hour", 4),
    ("encounters", "admission_type", 1),
    ("encounters", "admission_source", 1),
    ("encounters", "discharge_hour", 4),
    ("encounters", "patient_status", 2),
    ("encounters", "admitting_diagnosis", 8),
    ("encounters", "condition_codes", 40),
    ("diagnoses", "poa", 1),
    ("charges", "revenue_code", 4),
    ("claim_lines", "revenue_code", 4),
)
_PROVIDERS = ("attending_provider_id", "operating_provider_id")


def upgrade() -> None:
    op.add_column("encounters", sa.Column("type_of_bill", sa.String(length=4), nullable=True))
    op.add_column("encounters", sa.Column("admission_date", sa.Date(), nullable=True))
    op.add_column("encounters", sa.Column("discharge_date", sa.Date(), nullable=True))
    for table, column, length in _TEXT:
        op.add_column(table, sa.Column(column, sa.String(length=length), server_default="",
                                       nullable=False))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in _PROVIDERS:
        name = f"fk_encounters_{column}_providers"
        if sqlite:
            op.execute(f"ALTER TABLE encounters ADD COLUMN {column} VARCHAR(36) "
                       f"CONSTRAINT {name} REFERENCES providers (id)")
        else:
            op.add_column("encounters", sa.Column(column, sa.String(length=36), nullable=True))
            op.create_foreign_key(name, "encounters", "providers", [column], ["id"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in _PROVIDERS:
        if not sqlite:
            op.drop_constraint(f"fk_encounters_{column}_providers", "encounters",
                               type_="foreignkey")
        op.drop_column("encounters", column)
    for table, column, _ in reversed(_TEXT):
        op.drop_column(table, column)
    for column in ("discharge_date", "admission_date", "type_of_bill"):
        op.drop_column("encounters", column)
