"""Datasets load offline, deterministically and fast; missing files explain the fix; augmentation
is batched and reproducible. Nothing here touches the network."""

import struct

import numpy as np
import pytest
import torch
from PIL import Image

from app.core import datasets
from app.core.datasets import DATASETS, AugmentConfig, DatasetError, augment_batch, load

POINT_SETS = ("circle", "xor", "gauss", "spiral")
BUILTINS = (*POINT_SETS, "shapes", "sequence")


@pytest.fixture(scope="module")
def shapes():
    return load("shapes")


def _one_nn_accuracy(bundle):
    """Validation accuracy of a 1-nearest-neighbour lookup: high means the classes are learnable."""
    nearest = torch.cdist(bundle.x_val.flatten(1), bundle.x_train.flatten(1)).argmin(1)
    return (bundle.y_train[nearest] == bundle.y_val).float().mean().item()


@pytest.mark.parametrize("name", POINT_SETS)
def test_point_sets_shapes_dtypes_and_balance(name):
    b = load(name)
    assert (b.kind, b.task, b.num_classes) == ("points", "classification", 2)
    assert b.x_train.shape == (1000, 2) and b.x_val.shape == (300, 2)
    assert b.x_train.dtype == torch.float32 and b.y_train.dtype == torch.int64
    assert torch.bincount(b.y_train).tolist() == [500, 500]
    assert b.x_train.abs().max() < 2
    assert _one_nn_accuracy(b) > 0.9


def test_simple_rules_separate_the_easy_point_sets():
    xor = load("xor")
    assert ((xor.x_val.prod(1) < 0).long() == xor.y_val).float().mean() > 0.95
    circle = load("circle")
    assert ((circle.x_val.norm(dim=1) > 0.6).long() == circle.y_val).float().mean() > 0.95
    gauss = load("gauss")
    assert ((gauss.x_val.sum(1) < 0).long() == gauss.y_val).float().mean() > 0.95


@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_are_deterministic_per_seed_and_match_registry(name):
    a, b, c = load(name, seed=3), load(name, seed=3), load(name, seed=4)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_val, b.y_val)
    assert not torch.equal(a.x_train, c.x_train)
    info = DATASETS[name]
    assert info.builtin and info.kind == a.kind
    assert a.input_shape == info.input_shape and a.num_classes == info.num_classes


def test_sizes_can_be_overridden_without_changing_validation():
    small, default = load("xor", n_train=50, n_val=20), load("xor")
    assert small.x_train.shape == (50, 2) and small.x_val.shape == (20, 2)
    assert torch.equal(load("xor", n_train=50).x_val, default.x_val)
    with pytest.raises(DatasetError, match="n_train"):
        load("xor", n_train=0)


def test_shapes_images_are_balanced_and_classes_differ(shapes):
    assert shapes.kind == "image" and shapes.x_train.shape == (4000, 1, 28, 28)
    assert shapes.x_val.shape == (1000, 1, 28, 28) and shapes.num_classes == 8
    assert shapes.x_train.min() >= 0 and shapes.x_train.max() <= 1
    assert torch.bincount(shapes.y_train).tolist() == [500] * 8
    means = torch.stack([shapes.x_train[shapes.y_train == c].mean(0).flatten() for c in range(8)])
    gaps = torch.cdist(means, means) + torch.eye(8) * 1e9
    assert gaps.min() > 0.5  # every pair of class-mean images is clearly different
    sub = datasets.DataBundle("s", "image", "classification", shapes.x_train[:1000],
                              shapes.y_train[:1000], shapes.x_val[:300], shapes.y_val[:300],
                              shapes.classes)
    assert _one_nn_accuracy(sub) > 0.6  # far above 1/8 chance


def test_sequence_task():
    b = load("sequence")
    assert b.kind == "sequence" and b.classes == ("sine", "square", "sawtooth")
    assert b.x_train.shape == (2000, 20, 1) and b.x_val.shape == (500, 20, 1)
    assert b.x_train.dtype == torch.float32 and b.y_train.dtype == torch.int64
    assert _one_nn_accuracy(b) > 0.8


def test_unknown_name_lists_valid_names():
    with pytest.raises(DatasetError) as err:
        load("nope")
    assert "mnist" in str(err.value) and "spiral" in str(err.value)
    assert "folder:" in str(err.value)


def _write_idx(path, array, magic):
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_dir(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 64), ("t10k", 32)):
        _write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)), 2051)
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(n) % 10, 2049)
    return tmp_path


