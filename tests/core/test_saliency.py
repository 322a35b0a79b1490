"""Saliency maps are the gradients they claim to be, look where a hand-built network looks,
Grad-CAM is non-negative at the input's size, and the model is left exactly as it was."""

import numpy as np
import pytest
import torch
from torch import nn

from app.core import presets
from app.core.builder import build
from app.core.datasets import load
from app.core.saliency import (
    default_cam_layer,
    drawing_colours,
    explain,
    grad_cam,
    gradient_saliency,
    render_drawing,
    smoothgrad,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def small_cnn(channels: int = 1, classes: int = 4) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(channels, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(),
        nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(24, classes))


def hooks_left(model: nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._backward_hooks) for m in model.modules())


@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 20, 24)])
def test_all_three_maps_have_the_input_size_and_grad_cam_is_not_negative(shape):
    model = small_cnn(channels=shape[0]).train()
    x = torch.rand(3, *shape)
    layer = default_cam_layer(model, x)
    assert layer == "5"  # conv "3" + its BatchNorm "4" + ReLU "5"
    for target in (2, torch.tensor([0, 1, 3])):
        maps = [gradient_saliency(model, x, target),
                smoothgrad(model, x, target, samples=6, generator=torch.Generator().manual_seed(0)),
                grad_cam(model, x, target, layer)]
        for m in maps:
            assert m.shape == (3, *shape[1:]) and m.dtype == np.float32
            assert np.isfinite(m).all() and m.min() >= 0
        assert maps[2].max() > 0
    # Nothing lasting: still training, weights still trainable, no hooks, no gradients kept.
    assert model.training and all(p.requires_grad and p.grad is None for p in model.parameters())
    assert hooks_left(model) == 0


def test_gradient_saliency_equals_a_finite_difference_estimate():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Tanh(), nn.Flatten(),
                          nn.Linear(3 * 3 * 4, 3)).double()
    x = torch.rand(2, 2, 5, 6, dtype=torch.float64)
    target = torch.tensor([2, 0])
    got = gradient_saliency(model, x, target)
    eps = 1e-6
    fd = np.zeros((2, 2, 5, 6))
    with torch.no_grad():
        for index in np.ndindex(*x.shape[1:]):
            step = torch.zeros_like(x)
            step[(slice(None), *index)] = eps
            diff = model(x + step) - model(x - step)
            fd[(slice(None), *index)] = (diff.gather(1, target[:, None])[:, 0] / (2 * eps)).numpy()
    expected = np.abs(fd).max(1)
    assert np.abs(got - expected).max() < 1e-6
    assert expected.max() > 1e-2  # a real signal, not two zeros agreeing


def patch_model() -> tuple[nn.Module, np.ndarray]:
    """A linear classifier on 12x12 images whose class-1 weights are zero outside rows 2-4,
    columns 7-10: only that patch can matter for class 1."""
    torch.manual_seed(1)
    linear = nn.Linear(144, 2)
    mask = np.zeros((12, 12), dtype=bool)
    mask[2:5, 7:11] = True
    with torch.no_grad():
        weights = torch.randn(12, 12) + 2.0  # all clearly non-zero inside the patch
        linear.weight[1] = (weights * torch.as_tensor(mask)).reshape(-1)
    return nn.Sequential(nn.Flatten(), linear), mask


def test_saliency_concentrates_on_the_pixels_that_matter():
    model, mask = patch_model()
    x = torch.rand(4, 1, 12, 12)
    for saliency in (gradient_saliency(model, x, 1),
                     smoothgrad(model, x, 1, samples=4, generator=torch.Generator().manual_seed(0))):
        assert np.all(saliency[:, ~mask] == 0)
        assert np.all(saliency[:, mask] > 0.1)


def test_grad_cam_finds_the_region_of_the_class_it_explains():
    """Channel 0 holds a blob top left, channel 1 one bottom right; class k is the mean of
    channel k after an identity conv. Grad-CAM of class 0 lights the top left only, class 1
    the bottom right only."""
    conv = nn.Conv2d(2, 2, 1, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.eye(2).reshape(2, 2, 1, 1))
    model = nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    x = torch.zeros(1, 2, 16, 16)
    x[0, 0, 1:5, 1:5] = 1.0
    x[0, 1, 10:15, 11:15] = 1.0
    assert default_cam_layer(model, (2, 16, 16)) == "1"
    for target, inside, outside in ((0, (slice(1, 5), slice(1, 5)), (slice(9, 16), slice(9, 16))),
                                    (1, (slice(10, 15), slice(11, 15)), (slice(0, 6), slice(0, 6)))):
        cam = grad_cam(model, x, target, "1")[0]
        assert cam[inside].min() > 0.5 * cam.max()
        assert cam[outside].max() == 0


