"""Check for a usable display before Qt starts, because Qt aborts with a cryptic message.

A fresh Debian/Ubuntu often lacks the xcb libraries Qt's X11 plugin needs; we name them and
the one command that installs them.
"""

from __future__ import annotations

import ctypes.util
import os

# library name for ctypes -> Debian/Ubuntu package that provides it
XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
}


def missing_xcb_packages() -> list[str]:
    return [pkg for lib, pkg in XCB_LIBS.items() if ctypes.util.find_library(lib) is None]


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Return advice if the GUI cannot open a window here, else None."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, ...: Qt reports its own problems clearly enough
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return ("no display found (DISPLAY is not set). Run Netzwerkstatt in a desktop session, "
                "or use `netzwerkstatt screenshot ... -o out.png` / QT_QPA_PLATFORM=offscreen "
                "without a screen.")
    missing = missing_xcb_packages()
    if missing:
        return ("Qt needs X11 libraries that are not installed: " + ", ".join(missing)
                + ".\nInstall them with:\n  sudo apt-get install -y " + " ".join(missing))
    return None
