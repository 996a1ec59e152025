"""The live dashboard: what each server learned and what the guard stopped, served at ``/ui``.

Served by ``intentlens gateway`` (signed in with a gateway token) and by ``intentlens dashboard`` for
any recording (signed in with the one-time token it prints).
"""

from intentlens.dashboard._app import COOKIE, Dashboard, Viewer
from intentlens.dashboard._data import Filters, Recording
from intentlens.dashboard._knowledge import Knowledge

__all__ = ["COOKIE", "Dashboard", "Filters", "Knowledge", "Recording", "Viewer"]
