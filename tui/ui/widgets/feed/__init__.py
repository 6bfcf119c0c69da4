"""The feed screen's widgets: event list, column header, detail pane, status line, query bar."""
