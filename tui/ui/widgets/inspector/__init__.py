"""The inspector's widgets: the paste box, the result tree, the history and errors seen."""
