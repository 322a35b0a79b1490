"""A built-in translation task: English number words to German number words (1-999).

German says the units before the tens ("twenty one" -> "ein und zwanzig"), so a model cannot
copy word by word: it must read the whole phrase, remember it, and write it out in another
order. That is what a sequence-to-sequence LSTM is for, and the set is small enough to train
on a 2-core CPU in minutes. The numbers are split once per seed into training phrases and
held-out phrases the model never sees (the validation split), so validation accuracy measures
whether the model learned the rule rather than the table.

Tokens are word ids; index 0 is ``<pad>`` in both vocabularies. The target ends with
``<end>`` (which the loss counts, so the model learns where a phrase stops); padding after it
is ignored by the loss.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

PAD, END = "<pad>", "<end>"

_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_DE_UNITS = ("eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_DE_TEENS = ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn",
             "siebzehn", "achtzehn", "neunzehn")
_DE_TENS = ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
            "neunzig")

SOURCE_VOCAB: tuple[str, ...] = (PAD, *_EN_UNITS, *_EN_TEENS, *_EN_TENS, "hundred")
TARGET_VOCAB: tuple[str, ...] = (PAD, END, *_DE_UNITS, "ein", *_DE_TEENS, *_DE_TENS, "und",
                                 "hundert")

NUMBERS = range(1, 1000)
SOURCE_LEN = 4  # "seven hundred seventy seven"
TARGET_LEN = 6  # "sieben hundert sieben und siebzig <end>"


def english(n: int) -> str:
    """'342' -> 'three hundred forty two' (no 'and', as in American English)."""
    hundreds, rest = divmod(n, 100)
    words = [_EN_UNITS[hundreds - 1], "hundred"] if hundreds else []
    if 10 <= rest < 20:
        words.append(_EN_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_EN_TENS[tens - 2])
        if units:
            words.append(_EN_UNITS[units - 1])
    return " ".join(words)


def german(n: int) -> str:
    """'342' -> 'drei hundert zwei und vierzig': units before tens, 'ein' inside compounds."""
    hundreds, rest = divmod(n, 100)
    words = ["ein" if hundreds == 1 else _DE_UNITS[hundreds - 1], "hundert"] if hundreds else []
    if 10 <= rest < 20:
        words.append(_DE_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens and units:
            words += ["ein" if units == 1 else _DE_UNITS[units - 1], "und", _DE_TENS[tens - 2]]
        elif tens:
            words.append(_DE_TENS[tens - 2])
        elif units:
            words.append(_DE_UNITS[units - 1])
    return " ".join(words)


PAIRS: tuple[tuple[str, str], ...] = tuple((english(n), german(n)) for n in NUMBERS)

_SOURCE_INDEX = {word: i for i, word in enumerate(SOURCE_VOCAB)}
_TARGET_INDEX = {word: i for i, word in enumerate(TARGET_VOCAB)}
_PAD_ID, _END_ID = 0, _TARGET_INDEX[END]


def encode_source(phrase: str) -> list[int]:
    """Word ids of an English phrase, padded with <pad> (0) at the end to SOURCE_LEN.

    Raises ValueError naming the unknown words (with some known ones) or a too-long phrase.
    """
    words = phrase.lower().replace("-", " ").split()
    if not words:
        raise ValueError("empty phrase: type English number words, e.g. 'twenty one'")
    unknown = [w for w in words if w not in _SOURCE_INDEX or w == PAD]
    if unknown:
        examples = ", ".join(SOURCE_VOCAB[i] for i in (1, 2, 12, 20, 21, len(SOURCE_VOCAB) - 1))
        raise ValueError(f"unknown word{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(w) for w in unknown)}: the model knows only English "
                         f"number words from one to nine hundred ninety nine, such as {examples}")
    if len(words) > SOURCE_LEN:
        raise ValueError(f"'{phrase}' has {len(words)} words; at most {SOURCE_LEN} fit "
                         f"(e.g. 'seven hundred seventy seven')")
    return [_SOURCE_INDEX[w] for w in words] + [_PAD_ID] * (SOURCE_LEN - len(words))


def encode_target(phrase: str) -> list[int]:
    """Word ids of a German phrase followed by <end>, padded to TARGET_LEN."""
    ids = [_TARGET_INDEX[w] for w in phrase.split()] + [_END_ID]
    return ids + [_PAD_ID] * (TARGET_LEN - len(ids))


def decode_target(ids: Sequence[int] | torch.Tensor) -> str:
    """German words for target ids, stopping at the first <pad> or <end>."""
    words = []
    for i in (ids.tolist() if isinstance(ids, torch.Tensor) else ids):
        if int(i) in (_PAD_ID, _END_ID):
            break
        words.append(TARGET_VOCAB[int(i)])
    return " ".join(words)


def decode_source(ids: Sequence[int] | torch.Tensor) -> str:
    """English words for source ids, skipping padding."""
    return " ".join(SOURCE_VOCAB[int(i)] for i in
                    (ids.tolist() if isinstance(ids, torch.Tensor) else ids) if int(i) != _PAD_ID)


def split(n_val: int, seed: int) -> tuple[list[int], list[int]]:
    """Indices into PAIRS: (training phrases, held-out phrases), disjoint, fixed by the seed."""
    if not 1 <= n_val < len(PAIRS):
        raise ValueError(f"n_val must be between 1 and {len(PAIRS) - 1} held-out phrases "
                         f"(there are {len(PAIRS)} numbers); got {n_val}")
    order = torch.randperm(len(PAIRS), generator=torch.Generator().manual_seed(seed)).tolist()
    return order[n_val:], order[:n_val]


_SOURCE_IDS = torch.tensor([encode_source(src) for src, _ in PAIRS])
_TARGET_IDS = torch.tensor([encode_target(tgt) for _, tgt in PAIRS])


def tensors(n_train: int, n_val: int, seed: int
            ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_train, y_train, x_val, y_val) as long token ids (N, SOURCE_LEN) / (N, TARGET_LEN).

    `n_val` phrases are held out; the `n_train` training rows are drawn from the rest in a
    seeded order, repeating phrases when more rows than training phrases are asked for.
    """
    train, held_out = split(n_val, seed)
    if n_train < 1:
        raise ValueError(f"n_train must be at least 1 (got {n_train})")
    gen = torch.Generator().manual_seed(seed + 1)
    rounds = [torch.tensor(train)[torch.randperm(len(train), generator=gen)]
              for _ in range(-(-n_train // len(train)))]
    rows = torch.cat(rounds)[:n_train]
    val = torch.tensor(held_out)
    return _SOURCE_IDS[rows], _TARGET_IDS[rows], _SOURCE_IDS[val], _TARGET_IDS[val]


def preview(x: torch.Tensor, y: torch.Tensor, n: int = 3) -> str:
    """A one-line glimpse of the first `n` pairs: 'twenty one → ein und zwanzig · …'."""
    pairs = [f"{decode_source(src)} → {decode_target(tgt)}" for src, tgt in zip(x[:n], y[:n],
                                                                                  strict=True)]
    return " · ".join(pairs)
