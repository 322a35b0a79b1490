"""Any image folder gives a bundle of the expected shapes or a DatasetError that names the bad
file or folder and a fix, never another exception (`datasets.load("folder:...")`)."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.core.datasets import DatasetError, load

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
PIXEL_LIMIT = 1000  # PIL.Image.MAX_IMAGE_PIXELS during the test: "huge" images stay tiny
VALID_KINDS = ("png", "jpeg")
# Always unreadable; "random" bytes usually are, but may happen to decode as some format.
BAD_KINDS = ("truncated", "empty", "garbage", "warned", "refused")
IGNORED_KINDS = ("text",)  # no image extension: ImageFolder never looks at them


@dataclass(frozen=True)
class Entry:
    kind: str
    data: bytes
    suffix: str


def _encode(mode: str, size: tuple[int, int], fmt: str, seed: int) -> bytes:
    gen = torch.Generator().manual_seed(seed)
    channels = {"L": 1, "P": 1, "RGB": 3, "RGBA": 4}[mode]
    pixels = torch.randint(0, 256, (size[1], size[0], channels), generator=gen,
                           dtype=torch.uint8).numpy()
    image = Image.fromarray(pixels[..., 0] if channels == 1 else pixels,
                            "L" if mode == "P" else mode)
    image = image.convert("P") if mode == "P" else image
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@st.composite
def entries(draw, kinds=VALID_KINDS + BAD_KINDS + IGNORED_KINDS + ("random",)) -> Entry:
    kind = draw(st.sampled_from(kinds))
    seed = draw(st.integers(0, 2**16))
    suffix = draw(st.sampled_from([".png", ".PNG", ".jpg", ".jpeg", ".bmp"]))
    if kind in ("png", "jpeg", "truncated"):
        fmt = "JPEG" if kind == "jpeg" else draw(st.sampled_from(["PNG", "JPEG"]))
        modes = ["L", "RGB"] if fmt == "JPEG" else ["L", "RGB", "RGBA", "P"]
        size = (draw(st.integers(1, 24)), draw(st.integers(1, 24)))  # below PIXEL_LIMIT
        data = _encode(draw(st.sampled_from(modes)), size, fmt, seed)
        if kind == "truncated":  # cut inside the header or the pixel data
            data = data[:draw(st.integers(1, len(data) // 2))]
        return Entry(kind, data, suffix)
    if kind in ("warned", "refused"):  # PIL warns up to 2x its limit, then refuses
        edge = 40 if kind == "warned" else 50  # 1.6x and 2.5x PIXEL_LIMIT
        return Entry(kind, _encode("L", (edge, edge), "PNG", seed), ".png")
    if kind == "empty":
        return Entry(kind, b"", suffix)
    if kind == "garbage":
        return Entry(kind, b"GARBAGE" + draw(st.binary(max_size=40)), suffix)
    if kind == "text":
        return Entry(kind, draw(st.binary(max_size=40)), draw(st.sampled_from([".txt", ""])))
    return Entry(kind, draw(st.binary(max_size=64)), suffix)


class_names = st.text(alphabet="abcXYZ_- é数", min_size=1, max_size=6).filter(
    lambda s: s.strip() == s)
good_folders = st.dictionaries(
    class_names, st.lists(entries(VALID_KINDS), min_size=1, max_size=3).flatmap(
        lambda good: st.lists(entries(IGNORED_KINDS), max_size=1).map(lambda txt: good + txt)),
    min_size=1, max_size=3)


@st.composite
def one_bad_file(draw) -> dict[str, list[Entry]]:
    content = draw(good_folders)
    cls = draw(st.sampled_from(sorted(content)))
    items = list(content[cls])
    items.insert(draw(st.integers(0, len(items))), draw(entries(BAD_KINDS + ("random",))))
    return {**content, cls: items}


# Healthy folders (they must load), one defect among good pictures, or anything at all.
folders = st.one_of(good_folders, one_bad_file(), st.dictionaries(
    class_names, st.lists(entries(), max_size=4), min_size=1, max_size=3))


def _write(root: Path, content: dict[str, list[Entry]]) -> dict[Path, Entry]:
    files = {}
    for cls, items in content.items():
        (root / cls).mkdir()
        for i, entry in enumerate(items):
            files[root / cls / f"{entry.kind}{i}{entry.suffix}"] = entry
            (root / cls / f"{entry.kind}{i}{entry.suffix}").write_bytes(entry.data)
    (root / "README.txt").write_text("a stray file beside the class folders is ignored")
    return files


def _check_error(message: str, root: Path, content: dict[str, list[Entry]],
                 files: dict[Path, Entry]) -> None:
    assert "Fix:" in message, message
    named = [path for path in files if str(path) in message]
    if named:  # a file: it must be one that cannot be read, never a good picture
        (path,) = named
        assert files[path].kind in BAD_KINDS + ("random",), (files[path].kind, message)
        assert ("remove" in message) or ("shrink it" in message), message
        return
    assert str(root) in message, message
    images = [e for items in content.values() for e in items if e.kind not in IGNORED_KINDS]
    empty = [cls for cls, items in content.items()
             if all(e.kind in IGNORED_KINDS for e in items)]
    if empty:  # every class folder without pictures is named by its path
        assert all(str(root / cls) in message for cls in empty), message
        assert "add pictures" in message, message
    else:
        assert len(images) < 2 and "at least 2" in message, message


def _check_bundle(bundle, content: dict[str, list[Entry]], size: int) -> None:
    images = [e for items in content.values() for e in items if e.kind not in IGNORED_KINDS]
    n = len(images)
    n_val = min(max(1, round(0.2 * n)), n - 1)
    assert bundle.classes == tuple(sorted(content))
    assert bundle.x_train.shape == (n - n_val, 3, size, size)
    assert bundle.x_val.shape == (n_val, 3, size, size)
    assert bundle.x_train.dtype == torch.float32 and bundle.y_train.dtype == torch.int64
    assert float(bundle.x_train.min()) >= 0 and float(bundle.x_train.max()) <= 1
    labels = torch.cat([bundle.y_train, bundle.y_val])
    assert sorted(labels.tolist()) == sorted(
        i for i, cls in enumerate(sorted(content)) for e in content[cls]
        if e.kind not in IGNORED_KINDS)
    # Only files that may decode by chance are "random" ones; everything else is a picture.
    assert all(e.kind in VALID_KINDS + ("random",) for e in images)


@pytest.fixture
def small_pixel_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", PIXEL_LIMIT)


@FUZZ
@given(content=folders, size=st.sampled_from([4, 8, 16]))
@example(content={"cats": [Entry("png", _encode("P", (3, 5), "PNG", 1), ".png")] * 2,
                  "dogs": []}, size=8)
@example(content={"cats": [Entry("refused", _encode("L", (50, 50), "PNG", 1), ".png"),
                           Entry("png", _encode("RGBA", (3, 5), "PNG", 1), ".png")]}, size=8)
def test_image_folder_loads_or_names_the_bad_file(small_pixel_limit, content, size):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve() / "pictures"
        root.mkdir()
        files = _write(root, content)
        try:
            bundle = load(f"folder:{root}", size=size)
        except DatasetError as exc:
            event("refused")
            _check_error(str(exc), root, content, files)
            return
        event("loaded")
        _check_bundle(bundle, content, size)


# No "." or ".." parts: "missing/../.." would be a real folder (and ImageFolder would walk it).
missing_parts = st.lists(st.text(alphabet="ab._ é", min_size=1, max_size=5).filter(
    lambda part: part not in (".", "..")), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None)
@given(parts=missing_parts)
def test_missing_or_file_instead_of_folder_says_not_found(parts):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a_file.png").write_bytes(_encode("RGB", (2, 2), "PNG", 0))
        target = Path(tmp, "missing", *parts)
        for path in (target, Path(tmp) / "a_file.png"):
            with pytest.raises(DatasetError) as err:
                load(f"folder:{path}")
            assert "not found" in str(err.value) and "Fix:" in str(err.value)
            assert str(path.resolve()) in str(err.value)
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["a_file.png"]
