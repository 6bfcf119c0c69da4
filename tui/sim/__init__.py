"""Simulators of the five systems, speaking their real wire formats over loopback HTTP."""
