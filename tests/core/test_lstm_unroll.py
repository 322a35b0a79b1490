"""The unrolled LSTM is nn.LSTM: same outputs and final (h, c) to 1e-5 for any layer count and
size, gates within (0, 1); a built network's LSTM nodes are traced with the input they really
get; the live measurement keeps to its time budget; bad layers get a clear message."""

from time import perf_counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from app.core import presets
from app.core.builder import build
from app.core.datasets import load
from app.core.lstm_unroll import LiveTrace, lstm_nodes, trace_model, unroll_lstm
from app.core.trainer import Callback, TrainConfig, Trainer
from tests.core.graphs import chain

pytestmark = pytest.mark.usefixtures("one_torch_thread")
TOL = 1e-5


def _assert_matches(lstm: nn.LSTM, x: torch.Tensor, hx=None) -> None:
    with torch.no_grad():
        out, (h_n, c_n) = lstm(x, hx)
    unrolled = unroll_lstm(lstm, x, hx)
    mine = unrolled.output if lstm.batch_first or x.dim() == 2 else unrolled.output.transpose(0, 1)
    if x.dim() == 2:
        mine = mine[0]
        h_n, c_n = h_n.unsqueeze(1), c_n.unsqueeze(1)
    torch.testing.assert_close(mine, out, atol=TOL, rtol=0)
    torch.testing.assert_close(unrolled.final[0], h_n, atol=TOL, rtol=0)
    torch.testing.assert_close(unrolled.final[1], c_n, atol=TOL, rtol=0)
    # Closed bounds: float32 sigmoid and tanh round to exactly 0, 1 or -1 when saturated.
    for gate in (unrolled.i, unrolled.f, unrolled.o):
        assert gate.min() >= 0 and gate.max() <= 1
    assert unrolled.g.abs().max() <= 1
    assert (unrolled.h.abs() <= 1).all()  # h = o * tanh(c)


