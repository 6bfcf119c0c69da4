"""Importing WCS's own log (``flashphoner.log``): the hooks it sent and the answers it got, as
the events the hook listener would have journalled.

:mod:`~tui.core.wcs_log.layout` knows the lines, :mod:`~tui.core.wcs_log.records` reads the
REST client's records from any lines of text, :mod:`~tui.core.wcs_log.pairing` pairs each SEND
with its answer and makes the event, :mod:`~tui.core.wcs_log.dates` gives the lines their dates
and :mod:`~tui.core.wcs_log.files` reads the files (gzipped, rotated, several).
"""

from tui.core.wcs_log.files import import_logs
from tui.core.wcs_log.records import LogStats

__all__ = ["LogStats", "import_logs"]
