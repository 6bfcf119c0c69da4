"""The resource browser's widgets: table, location bar, status lines, errors, raw view, dialogs."""
