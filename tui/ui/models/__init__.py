"""What the screens show and decide, without Textual: rows, columns, render lines, the browser's
controller. Widgets draw these; unit tests build them without a running app."""
