"""Metrics: how the team works (workflow figures from its own event log), counters in from the
connectors and exports, and what the content did (from the performance rollup)."""

from . import rollup
from .content import (
    DIMENSIONS,
    POST_ORDERS,
    Cell,
    ContentFigures,
    Group,
    PostLine,
    content_figures,
    content_posts,
    post_key,
)
from .counters import (
    MEASURES,
    Counters,
    RefreshReport,
    channel_totals,
    counter_schedule,
    latest_counters,
    next_read,
    refresh,
    refresh_counters,
    set_counter_schedule,
)
from .importer import MetricsImport, import_metrics
from .period import Period, PeriodError, local_days, parse_period
from .workflow import (
    Cadence,
    Share,
    Spread,
    WorkflowFigures,
    WorkflowFilter,
    workflow_figures,
)

__all__ = [
    "DIMENSIONS",
    "MEASURES",
    "POST_ORDERS",
    "Cadence",
    "Cell",
    "ContentFigures",
    "Counters",
    "Group",
    "MetricsImport",
    "Period",
    "PeriodError",
    "PostLine",
    "RefreshReport",
    "Share",
    "Spread",
    "WorkflowFigures",
    "WorkflowFilter",
    "channel_totals",
    "content_figures",
    "content_posts",
    "counter_schedule",
    "import_metrics",
    "latest_counters",
    "local_days",
    "next_read",
    "parse_period",
    "post_key",
    "refresh",
    "refresh_counters",
    "rollup",
    "set_counter_schedule",
    "workflow_figures",
]
