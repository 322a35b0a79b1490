"""The app on a desktop and in an offline workshop: the launcher, its icon, `make
install-desktop`, the app's identity, and `netzwerkstatt fetch-data`."""

from __future__ import annotations

import configparser
import shlex
import shutil
import socket
import struct
import subprocess
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "resources" / "netzwerkstatt.desktop"
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game",
                   "Graphics", "Network", "Office", "Science", "Settings", "System", "Utility"}


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(path, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_desktop_file_is_valid():
    entry = read_entry(DESKTOP)
    # The rules of the Desktop Entry Specification that a launcher depends on.
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Netzwerkstatt"
    assert entry["Comment"] and entry["Comment[de]"]
    exec_line = shlex.split(entry["Exec"])
    assert exec_line[0] == "netzwerkstatt"  # the console script of pyproject.toml
    assert 'netzwerkstatt = "app.cli:main"' in (ROOT / "pyproject.toml").read_text()
    assert exec_line[1] == "gui" and exec_line[2] in ("%f", "%F")  # open a dropped project
    assert entry["Icon"] == "netzwerkstatt"  # a theme name, no path or extension
    assert (ROOT / "resources" / "icons" / "netzwerkstatt.svg").is_file()
    categories = entry["Categories"]
    assert categories.endswith(";")
    assert len(MAIN_CATEGORIES & set(categories.split(";"))) == 1
    assert entry["Terminal"] == "false"
    validator = shutil.which("desktop-file-validate")
    if validator:  # the reference checker, where it is installed (desktop-file-utils)
        out = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_icon_pngs_are_the_svg_rendered_at_each_size(qapp, tmp_path):
    from PySide6.QtGui import QImage

    from widgets.app_main import ICON_SIZES, icon_png, render_icons

    fresh = render_icons(folder=tmp_path)
    for size, path in zip(ICON_SIZES, fresh, strict=True):
        shipped = QImage(str(icon_png(size)))
        assert (shipped.width(), shipped.height()) == (size, size)
        assert shipped == QImage(str(path)), f"{icon_png(size).name} is stale: make icons"
        corner, centre = shipped.pixelColor(0, 0), shipped.pixelColor(size // 2, size // 2)
        assert corner.alpha() == 0 and centre.alpha() == 255  # a rounded tile on transparency


def test_app_identity_and_window_icon(qapp):
    from widgets.app_main import app_icon, set_identity

    old = qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName()
    try:
        set_identity(qapp)
        assert qapp.applicationName() == "Netzwerkstatt"
        assert qapp.organizationName() == "Netzwerkstatt"
        assert qapp.desktopFileName() == DESKTOP.stem  # Wayland matches the launcher by it
        assert not qapp.windowIcon().isNull()
        sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
        assert {(16, 16), (48, 48), (256, 256)} <= sizes
    finally:
        qapp.setApplicationName(old[0])
        qapp.setOrganizationName(old[1])
        qapp.setDesktopFileName(old[2])


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_install_desktop_into_a_fresh_home_is_idempotent(tmp_path):
    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}  # no XDG_DATA_HOME: the default place

    def make(target: str) -> subprocess.CompletedProcess:
        out = subprocess.run(["make", "-s", "-C", str(ROOT), target], env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout + out.stderr
        return out

    def installed() -> dict[str, bytes]:
        return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
                if p.is_file() and p.name != "mimeinfo.cache"}

    make("install-desktop")
    first = installed()
    share = home / ".local" / "share"
    launcher = share / "applications" / "netzwerkstatt.desktop"
    entry = read_entry(launcher)
    assert shlex.split(entry["Exec"])[0] == str(ROOT / ".venv" / "bin" / "netzwerkstatt")
    assert entry["TryExec"] == str(ROOT / ".venv" / "bin" / "netzwerkstatt")
    assert (share / "icons/hicolor/scalable/apps/netzwerkstatt.svg").is_file()
    for size in (16, 32, 48, 128, 256):
        assert (share / f"icons/hicolor/{size}x{size}/apps/netzwerkstatt.png").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(launcher)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout

    make("install-desktop")  # again: the same files, nothing added or changed
    assert installed() == first

    make("uninstall-desktop")
    assert installed() == {}


# -- fetch-data ------------------------------------------------------------------------------


def write_fake_mnist(root: Path, n_train: int = 6, n_test: int = 4) -> None:
    """A tiny MNIST in torchvision's layout (idx files), as a prepared USB stick holds it."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = struct.pack(">iiii", 2051, n, 28, 28) + bytes(range(256)) * (n * 784 // 256) \
            + bytes(n * 784 % 256)
        labels = struct.pack(">ii", 2049, n) + bytes(i % 10 for i in range(n))
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(images)
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(labels)


def no_network(*_args, **_kwargs):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_fetch_data_finds_a_prepared_folder_without_the_network(tmp_path, capsys):
    write_fake_mnist(tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "getaddrinfo", no_network)
        assert main(["fetch-data", "mnist", "shapes", "--to", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "shapes: built in" in out
    assert "mnist: already there, 6 training and 4 test images" in out
    assert f"--data-dir {tmp_path}" in out


def test_fetch_data_offline_says_what_to_do(tmp_path, capsys):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "getaddrinfo", no_network)
        code = main(["fetch-data", "mnist", "cifar10", "--to", str(tmp_path / "stick")])
    err = capsys.readouterr().err
    assert code == 1
    assert "mnist: not downloaded: there is no internet connection here" in err
    assert "cifar10: not downloaded" in err
    assert "Traceback" not in err
    assert "on a computer that is online" in err and "--data-dir DIR" in err


def test_fetch_data_refuses_unknown_names(tmp_path, capsys):
    assert main(["fetch-data", "mnistt", "--to", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unknown dataset mnistt" in err and "fashion_mnist" in err
    assert not any(tmp_path.iterdir())  # nothing created for a typo
