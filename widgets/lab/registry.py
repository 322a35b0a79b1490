"""The lab views, in the order of their tabs and of the Lab menu. A new lab view is its own
file in widgets/lab/ plus one entry here (with a `key` for the screenshot command)."""

from __future__ import annotations

from widgets.plots.run_view import ViewSpec

LAB_VIEWS: list[ViewSpec] = []
