"""`postroom verify`: the file is sound, its references hold, and the audit chain is unbroken."""

from __future__ import annotations

from dataclasses import dataclass

from .audit import verify_chain
from .db import database


@dataclass(frozen=True)
class VerifyReport:
    """What verify found; `problems` is empty when all is well."""

    problems: tuple[str, ...]
    audit_rows: int

    @property
    def ok(self) -> bool:
        """Nothing wrong was found."""
        return not self.problems


def verify_database() -> VerifyReport:
    """Run integrity_check, foreign_key_check and the audit chain check."""
    problems: list[str] = []
    integrity = [row[0] for row in database.execute_sql("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.extend(f"integrity: {line}" for line in integrity[:20])
    for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check"):
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    broken = verify_chain()
    if broken:
        problems.append(f"audit: row {broken.event_id}: {broken.reason}")
    rows = database.execute_sql("SELECT count(*) FROM audit_event").fetchone()[0]
    return VerifyReport(tuple(problems), rows)
