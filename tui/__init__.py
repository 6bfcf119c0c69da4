"""noc-console: a terminal console for voice/video network operations centres."""

__version__ = "0.1.0"