def test_mnist_reads_torchvision_layout(mnist_dir):
    calls = []
    b = load("mnist", data_dir=mnist_dir, progress=lambda done, total: calls.append((done, total)))
    assert b.x_train.shape == (64, 1, 28, 28) and b.x_val.shape == (32, 1, 28, 28)
    assert b.x_train.dtype == torch.float32 and b.y_train.dtype == torch.int64
    assert b.y_train.tolist() == [i % 10 for i in range(64)]
    assert b.num_classes == 10 and calls[-1] == (2, 2)
    raw = np.frombuffer((mnist_dir / "MNIST/raw/train-images-idx3-ubyte").read_bytes()[16:],
                        np.uint8).reshape(64, 28, 28)
    # Standardised as torchvision's MNIST examples do: (pixel / 255 - 0.1307) / 0.3081.
    assert b.mean == (0.1307,) and b.std == (0.3081,)
    assert torch.allclose(b.x_train[5, 0], torch.from_numpy((raw[5] / 255 - 0.1307) / 0.3081)
                          .float(), atol=1e-6)
    assert torch.allclose(b.to_pixels(b.x_train[5]), torch.from_numpy(raw[5] / 255).float(),
                          atol=1e-6)


def test_mnist_subset_is_seeded(mnist_dir):
    a = load("mnist", data_dir=mnist_dir, n_train=16, n_val=8, seed=1)
    b = load("mnist", data_dir=mnist_dir, n_train=16, n_val=8, seed=1)
    c = load("mnist", data_dir=mnist_dir, n_train=16, n_val=8, seed=2)
    assert a.x_train.shape == (16, 1, 28, 28) and a.x_val.shape == (8, 1, 28, 28)
    assert torch.equal(a.x_train, b.x_train) and not torch.equal(a.x_train, c.x_train)


def test_cifar10_is_converted_to_nchw(tmp_path, monkeypatch):
    import pickle

    import torchvision.datasets.cifar

    # The fake batches cannot match torchvision's md5 sums; the layout is what is under test.
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda *a, **k: True)
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(0)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for name in names:
        data = rng.integers(0, 256, (4, 3 * 32 * 32), dtype=np.uint8)
        (folder / name).write_bytes(pickle.dumps({"data": data, "labels": [0, 1, 2, 3]}))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": [str(i) for i in range(10)]}))
    b = load("cifar10", data_dir=tmp_path)
    assert b.x_train.shape == (20, 3, 32, 32) and b.x_val.shape == (4, 3, 32, 32)
    first = pickle.loads((folder / "data_batch_1").read_bytes())["data"][0].reshape(3, 32, 32)
    mean, std = np.array(b.mean)[:, None, None], np.array(b.std)[:, None, None]
    assert b.mean == (0.4914, 0.4822, 0.4465) and b.std == (0.2470, 0.2435, 0.2616)
    assert torch.allclose(b.x_train[0], torch.from_numpy((first / 255 - mean) / std).float(),
                          atol=1e-5)
    assert b.x_train.is_contiguous() and b.num_classes == 10


@pytest.mark.parametrize("name, folder", [("mnist", "MNIST/raw"), ("kmnist", "KMNIST/raw"),
                                          ("cifar10", "cifar-10-batches-py")])
def test_missing_files_name_the_path_and_the_fix(tmp_path, name, folder):
    with pytest.raises(DatasetError) as err:
        load(name, data_dir=tmp_path / "empty")
    message = str(err.value)
    assert str((tmp_path / "empty" / folder).resolve()) in message
    assert "--data-dir" in message and "download" in message


def test_default_data_dir_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DatasetError, match=str(tmp_path / "FashionMNIST" / "raw")):
        load("fashion_mnist")


def test_failed_download_becomes_dataset_error(tmp_path, monkeypatch):
    import torchvision.datasets

    def offline(self):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz: no network")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", offline)
    with pytest.raises(DatasetError, match="could not download.*no network"):
        load("mnist", data_dir=tmp_path, download=True)


def _image_batch():
    torch.manual_seed(0)
    return torch.rand(6, 3, 16, 12)


def test_augment_off_returns_identical_data():
    x = _image_batch()
    assert torch.equal(augment_batch(x, AugmentConfig()), x)
    points = torch.randn(5, 2)
    assert augment_batch(points, AugmentConfig(noise=0.5, hflip=True)) is points


FULL = AugmentConfig(hflip=True, rotation=20, crop=2, color_jitter=0.3, noise=0.05)


