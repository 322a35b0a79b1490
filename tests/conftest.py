"""Whole-suite settings: Qt renders offscreen, app settings live in a temporary home."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
