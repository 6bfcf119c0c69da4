"""The feed's models: its columns, the status line's counters, the frame pacing."""
