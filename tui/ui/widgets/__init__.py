"""Widgets, grouped by feature."""
