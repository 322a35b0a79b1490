"""The loss landscape: surfaces, filter-normalised directions, projections and the race."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.core import landscape
from app.core.builder import build
from app.core.datasets import load
from app.core.project_io import DataConfig
from app.core.weights import RunInfo, Trained, graph_fingerprint, state_of
from tests.core.graphs import chain


def tiny_cnn() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 6 * 6, 3))


def cnn_batch() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.randn(32, 1, 8, 8, generator=g), torch.randint(0, 3, (32,), generator=g)


def test_directions_are_filter_normalised_and_zero_for_biases_and_batchnorm():
    model = tiny_cnn()
    d1, d2 = landscape.directions(model, seed=3)
    for d in (d1, d2):
        for p, r in zip(landscape.parameters_of(model), d, strict=True):
            assert r.shape == p.shape
            if p.dim() <= 1:  # conv/linear bias, BatchNorm weight and bias
                assert torch.count_nonzero(r) == 0
            else:
                w_norms = p.detach().reshape(p.shape[0], -1).norm(dim=1)
                r_norms = r.reshape(r.shape[0], -1).norm(dim=1)
                torch.testing.assert_close(r_norms, w_norms)
    assert not torch.equal(d1[0], d2[0])  # two different directions
    again = landscape.directions(model, seed=3)
    assert all(torch.equal(a, b) for a, b in zip(d1, again[0], strict=True))  # seeded


def test_two_weight_network_uses_its_own_weights_as_directions():
    model = nn.Linear(2, 1, bias=False)
    d1, d2 = landscape.directions(model, seed=5)
    torch.testing.assert_close(d1[0], torch.tensor([[1.0, 0.0]]))
    torch.testing.assert_close(d2[0], torch.tensor([[0.0, 1.0]]))
    # Coordinates on that plane are the weights' own changes.
    origin = [model.weight.detach().clone()]
    moved = [origin[0] + torch.tensor([[0.25, -0.5]])]
    np.testing.assert_allclose(landscape.project(moved, origin, d1, d2), [0.25, -0.5],
                               atol=1e-6)


def test_surface_centre_is_the_current_loss_and_weights_are_restored_exactly():
    model = tiny_cnn()
    model.train()
    x, y = cnn_batch()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    d1, d2 = landscape.directions(model, seed=0)
    axis = np.linspace(-1, 1, 5)
    calls = []
    surface = landscape.loss_surface(model, F.cross_entropy, x, y, d1, d2, axis, axis,
                                     progress=lambda done, total: calls.append((done, total)))
    assert surface.shape == (5, 5)
    assert np.isfinite(surface).all()
    model.eval()
    with torch.no_grad():
        current = float(F.cross_entropy(model(x), y))
    assert surface[2, 2] == pytest.approx(current, abs=1e-5)
    assert surface.max() > surface[2, 2] + 1e-3  # the cut is not flat
    assert calls[-1] == (5, 5)
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key  # bit for bit, BatchNorm buffers too


def test_cancelled_surface_still_restores_the_weights():
    model = tiny_cnn()
    x, y = cnn_batch()
    before = [p.detach().clone() for p in model.parameters()]
    d1, d2 = landscape.directions(model, seed=0)

    def cancel(done, total):
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        landscape.loss_surface(model, F.cross_entropy, x, y, d1, d2, np.zeros(3), np.zeros(3),
                               cancel)
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))


def test_project_recovers_plane_coordinates():
    model = tiny_cnn()
    d1, d2 = landscape.directions(model, seed=1)
    origin = [p.detach().clone() for p in model.parameters()]
    point = [o + 0.3 * a - 0.7 * b for o, a, b in zip(origin, d1, d2, strict=True)]
    np.testing.assert_allclose(landscape.project(point, origin, d1, d2), [0.3, -0.7], atol=1e-5)


def test_recorded_path_matches_projection_onto_the_final_plane():
    """PathRecorder's few numbers give the same coordinates as `project` onto the plane
    normalised to the final weights, which are only known after training."""
    model = tiny_cnn()
    x, y = cnn_batch()
    recorder = landscape.PathRecorder(seed=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    weights, recorded = [], []
    for _ in range(4):
        weights.append([p.detach().clone() for p in model.parameters()])
        recorded.append(recorder(model))
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    d1, d2 = landscape.directions(model, seed=4)
    origin = [p.detach().clone() for p in model.parameters()]
    coords = landscape.path_coordinates(recorded, recorder(model))
    expected = np.array([landscape.project(w, origin, d1, d2) for w in weights])
    np.testing.assert_allclose(coords, expected, rtol=1e-6, atol=1e-8)
    assert np.abs(coords[0]).max() > 1e-4  # the path really moved


def linear_regression() -> tuple[callable, tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(2)
    x = torch.randn(128, 2, generator=g) * 3
    y = x @ torch.tensor([[1.5], [-2.0]])

    def factory() -> nn.Module:
        torch.manual_seed(7)
        return nn.Linear(2, 1, bias=False)
    return factory, (x, y)


def test_race_starts_every_optimizer_from_the_same_weights():
    factory, data = linear_regression()
    model = factory()
    origin = [p.detach().clone() for p in model.parameters()]
    d1, d2 = landscape.directions(model, seed=0)
    start = landscape.project(origin, origin, d1, d2)
    lanes = landscape.optimizer_race(factory, data, F.mse_loss, list(landscape.RACE_OPTIMIZERS),
                                     lr=0.01, steps=20, plane=(origin, d1, d2))
    assert list(lanes) == ["SGD", "SGD + momentum", "Adam"]
    for lane in lanes.values():
        np.testing.assert_allclose(lane.path[0], start, atol=1e-7)
        assert lane.losses[0] == lanes["SGD"].losses[0]
        assert lane.path.shape == (21, 2) and not lane.diverged
    assert not np.allclose(lanes["SGD"].path[-1], lanes["Adam"].path[-1])  # different routes


def test_too_large_sgd_rate_diverges_while_a_small_one_descends():
    factory, data = linear_regression()
    model = factory()
    origin = [p.detach().clone() for p in model.parameters()]
    plane = (origin, *landscape.directions(model, seed=0))
    small = landscape.optimizer_race(factory, data, F.mse_loss, ["SGD"], 0.01, 30, plane)["SGD"]
    large = landscape.optimizer_race(factory, data, F.mse_loss, ["SGD"], 1.0, 30, plane)["SGD"]
    assert small.losses[-1] < 0.1 * small.losses[0]
    assert np.all(np.diff(small.losses) <= 1e-9)
    assert large.diverged or large.losses[-1] > 100 * large.losses[0]
    assert large.losses.max() > 100 * large.losses[0]


def test_race_rejects_bad_settings():
    factory, data = linear_regression()
    model = factory()
    origin = [p.detach().clone() for p in model.parameters()]
    plane = (origin, *landscape.directions(model, seed=0))
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        landscape.optimizer_race(factory, data, F.mse_loss, ["rmsprop"], 0.1, 3, plane)
    with pytest.raises(ValueError, match="learning rate"):
        landscape.optimizer_race(factory, data, F.mse_loss, ["SGD"], 0.0, 3, plane)


def test_run_surface_centres_on_the_trained_weights_of_a_graph():
    graph = chain(("fc1", "Linear", {"out_features": 8}), ("act", "Tanh", {}),
                  ("fc2", "Linear", {"out_features": 2}), input_shape=(2,))
    trained_model = build(graph, seed=1)  # stands in for weights after training
    trained = Trained(state_of(trained_model), RunInfo(1, None, 1, 10, "xor"),
                      graph_fingerprint(graph))
    plane = landscape.run_plane(graph, DataConfig("xor", n_train=300, n_val=50), trained, 0)
    assert len(plane.x) == landscape.EVAL_SAMPLES
    surface = landscape.run_surface(plane, [], grid=5)
    assert surface.loss.shape == (5, 5) and surface.path.shape == (0, 2)
    assert surface.loss[2, 2] == pytest.approx(surface.loss_here, abs=1e-5)
    assert np.abs(surface.start).max() <= surface.alphas[-1]  # the run's start is on the grid
    x = load("xor", n_train=300, n_val=50).x_train[:1]
    assert torch.equal(plane.model(x), trained_model(x))  # the plane passes the trained weights


def recorded_xor_run(steps: int = 120, every: int = 10):
    """A real training of a small Tanh MLP on xor with the run's PathRecorder, as the trainer's
    snapshots would record it: (graph, data config, Trained, recorded PathStats)."""
    graph = chain(("fc1", "Linear", {"out_features": 8}), ("act", "Tanh", {}),
                  ("fc2", "Linear", {"out_features": 2}), input_shape=(2,))
    cfg = DataConfig("xor", n_train=300, n_val=50)
    model = build(graph, seed=0)
    data = load("xor", n_train=300, n_val=50)
    recorder = landscape.PathRecorder(seed=0)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    recorded = []
    for step in range(steps + 1):
        if step % every == 0 or step == steps:
            recorded.append(recorder(model))
        if step < steps:
            optimizer.zero_grad()
            F.cross_entropy(model(data.x_train), data.y_train).backward()
            optimizer.step()
    trained = Trained(state_of(model), RunInfo(1, None, 1, steps, "xor"),
                      graph_fingerprint(graph))
    return graph, cfg, trained, recorded


def test_pca_directions_hold_the_run_path():
    """Li et al. §7: the top two principal components of the path's offsets from the final
    weights are orthonormal, the path ends at (0, 0) and starts at the run's start, and the
    plane holds most of the path — far more of it than a random plane does."""
    graph, cfg, trained, recorded = recorded_xor_run()
    assert all(s.flat is not None and s.flat.shape == (42,) for s in recorded)
    plane = landscape.run_plane(graph, cfg, trained, 0, recorded, method="pca")
    assert plane.method == "pca" and plane.note == ""
    axes = plane.pca.axes
    np.testing.assert_allclose(axes @ axes.T, np.eye(2), atol=1e-10)
    assert plane.pca.explained.sum() > 0.9  # measured: 0.995 (0.981 + 0.014) for this run
    assert plane.pca.explained[0] >= plane.pca.explained[1]
    # The tensors the surface is evaluated along are those axes, parameter by parameter.
    flat_d1 = torch.cat([d.reshape(-1) for d in plane.d1]).double().numpy()
    np.testing.assert_allclose(flat_d1, axes[0], atol=1e-6)

    surface = landscape.run_surface(plane, recorded, grid=5)
    assert surface.method == "pca"
    np.testing.assert_allclose(surface.path[-1], [0, 0], atol=1e-9)  # the trained weights
    np.testing.assert_allclose(surface.path[0], surface.start, atol=1e-4)  # the run's start
    assert np.all(surface.path[0] <= 0)  # oriented: the path arrives from the lower left
    assert surface.loss[2, 2] == pytest.approx(surface.loss_here, abs=1e-5)
    assert np.isfinite(surface.loss).all()
    assert np.all(np.abs(surface.path) <= [surface.alphas[-1], surface.betas[-1]])
    np.testing.assert_allclose(surface.place(recorded[:3]), surface.path[:3])

    # How much of the path lies in the plane: the residual of the path's offsets from it.
    offsets = np.stack([s.flat for s in recorded]).astype(np.float64) - plane.pca.origin
    total = (offsets ** 2).sum()
    pca_residual = total - (surface.path ** 2).sum()
    random_plane = landscape.run_plane(graph, cfg, trained, 0, recorded, method="random")
    d = np.stack([torch.cat([t.reshape(-1) for t in ds]).double().numpy()
                  for ds in (random_plane.d1, random_plane.d2)])
    q, _ = np.linalg.qr(d.T)  # an orthonormal basis of the random plane
    random_residual = total - ((offsets @ q) ** 2).sum()
    assert pca_residual < 0.1 * total
    assert pca_residual < 0.25 * random_residual


def test_pca_falls_back_to_random_directions_with_a_reason():
    graph, cfg, trained, recorded = recorded_xor_run(steps=20)
    plane = landscape.run_plane(graph, cfg, trained, 0, [], method="pca")
    assert plane.method == "random" and "trained in this session" in plane.note
    big = [replace(s, flat=None) for s in recorded]  # what a large network records
    plane = landscape.run_plane(graph, cfg, trained, 0, big, method="pca")
    assert plane.method == "random" and "150,000 weights" in plane.note
    still = [replace(s, flat=recorded[0].flat) for s in recorded]  # a path that never moved
    plane = landscape.run_plane(graph, cfg, trained, 0, still, method="pca")
    assert plane.method == "random" and "does not span a plane" in plane.note
    with pytest.raises(ValueError, match="unknown directions 'tsne'"):
        landscape.run_plane(graph, cfg, trained, 0, recorded, method="tsne")


def test_recorder_keeps_the_weights_only_for_small_networks():
    model = tiny_cnn()
    weights = sum(p.numel() for p in model.parameters())
    assert landscape.PathRecorder(0, max_weights=weights)(model).flat.shape == (weights,)
    assert landscape.PathRecorder(0, max_weights=weights - 1)(model).flat is None


def test_recorder_keeps_a_bounded_evenly_thinned_set_of_weight_copies():
    """However long the run, at most `max_points` snapshots hold a weight copy; they stay
    spread over the whole run (the first is always kept), and PCA still works from them."""
    model = tiny_cnn()
    recorder = landscape.PathRecorder(0, max_points=8)
    recorded = []
    for _ in range(100):
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.01 * torch.randn_like(p))
        recorded.append(recorder(model))
    kept = [i for i, s in enumerate(recorded) if s.flat is not None]
    assert 4 <= len(kept) <= 8 and kept[0] == 0
    assert kept[-1] >= 100 - recorder.stride  # the recent part of the run is covered too
    gaps = np.diff(kept)
    assert gaps.min() == gaps.max() == recorder.stride  # evenly spaced
    assert landscape.pca_problem(recorded) == ""
    basis = landscape.pca_basis(np.stack([recorded[i].flat for i in kept]),
                                landscape.flat_weights(landscape.parameters_of(model)))
    assert basis.coordinates(recorded).shape == (len(kept), 2)
    with pytest.raises(ValueError, match="at least 3"):
        landscape.PathRecorder(0, max_points=2)
