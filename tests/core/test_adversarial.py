"""Adversarial examples on a tiny CNN trained on shapes: FGSM raises the loss, PGD raises it
further, perturbations stay within epsilon and images within the data range, epsilon 0 changes
nothing, feature maps change more as epsilon grows, and adversarial training buys robustness
that plain fine-tuning for the same epochs does not."""

import numpy as np
import pytest
import torch

from app.core import adversarial as adv
from app.core.builder import build
from app.core.datasets import load
from app.core.probes import choose_probe_layers
from app.core.shapes import infer
from app.core.trainer import TrainConfig, Trainer
from tests.core.graphs import chain

pytestmark = pytest.mark.usefixtures("one_torch_thread")

CONFIG = TrainConfig(epochs=4, batch_size=32, lr=3e-3, seed=1)


def tiny_cnn():
    return chain(("conv1", "Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1}),
                 ("relu1", "ReLU", {}), ("pool1", "MaxPool2d", {"kernel_size": 2}),
                 ("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
                 ("relu2", "ReLU", {}), ("pool2", "MaxPool2d", {"kernel_size": 2}),
                 ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 8}))


@pytest.fixture(scope="module")
def trained():
    """The tiny CNN after 4 epochs on 1024 shapes (about 2 s; measured val acc 0.90)."""
    torch.set_num_threads(1)  # the module fixture runs before the function-scoped one
    graph = tiny_cnn()
    data = load("shapes", n_train=1024, n_val=256)
    model = build(graph, seed=1)
    summary = Trainer(model, data, CONFIG).fit()
    assert summary.status == "completed" and summary.val_acc > 0.8
    return model, data, choose_probe_layers(graph, infer(graph))


def test_fgsm_raises_the_loss_and_pgd_raises_it_at_least_as_much(trained):
    model, data, _layers = trained
    x, y = data.x_val[:128], data.y_val[:128]
    bounds = adv.data_range(data.x_train)
    clean = adv.losses(model, x, y).mean()
    # Measured mean loss clean 0.33; FGSM 0.44 / 0.67 / 1.70, PGD 0.44 / 0.77 / 2.68.
    for epsilon, factor in ((0.02, 1.2), (0.05, 1.8), (0.1, 4.0)):
        fgsm_loss = adv.losses(model, adv.fgsm(model, x, y, epsilon, bounds), y).mean()
        pgd_loss = adv.losses(model, adv.pgd(model, x, y, epsilon, bounds), y).mean()
        assert fgsm_loss > factor * clean
        assert pgd_loss >= fgsm_loss


def test_perturbation_stays_within_epsilon_and_images_within_range(trained):
    model, data, _layers = trained
    x, y = data.x_val[:64], data.y_val[:64]
    # A range that is not [0, 1]: the attack must respect the data, whatever it is.
    shifted = 2.0 * x - 0.5
    lo, hi = adv.data_range(shifted)
    assert (lo, hi) == (float(shifted.min()), float(shifted.max()))
    for method in adv.METHODS:
        for epsilon in (0.05, 0.3):
            attacked = adv.attack(model, shifted, y, epsilon, (lo, hi), method, steps=5)
            assert (attacked - shifted).abs().max() <= epsilon + 1e-6
            assert attacked.min() >= lo and attacked.max() <= hi
    fgsm = adv.fgsm(model, x, y, 0.05, (0.0, 1.0))
    inside = (x > 0.05) & (x < 0.95)  # no clamping here: FGSM moves by exactly epsilon
    assert torch.allclose((fgsm - x)[inside].abs(), torch.tensor(0.05), atol=1e-6)


def test_epsilon_zero_changes_nothing(trained):
    model, data, layers = trained
    x, y = data.x_val[:32], data.y_val[:32]
    for method in adv.METHODS:
        assert torch.equal(adv.attack(model, x, y, 0.0, (0.0, 1.0), method), x)
    one = adv.attack_one(model, data.x_val[0], int(data.y_val[0]), 0.0, (0.0, 1.0),
                         "pgd", layers=layers)
    assert not one.perturbation.any() and one.loss_adversarial == one.loss_original
    assert np.array_equal(one.top_original[0], one.top_adversarial[0])
    assert np.all(one.feature_change == 0)


