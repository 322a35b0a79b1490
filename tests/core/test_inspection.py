"""eval_mode and captured: the one place lab measurements switch a model to eval mode and hook
its layers, and that hands the model back exactly as it was, also after an error."""

import pytest
import torch
from torch import nn

from app.core.inspection import captured, eval_mode


def model() -> nn.Sequential:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.ReLU(), nn.Linear(4, 2))
    net[3].weight.requires_grad_(False)  # a frozen layer stays frozen
    return net


@pytest.mark.parametrize("training", [True, False])
def test_eval_mode_restores_the_mode_and_gradients_even_after_an_error(training):
    net = model().train(training)
    with pytest.raises(RuntimeError, match="boom"), eval_mode(net, frozen_weights=True):
        assert not net.training and not net[1].training
        assert not any(p.requires_grad for p in net.parameters())
        raise RuntimeError("boom")
    assert net.training is training and net[1].training is training
    assert [p.requires_grad for p in net.parameters()] == [True, True, False, True]
    with eval_mode(net):  # without frozen_weights the gradients are left alone
        assert net[0].weight.requires_grad and not net.training


def test_captured_outputs_and_relu_inputs_without_leftover_hooks():
    net = model()
    x = torch.randn(5, 3)
    with torch.no_grad(), captured(net, ["0", "2"]) as outs:
        net.eval()(x)
    assert torch.equal(outs["2"], torch.relu(outs["0"]))
    with torch.no_grad(), captured(net, ["2"], before_relu=True) as pre:
        net(x)
    assert torch.equal(pre["2"], outs["0"])  # a ReLU's input: what maximisation climbs
    assert all(not m._forward_hooks for m in net.modules())
    with pytest.raises(ValueError, match="no layer 'nope'"), captured(net, ["nope"]):
        pass
    with captured(net, ["nope", "0"], skip_missing=True) as some:
        net(x)
    assert set(some) == {"0"}
    assert all(not m._forward_hooks for m in net.modules())
