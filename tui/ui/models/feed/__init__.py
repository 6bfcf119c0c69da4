"""The feed's models: its columns and how each cell reads a row."""
