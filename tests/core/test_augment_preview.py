"""The Augmentation lab shows what the trainer does: the same functions, the same seeds; elastic
distortion is a smooth warp that grows with its strength; project files keep it."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from torch import nn

from app.core import datasets, presets, project_io
from app.core.augment_preview import KINDS, augment_versions, single_kind
from app.core.datasets import AugmentConfig, DataBundle, augment_batch
from app.core.trainer import TrainConfig, Trainer

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def shapes_images() -> torch.Tensor:
    return datasets.load("shapes", n_train=16, n_val=1).x_train


@pytest.mark.parametrize("kind, strength", [("rotation", 30), ("crop", 3), ("hflip", 1),
                                            ("color_jitter", 0.4), ("noise", 0.2),
                                            ("elastic", 2.0)])
def test_preview_equals_the_trainers_augmentation_with_the_same_seed(shapes_images, kind,
                                                                     strength):
    image = shapes_images[3]
    versions = augment_versions(image.numpy(), kind, strength, seeds=[5, 6, 7])
    assert versions.shape == (3, *image.shape)
    for seed, version in zip([5, 6, 7], versions, strict=True):
        trained_on = augment_batch(image[None], AugmentConfig(**{kind: type(getattr(
            AugmentConfig(), kind))(strength)}), torch.Generator().manual_seed(seed))[0]
        assert np.array_equal(version, trained_on.numpy())
    if kind != "hflip":  # a flip may leave some of three versions as they were
        assert not np.allclose(versions, image.numpy()[None], atol=1e-3)


def test_preview_and_trainer_call_the_same_per_kind_function(monkeypatch, shapes_images):
    calls: list[tuple[str, float]] = []
    real = datasets.random_elastic

    def spy(x, strength, generator):
        calls.append(("elastic", strength))
        return real(x, strength, generator)

    monkeypatch.setattr(datasets, "random_elastic", spy)
    augment_versions(shapes_images[0].numpy(), "elastic", 1.5, seeds=[0, 1])
    assert calls == [("elastic", 1.5)] * 2
    calls.clear()
    bundle = DataBundle("tiny", "image", "classification", shapes_images[:8],
                        torch.arange(8) % 2, shapes_images[8:12], torch.arange(4) % 2, ("a", "b"))
    net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 2))
    config = TrainConfig(epochs=1, batch_size=4, device="cpu", augment=AugmentConfig(elastic=1.5))
    assert Trainer(net, bundle, config).fit().status == "completed"
    assert calls == [("elastic", 1.5)] * 2  # 8 samples, batch 4: two steps, each augmented


def test_elastic_keeps_shape_and_range_and_is_identity_at_zero(shapes_images):
    x = shapes_images
    gen = torch.Generator().manual_seed(0)
    assert torch.allclose(datasets.random_elastic(x, 0.0, gen), x, atol=1e-5)
    assert augment_batch(x, AugmentConfig(elastic=0.0)) is x
    warped = augment_batch(x, AugmentConfig(elastic=2.0), torch.Generator().manual_seed(0))
    assert warped.shape == x.shape and warped.dtype == x.dtype
    assert warped.min() >= 0 and warped.max() <= 1
    colour = torch.rand(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    assert augment_batch(colour, AugmentConfig(elastic=1.0), gen).shape == (4, 3, 32, 32)


def test_elastic_changes_the_image_more_as_strength_grows(shapes_images):
    x = shapes_images
    change = [float((augment_batch(x, AugmentConfig(elastic=s), torch.Generator()
                                   .manual_seed(3)) - x).abs().mean()) for s in (0.25, 1, 2, 4)]
    assert change == sorted(change) and change[0] > 0
    assert change[-1] > 3 * change[0]


def test_elastic_field_is_smooth_not_pixel_noise():
    """Neighbouring pixels move together: a ramp stays a ramp (small local differences)."""
    ramp = torch.linspace(0, 1, 28).expand(1, 1, 28, 28).contiguous()
    warped = datasets.random_elastic(ramp, 1.0, torch.Generator().manual_seed(0))
    inner = warped[..., 4:-4, 4:-4]
    assert (inner.diff(dim=-1).abs().max()) < 0.2  # the ramp's own step is 1/27


def test_single_kind_refuses_unknown_kinds_and_negative_strength():
    assert single_kind("crop", 2.6) == AugmentConfig(crop=3)
    assert single_kind("hflip", 1) == AugmentConfig(hflip=True)
    assert set(KINDS) == {"rotation", "crop", "hflip", "color_jitter", "noise", "elastic"}
    with pytest.raises(ValueError, match="unknown augmentation 'blur'"):
        single_kind("blur", 1)
    with pytest.raises(ValueError, match="elastic must be 0 or more"):
        single_kind("elastic", -1)
    with pytest.raises(ValueError, match="choose an image dataset"):
        augment_versions(np.zeros((2,), np.float32), "noise", 0.1, [0])


def test_project_files_keep_elastic_and_refuse_bad_values(tmp_path):
    project = presets.load_preset("shapes_cnn")
    project.data = replace(project.data, augment=AugmentConfig(elastic=2.5, noise=0.1))
    path = tmp_path / "elastic.json"
    project_io.save(path, project)
    assert json.loads(path.read_text())["data"]["augment"]["elastic"] == 2.5
    assert project_io.load(path).data.augment == AugmentConfig(elastic=2.5, noise=0.1)
    for bad in (-1.0, 11.0, "much", True, None):
        raw = json.loads(project_io.dumps(project))
        raw["data"]["augment"]["elastic"] = bad
        with pytest.raises(project_io.ProjectError) as caught:
            project_io.project_from_dict(raw)
        assert caught.value.field == "data.augment.elastic"
