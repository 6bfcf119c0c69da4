"""The Calls screen's widgets: the table of groups and the ladder."""
