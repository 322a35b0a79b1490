"""A network trained on the translation task used as a translator: its words for phrases, its
held-out scores, and the measurement a run takes at each snapshot for the Translation view.

Kept apart from `app.core.translation` (the phrase data, which the dataset loader imports) so
that the data does not depend on the trainer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch
from torch import nn

from app.core import translation
from app.core.trainer import accuracy_counts


@torch.no_grad()
def predict_ids(model: nn.Module, x: np.ndarray | torch.Tensor) -> np.ndarray:
    """The model's word ids (N, TARGET_LEN) for source ids x (N, SOURCE_LEN): the best-scoring
    word at every step, in evaluation mode (the model's mode is restored)."""
    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    x = torch.as_tensor(np.asarray(x), dtype=torch.long, device=device)
    was_training = model.training
    model.eval()
    try:
        out = model(x)
    finally:
        model.train(was_training)
    if out.dim() != 3:
        raise ValueError(f"the network gives {tuple(out.shape[1:])} values per phrase, not one "
                         "score per word and step: use the translation preset (decoder LSTM "
                         "and a per-step Linear)")
    return out.argmax(-1).cpu().numpy()


def scores(predicted: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(token accuracy over non-padding words, exact match over whole phrases): the numbers
    the trainer reports for the validation set."""
    correct, counted, exact = accuracy_counts(torch.as_tensor(predicted),
                                              torch.as_tensor(y)).tolist()
    return correct / max(counted, 1.0), exact / max(len(y), 1)


def translate(model: nn.Module, phrase: str) -> str:
    """German words for an English phrase (ValueError for words the task does not know)."""
    ids = predict_ids(model, np.array([translation.encode_source(phrase)]))
    return translation.decode_target(ids[0])


@dataclass(frozen=True)
class Translations:
    """What the model says for the held-out phrases (and a typed one) at one moment."""

    x: np.ndarray  # (N, SOURCE_LEN) source ids of the held-out phrases
    y: np.ndarray  # (N, TARGET_LEN) reference ids
    predicted: np.ndarray  # (N, TARGET_LEN) the model's ids
    token_acc: float
    exact: float
    typed: str = ""  # a phrase the learner typed, and the model's German for it
    typed_answer: str = ""

    @cached_property
    def rows(self) -> list[tuple[str, str, str, bool]]:
        """(English, model, reference, right) per held-out phrase, in validation order
        (decoded once: views redraw from it several times a second)."""
        out = []
        for src, ref, said in zip(self.x, self.y, self.predicted, strict=True):
            model, reference = translation.decode_target(said), translation.decode_target(ref)
            out.append((translation.decode_source(src), model, reference, model == reference))
        return out


def measure(model: nn.Module, x: np.ndarray, y: np.ndarray, typed: str = "") -> Translations:
    """The model's translations of the held-out phrases x (references y) and of `typed`."""
    predicted = predict_ids(model, x)
    token_acc, exact = scores(predicted, y)
    answer = translate(model, typed) if typed else ""
    return Translations(x, y, predicted, token_acc, exact, typed, answer)


class LiveTranslation:
    """A snapshot measurement (`probes.Extra`) for the Translation view: the training model's
    translations of the held-out phrases. Translating the 200 held-out phrases takes about
    2 ms on a CPU core, so at the display rate (2 per second) the run slows by under half a
    per cent. The view may set the typed phrase from the GUI thread with `type_phrase`."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x, self.y = np.asarray(x), np.asarray(y)
        self._lock = threading.Lock()
        self._typed = ""

    def type_phrase(self, phrase: str) -> None:
        """Translate `phrase` too from the next snapshot on ("" for none); it must encode."""
        if phrase:
            translation.encode_source(phrase)  # refuse unknown words here, not in the run
        with self._lock:
            self._typed = phrase

    def __call__(self, model: nn.Module) -> Translations:
        with self._lock:
            typed = self._typed
        return measure(model, self.x, self.y, typed)