@settings(max_examples=30, deadline=None)
@given(layers=st.integers(1, 3), features=st.integers(1, 6), hidden=st.integers(1, 12),
       batch=st.integers(1, 3), steps=st.integers(1, 9), batch_first=st.booleans(),
       bias=st.booleans(), with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_unrolled_lstm_reproduces_nn_lstm(layers, features, hidden, batch, steps, batch_first,
                                          bias, with_state, seed):
    torch.manual_seed(seed)
    lstm = nn.LSTM(features, hidden, num_layers=layers, batch_first=batch_first, bias=bias)
    x = 2 * torch.randn(batch, steps, features) if batch_first else \
        2 * torch.randn(steps, batch, features)
    hx = (torch.randn(layers, batch, hidden), torch.randn(layers, batch, hidden)) \
        if with_state else None
    _assert_matches(lstm, x, hx)


def test_unbatched_input_and_gate_order_by_hand():
    torch.manual_seed(3)
    lstm = nn.LSTM(2, 3, num_layers=2)
    _assert_matches(lstm, torch.randn(5, 2))
    # One step from zero state by hand: PyTorch's chunks are i, f, g, o.
    one = nn.LSTM(1, 1)
    with torch.no_grad():
        one.weight_ih_l0.copy_(torch.tensor([[1.0], [2.0], [3.0], [4.0]]))
        one.weight_hh_l0.zero_()
        one.bias_ih_l0.zero_()
        one.bias_hh_l0.zero_()
    u = unroll_lstm(one, torch.ones(1, 1, 1))
    s = torch.sigmoid
    assert u.i.item() == pytest.approx(s(torch.tensor(1.0)).item())
    assert u.f.item() == pytest.approx(s(torch.tensor(2.0)).item())
    assert u.g.item() == pytest.approx(torch.tanh(torch.tensor(3.0)).item())
    assert u.o.item() == pytest.approx(s(torch.tensor(4.0)).item())
    assert u.c.item() == pytest.approx(u.i.item() * u.g.item())  # f * c0 = 0


def test_unsupported_layers_are_named():
    with pytest.raises(ValueError, match="bidirectional"):
        unroll_lstm(nn.LSTM(2, 3, bidirectional=True), torch.zeros(1, 4, 2))
    with pytest.raises(ValueError, match="proj_size"):
        unroll_lstm(nn.LSTM(2, 3, proj_size=2), torch.zeros(1, 4, 2))
    with pytest.raises(ValueError, match="choose an LSTM node"):
        unroll_lstm(nn.GRU(2, 3), torch.zeros(1, 4, 2))
    with pytest.raises(ValueError, match="expects 2 features"):
        unroll_lstm(nn.LSTM(2, 3, batch_first=True), torch.zeros(1, 4, 5))


def _stacked_graph():
    """Two LSTM nodes in a row (the second with 2 layers), then a per-step head."""
    return chain(("enc", "LSTM", {"hidden_size": 6, "output": "sequence"}),
                 ("dec", "LSTM", {"hidden_size": 5, "num_layers": 2, "output": "last"}),
                 ("fc", "Linear", {"out_features": 3}), input_shape=(20, 1))


def test_trace_model_follows_every_lstm_node_of_a_network():
    model = build(_stacked_graph(), seed=2)
    assert list(lstm_nodes(model)) == ["enc", "dec"]
    x = torch.randn(20, 1)
    trace = trace_model(model, x.numpy(), label="wave")
    assert trace.label == "wave" and set(trace.traces) == {"enc", "dec"}
    enc, dec = trace.traces["enc"], trace.traces["dec"]
    assert enc.h.shape == (1, 20, 6) and dec.c.shape == (2, 20, 5)
    with torch.no_grad():
        seq, _ = model.get_submodule("enc").rnn(x[None])
        expected = model(x[None])[0]
    np.testing.assert_allclose(enc.h[0], seq[0].numpy(), atol=TOL)
    np.testing.assert_array_equal(enc.x, x.numpy())
    np.testing.assert_allclose(dec.x, enc.h[0], atol=TOL)  # the decoder reads the encoder
    np.testing.assert_allclose(trace.output, expected.numpy(), atol=TOL)
    # the head reads the decoder's last h: recompute the logits from the traced state
    fc = model.get_submodule("fc")
    with torch.no_grad():
        logits = fc(torch.from_numpy(dec.h[-1, -1]))
    np.testing.assert_allclose(logits.numpy(), trace.output, atol=TOL)
    assert model.training  # the mode is restored
    only = trace_model(model, x, ["dec"])
    assert set(only.traces) == {"dec"}
    with pytest.raises(ValueError, match="'fc' is not an LSTM"):
        trace_model(model, x, ["fc"])
    mlp = build(chain(("fc", "Linear", {"out_features": 2}), input_shape=(4,)))
    with pytest.raises(ValueError, match="no LSTM layer"):
        trace_model(mlp, torch.zeros(4))


def test_token_inputs_reach_an_embedding_as_integers():
    graph = chain(("emb", "Embedding", {"num_embeddings": 10, "embedding_dim": 4}),
                  ("lstm", "LSTM", {"hidden_size": 3, "output": "last"}),
                  input_shape=(7,), dtype="long")
    model = build(graph, seed=0)
    trace = trace_model(model, np.array([1, 2, 3, 0, 0, 9, 4]))
    assert trace.traces["lstm"].h.shape == (1, 7, 3) and trace.output.shape == (3,)


def test_live_trace_on_the_training_preset_stays_within_its_budget():
    graph = presets.load_preset("lstm_sequence").graph
    data = load("sequence", n_train=1024, n_val=32)
    live = LiveTrace(budget=0.03)
    assert live(build(graph)) is None  # nothing chosen yet
    live.choose(data.x_val[0].numpy(), "validation sample 1")
    seen, costs = [], []

    class Measure(Callback):
        """Asks for a measurement after every batch, far more often than snapshots do."""

        def on_batch_end(self, trainer, step, epoch, batch, batches_per_epoch):
            start = perf_counter()
            seen.append(live(trainer.model))
            if seen[-1] is not None:
                costs.append(perf_counter() - start)

    trainer = Trainer(build(graph), data, TrainConfig(epochs=3, batch_size=32, seed=0),
                      callbacks=[Measure()])
    start = perf_counter()
    summary = trainer.fit()
    assert summary.status == "completed", summary.message
    elapsed = perf_counter() - start
    done = [t for t in seen if t is not None]
    assert done and live.skipped > 0 and len(done) + live.skipped == len(seen)
    # The first two measurements are free; then about 3 % of the time went to measuring (twice
    # that, plus one measurement, is allowed: on a busy 2-core machine a measurement can take
    # longer than the one before, which the estimate is based on).
    assert sum(costs[2:]) <= 0.06 * elapsed + max(costs)
    assert done[-1].label == "validation sample 1"
    trace = done[-1].traces["lstm"]
    assert trace.h.shape == (1, 20, 32) and np.isfinite(trace.h).all()
    assert trace.i.min() > 0 and trace.f.max() < 1


def test_live_trace_skips_what_the_budget_does_not_allow():
    """With a clock that moves 10 ms at each reading (so a measurement costs 10 ms) and a 5 %
    budget, a measurement needs 200 ms since the previous one (the first is always taken)."""
    now = [0.0]

    def clock() -> float:
        now[0] += 0.01
        return now[0]

    live = LiveTrace(budget=0.05, clock=clock)
    model = build(_stacked_graph(), seed=0)
    live.choose(np.zeros((20, 1), dtype=np.float32), "zeros")
    taken = []
    for gap in (0.0, 0.0, 0.05, 0.05, 0.05, 0.05, 0.0, 0.3):  # since the last call
        now[0] += gap
        taken.append(live(model) is not None)
    # The first (warm-up) measurement sets no estimate, so the second is taken at once; then
    # 60, 120 and 180 ms after it: skipped; 240 ms: taken, and so on.
    assert taken == [True, True, False, False, False, True, False, True]
    assert live.skipped == 4 and live.measured == 4 and live.seconds == pytest.approx(0.04)
    live.choose(None)
    now[0] += 10
    assert live(model) is None and live.skipped == 4
    with pytest.raises(ValueError, match=r"shape \(20, 1\), but 'words' has shape \(4,\)"):
        live.choose(np.zeros(4, dtype=np.int64), "words")