def test_smoothgrad_is_reproducible_and_smoother_than_one_gradient():
    model = small_cnn()
    x = torch.rand(2, 1, 28, 28)
    a = smoothgrad(model, x, 1, samples=8, generator=torch.Generator().manual_seed(5))
    b = smoothgrad(model, x, 1, samples=8, generator=torch.Generator().manual_seed(5))
    assert np.array_equal(a, b)
    plain = gradient_saliency(model, x, 1)
    assert np.array_equal(smoothgrad(model, x, 1, samples=1, sigma=0.0), plain)
    # Averaging noisy copies evens out the speckle: neighbouring pixels differ less.
    def roughness(m):
        return np.abs(np.diff(m, axis=-1)).mean() / m.mean()
    assert roughness(a) < roughness(plain)


def test_progress_can_cancel_smoothgrad_and_the_model_is_restored():
    model = small_cnn().train()
    calls = []

    def progress(done, total):
        calls.append((done, total))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        smoothgrad(model, torch.rand(200, 1, 28, 28), 0, samples=10, progress=progress)
    assert calls == [(1, 10)]
    assert model.training and all(p.requires_grad for p in model.parameters())


def test_bad_input_gets_a_clear_message_and_leaves_no_hooks():
    model = small_cnn().train()
    x = torch.rand(2, 1, 28, 28)
    with pytest.raises(ValueError, match="batch of images"):
        gradient_saliency(model, torch.rand(2, 10), 0)
    with pytest.raises(ValueError, match="class 4 does not exist.*4 classes"):
        gradient_saliency(model, x, 4)
    with pytest.raises(ValueError, match="3 target classes for 2 images"):
        smoothgrad(model, x, torch.tensor([0, 1, 2]), samples=2)
    with pytest.raises(ValueError, match="no layer 'conv9'"):
        grad_cam(model, x, 0, "conv9")
    with pytest.raises(ValueError, match="layer '7' gives \\(24,\\), not feature maps"):
        grad_cam(model, x, 0, "7")
    assert hooks_left(model) == 0
    assert model.training and all(p.requires_grad for p in model.parameters())
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 3))
    with pytest.raises(ValueError, match="Grad-CAM needs a convolutional network"):
        default_cam_layer(mlp, (1, 28, 28))


@pytest.mark.parametrize(("preset", "shape", "layer"), [
    ("shapes_cnn", (1, 28, 28), "relu3"), ("resnet_mini", (1, 28, 28), "b2_relu")])
def test_default_layer_of_the_presets_is_their_last_conv_stage(preset, shape, layer):
    model = build(presets.load_preset(preset).graph)
    assert default_cam_layer(model, shape) == layer
    cam = grad_cam(model, torch.rand(2, *shape), 0, layer)
    assert cam.shape == (2, *shape[1:]) and cam.min() >= 0


def test_explain_gives_probabilities_the_predicted_class_and_all_maps():
    model = small_cnn()
    image = torch.rand(1, 28, 28)
    result = explain(model, image, None, "5", samples=3)
    assert result.target == int(result.probs.argmax()) and abs(result.probs.sum() - 1) < 1e-6
    assert np.allclose(result.gradient, gradient_saliency(model, image[None], result.target)[0])
    assert result.cam.shape == result.smooth.shape == (28, 28)
    no_cam = explain(model, image, 3, None, samples=2)
    assert no_cam.target == 3 and no_cam.cam is None and no_cam.layer is None
    with pytest.raises(ValueError, match="class 4 does not exist"):
        explain(model, image, 4, "5", samples=2)


def test_drawing_colours_are_measured_on_the_data_whichever_way_round_it_is_drawn():
    shapes = load("shapes", n_train=300, n_val=10).x_train
    background, ink = drawing_colours(shapes)
    assert background[0] < 0.05 and ink[0] > 0.95  # white shapes on black
    background, ink = drawing_colours(1 - shapes)
    assert background[0] > 0.95 and ink[0] < 0.05  # the same drawn dark on light
    background, ink = drawing_colours((shapes - 0.1307) / 0.3081)  # standardised like MNIST
    assert abs(background[0] + 0.42) < 0.05 and abs(ink[0] - 2.82) < 0.05
    with pytest.raises(ValueError, match="all one value"):
        drawing_colours(torch.zeros(4, 1, 8, 8))


def test_a_drawing_becomes_an_input_in_the_data_scaling():
    coverage = np.zeros((4, 5), dtype=np.float32)
    coverage[1, 2], coverage[3, 4] = 1.0, 0.5
    x = render_drawing(coverage, np.array([-0.5, 0.0, 1.0]), np.array([2.0, 1.0, 0.0]))
    assert x.shape == (1, 3, 4, 5) and x.dtype == torch.float32
    assert x[0, :, 0, 0].tolist() == [-0.5, 0.0, 1.0]  # background
    assert x[0, :, 1, 2].tolist() == [2.0, 1.0, 0.0]  # full ink
    assert x[0, :, 3, 4].tolist() == [0.75, 0.5, 0.5]  # half covered