def test_augment_keeps_shape_and_range_and_changes_pixels():
    x = _image_batch()
    y = augment_batch(x, FULL, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and y.dtype == x.dtype
    assert y.min() >= 0 and y.max() <= 1
    assert not torch.allclose(y, x, atol=1e-3)


def test_augment_respects_generator_seed():
    x = _image_batch()
    a = augment_batch(x, FULL, torch.Generator().manual_seed(7))
    b = augment_batch(x, FULL, torch.Generator().manual_seed(7))
    c = augment_batch(x, FULL, torch.Generator().manual_seed(8))
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_hflip_flips_some_samples_whole():
    x = torch.rand(32, 1, 8, 8)
    y = augment_batch(x, AugmentConfig(hflip=True), torch.Generator().manual_seed(0))
    same = (y == x).flatten(1).all(1)
    flipped = (y == x.flip(-1)).flatten(1).all(1)
    assert torch.all(same | flipped) and same.any() and flipped.any()


def test_crop_shifts_by_whole_pixels_with_zero_fill():
    x = torch.zeros(16, 1, 10, 10)
    x[:, :, 4, 4] = 1.0
    y = augment_batch(x, AugmentConfig(crop=2), torch.Generator().manual_seed(0))
    peaks = y.flatten(1).argmax(1)
    rows, cols = peaks // 10, peaks % 10
    assert torch.allclose(y.flatten(1).max(1).values, torch.ones(16), atol=1e-4)
    assert rows.sub(4).abs().max() <= 2 and cols.sub(4).abs().max() <= 2
    assert len(set(peaks.tolist())) > 1


def test_sample_images_cover_all_classes(shapes):
    images, labels = datasets.sample_images(shapes, n=16)
    assert images.shape == (16, 1, 28, 28) and images.dtype == np.float32
    assert sorted(labels.tolist()) == sorted(list(range(8)) * 2)


def _write_png(path, colour, size):
    Image.new("RGB", size, colour).save(path)


def test_image_folder(tmp_path):
    for cls, colour in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
        (tmp_path / cls).mkdir()
        for i in range(5):
            _write_png(tmp_path / cls / f"{i}.png", colour, (10 + i, 12))
    b = load(f"folder:{tmp_path}", seed=0)
    assert b.classes == ("blue", "red") and b.kind == "image"
    assert b.x_train.shape == (8, 3, 32, 32) and b.x_val.shape == (2, 3, 32, 32)
    assert b.x_train.dtype == torch.float32 and b.y_train.dtype == torch.int64
    blue = b.x_train[b.y_train == 0]
    assert torch.allclose(blue[:, 2], torch.ones_like(blue[:, 2]))
    assert torch.allclose(blue[:, 0], torch.zeros_like(blue[:, 0]))
    assert load(f"folder:{tmp_path}", size=16).input_shape == (3, 16, 16)
    again = load(f"folder:{tmp_path}", seed=0)
    assert torch.equal(again.y_val, b.y_val)


def test_image_folder_errors(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load(f"folder:{tmp_path / 'missing'}")
    with pytest.raises(DatasetError, match="no usable images"):
        load(f"folder:{tmp_path}")  # empty
    (tmp_path / "cats").mkdir()
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    with pytest.raises(DatasetError, match="no usable images"):
        load(f"folder:{tmp_path}")


def _two_class_folder(root, n=3):
    for cls, colour in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
        (root / cls).mkdir(parents=True)
        for i in range(n):
            _write_png(root / cls / f"{i}.png", colour, (8, 8))
    return root


def test_damaged_image_is_named_with_the_fix(tmp_path):
    _two_class_folder(tmp_path)
    damaged = tmp_path / "red" / "broken.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    with pytest.raises(DatasetError) as err:
        load(f"folder:{tmp_path}")
    assert str(damaged) in str(err.value) and "remove or replace" in str(err.value)


@pytest.mark.parametrize("times_limit", [1.5, 3])  # PIL warns up to 2x its limit, then refuses
def test_oversized_image_is_named_not_a_decompression_bomb_traceback(tmp_path, monkeypatch,
                                                                     times_limit):
    _two_class_folder(tmp_path)
    huge = tmp_path / "blue" / "huge.png"
    _write_png(huge, (0, 0, 255), (40, 40))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", int(40 * 40 / times_limit))
    with pytest.raises(DatasetError) as err:
        load(f"folder:{tmp_path}")
    assert str(huge) in str(err.value) and "too large" in str(err.value)
    assert "shrink it" in str(err.value)


def test_an_image_folder_not_yet_chosen_is_saved_and_then_explained(tmp_path):
    """The app writes "folder:" between choosing "image folder…" and choosing the folder; such
    a project must reopen, and training must say what is missing (not read the current dir)."""
    from app.core import presets, project_io

    project = presets.load_preset("shapes_cnn")
    project.data.name = datasets.FOLDER_PREFIX
    path = tmp_path / "p.json"
    project_io.save(path, project)
    assert project_io.load(path).data.name == datasets.FOLDER_PREFIX
    with pytest.raises(datasets.DatasetError, match="no image folder chosen"):
        datasets.load(datasets.FOLDER_PREFIX)
