"""Metrics: how the team works (workflow figures from its own event log). Counters in from the
connectors and exports, content performance and the reports come next."""

from .workflow import (
    Cadence,
    Share,
    Spread,
    WorkflowFigures,
    WorkflowFilter,
    workflow_figures,
)

__all__ = [
    "Cadence",
    "Share",
    "Spread",
    "WorkflowFigures",
    "WorkflowFilter",
    "workflow_figures",
]
