"""Built-in example networks, stored as ordinary project files in resources/presets."""

from __future__ import annotations

from pathlib import Path

from app.core.project_io import Project, load

PRESET_DIR = Path(__file__).resolve().parents[2] / "resources" / "presets"
DEFAULT_PRESET = "shapes_cnn"


def list_presets() -> list[str]:
    """Preset names, the default first, then alphabetically."""
    names = sorted(p.stem for p in PRESET_DIR.glob("*.json"))
    return sorted(names, key=lambda n: (n != DEFAULT_PRESET, n))


def preset_path(name: str) -> Path:
    """The file of a built-in preset; only listed names count, so a name taken from a lesson
    or the command line never reaches a file outside the preset folder."""
    path = PRESET_DIR / f"{name}.json"
    if name not in list_presets() or not path.is_file():
        raise KeyError(f"no preset named '{name}' (available: {', '.join(list_presets())})")
    return path


def load_preset(name: str) -> Project:
    return load(preset_path(name))
