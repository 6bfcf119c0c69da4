"""The resource browser's models: table rows, the ``:`` commands, each target's state."""
