"""Metrics (next): counters in from the connectors and exports, the definitions, and workflow
figures from stage events, reviews and deliveries."""