def test_single_attack_reports_top3_with_softmax_confidence(trained):
    model, data, layers = trained
    one = adv.attack_one(model, data.x_val[3], int(data.y_val[3]), 0.15, (0.0, 1.0), "fgsm",
                         layers=layers)
    classes, probs = one.top_original
    assert classes.shape == probs.shape == (3,) and len(set(classes.tolist())) == 3
    assert np.all(np.diff(probs) <= 0) and 0 < probs.sum() <= 1 + 1e-6
    with torch.no_grad():
        full = torch.softmax(model(data.x_val[3:4]), 1)[0].numpy()
    assert np.allclose(probs, np.sort(full)[::-1][:3], atol=1e-6)
    assert one.loss_adversarial > one.loss_original
    assert one.feature_change.shape == (len(layers),) and np.all(one.feature_change > 0)


def test_curve_accuracy_falls_and_feature_change_grows_with_epsilon(trained):
    model, data, layers = trained
    epsilons = [0.0, 0.02, 0.05, 0.1, 0.2]
    seen, batches = [], []
    curve = adv.robustness_curve(model, data.x_val, data.y_val, epsilons, (0.0, 1.0),
                                 layers=layers, batch_size=100,
                                 progress=lambda done, total: batches.append((done, total)),
                                 on_point=lambda i, eps, acc: seen.append((i, eps, acc)))
    assert [i for i, _eps, _acc in seen] == list(range(5))
    assert batches[-1] == (15, 15) and curve.n_images == 256
    # Measured: accuracy 0.90 -> 0.86 -> 0.81 -> 0.46 -> 0.01 (FGSM).
    assert curve.accuracy[0] > 0.8 and curve.accuracy[-1] < 0.2
    assert np.all(np.diff(curve.accuracy) <= 0)
    assert curve.change.shape == (len(layers), 5) and np.all(curve.change[:, 0] == 0)
    assert np.all(np.diff(curve.change, axis=1) > 0)

    def cancel(done, total):
        if done == 2:
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError, match="cancelled"):
        adv.robustness_curve(model, data.x_val, data.y_val, epsilons, (0.0, 1.0),
                             batch_size=100, progress=cancel)


def test_adversarial_training_raises_accuracy_at_a_moderate_epsilon(trained):
    model, data, _layers = trained
    before = {k: v.clone() for k, v in model.state_dict().items()}
    epsilons = [0.0, 0.1]
    plain = adv.robustness_curve(model, data.x_val, data.y_val, epsilons, (0.0, 1.0))
    robust = adv.adversarial_training(model, data, CONFIG, 0.1, epochs=2)
    # The control: the same loop with epsilon 0 is ordinary fine-tuning for as long.
    tuned = adv.adversarial_training(model, data, CONFIG, 0.0, epochs=2)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    robust_curve = adv.robustness_curve(robust.model, data.x_val, data.y_val, epsilons,
                                        (0.0, 1.0))
    tuned_curve = adv.robustness_curve(tuned.model, data.x_val, data.y_val, epsilons,
                                       (0.0, 1.0))
    # Measured at epsilon 0.1: plain 0.46, robust 0.76, fine-tuned without attacks 0.17;
    # clean: plain 0.90, robust 0.94, fine-tuned 0.95.
    assert robust_curve.accuracy[1] > plain.accuracy[1] + 0.2
    assert robust_curve.accuracy[1] > tuned_curve.accuracy[1] + 0.1
    assert robust_curve.accuracy[0] > plain.accuracy[0] - 0.05  # clean accuracy is kept


def test_pgd_training_resists_pgd(trained):
    model, data, _layers = trained
    robust = adv.adversarial_training(model, data, CONFIG, 0.1, method="pgd", steps=3,
                                      epochs=1, max_train=512)
    assert robust.method == "pgd" and len(robust.epoch_losses) == 1
    plain, hardened = (adv.robustness_curve(m, data.x_val, data.y_val, [0.1], (0.0, 1.0),
                                            method="pgd").accuracy[0]
                       for m in (model, robust.model))
    assert hardened > plain + 0.3  # measured: PGD accuracy at ε 0.1 from 0.20 to 0.68


def test_bad_input_gets_a_clear_message(trained):
    model, data, _layers = trained
    x, y = data.x_val[:4], data.y_val[:4]
    with pytest.raises(ValueError, match="epsilon must be zero or positive"):
        adv.fgsm(model, x, y, -0.1, (0.0, 1.0))
    with pytest.raises(ValueError, match="unknown attack 'cw'"):
        adv.attack(model, x, y, 0.1, (0.0, 1.0), "cw")
    with pytest.raises(ValueError, match="image inputs"):
        adv.check_attackable(torch.zeros(4, 2))
    with pytest.raises(ValueError, match="classification task"):
        adv.check_attackable(x, "regression")
    with pytest.raises(ValueError, match="looks constant"):
        adv.data_range(torch.ones(3, 1, 4, 4))
