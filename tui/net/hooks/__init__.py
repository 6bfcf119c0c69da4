"""The WCS REST hook endpoint: ASGI app, tap forwarding, embedded server and its service."""
