"""Metrics: how the team works (workflow figures from its own event log). Counters in from the
connectors and exports, content performance and the reports come next."""

from .counters import (
    MEASURES,
    Counters,
    RefreshReport,
    channel_totals,
    latest_counters,
    next_read,
    refresh,
    refresh_counters,
)
from .importer import MetricsImport, import_metrics
from .workflow import (
    Cadence,
    Share,
    Spread,
    WorkflowFigures,
    WorkflowFilter,
    workflow_figures,
)

__all__ = [
    "MEASURES",
    "Cadence",
    "Counters",
    "MetricsImport",
    "RefreshReport",
    "Share",
    "Spread",
    "WorkflowFigures",
    "WorkflowFilter",
    "channel_totals",
    "import_metrics",
    "latest_counters",
    "next_read",
    "refresh",
    "refresh_counters",
    "workflow_figures",
]
