"""One entry per layer type: typed parameters, ports, a torch factory and an explanation.

Factories receive the node's parameters and the shapes of its inputs (without the batch
dimension), so users never type `in_channels` or `in_features`: they are read off the wire,
as in ENNUI or Keras. Explanations exist in English and German for the palette and inspector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

Shape = tuple[int, ...]

CATEGORIES = (
    "Input/Output",
    "Convolution",
    "Pooling",
    "Dense",
    "Regularisation",
    "Activation",
    "Merge",
    "Recurrent",
    "Shape",
)


@dataclass(frozen=True)
class Param:
    """A typed layer parameter. kind: int | float | bool | choice | shape."""

    name: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""

    def validate(self, value: Any) -> str | None:
        """Return a readable problem with `value`, or None when it is acceptable."""
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{self.name} must be true or false"
        if self.kind == "choice":
            return None if value in self.choices else (
                f"{self.name} must be one of {', '.join(self.choices)} (got {value!r})"
            )
        if self.kind == "shape":
            ok = isinstance(value, (tuple, list)) and len(value) > 0 and all(
                isinstance(v, int) and not isinstance(v, bool) and (v > 0 or v == -1) for v in value
            )
            return None if ok else f"{self.name} must be a list of positive sizes, e.g. [1, 28, 28]"
        if self.kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
            return f"{self.name} must be a whole number (got {value!r})"
        if self.kind == "float" and (not isinstance(value, (int, float)) or isinstance(value, bool)
                                     or value != value):  # NaN passes every range check
            return f"{self.name} must be a number (got {value!r})"
        if self.minimum is not None and value < self.minimum:
            return f"{self.name} must be at least {self.minimum:g} (got {value})"
        if self.maximum is not None and value > self.maximum:
            return f"{self.name} must be at most {self.maximum:g} (got {value})"
        return None


Factory = Callable[[dict[str, Any], list[Shape]], nn.Module]


# What each `LayerSpec.input_kind` accepts, as ranks of the per-sample shape (None: any rank).
INPUT_RANKS: dict[str, frozenset[int] | None] = {
    "image": frozenset({3}),  # channels x height x width
    "sequence": frozenset({2}),  # time x features
    "vector": frozenset({1, 2}),  # features, or features per time step; never an image
    "features": frozenset({1}),  # one feature vector per sample (e.g. an LSTM's last state)
    "any": None,
}


@dataclass(frozen=True)
class LayerSpec:
    """A layer type and every fact about it the rest of the app relies on.

    Shape inference, fixes and the fuzz tests read the behaviour fields, so adding a layer
    type is one entry here: `input_kind` (a key of INPUT_RANKS), `input_dtype` ("float",
    "long" for token ids, or "any": passes token ids through unchanged), `keeps_shape`
    (output shape == input shape), `keeps_width` (channel/feature count unchanged) and
    `width_param` (the parameter that sets the output's channel/feature count).
    """

    type: str
    category: str
    params: tuple[Param, ...]
    factory: Factory | None  # None for Input (a placeholder, not a module)
    explain_en: str
    explain_de: str
    min_inputs: int = 1
    max_inputs: int | None = 1  # None: any number (merges)
    has_output: bool = True
    summary: Callable[[dict[str, Any]], str] = lambda p: ""
    input_kind: str = "any"
    input_dtype: str = "float"
    keeps_shape: bool = False
    keeps_width: bool = False
    width_param: str | None = None

    def accepts_rank(self, rank: int) -> bool:
        ranks = INPUT_RANKS[self.input_kind]
        return ranks is None or rank in ranks

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def explain(self, lang: str = "en") -> str:
        return self.explain_de if lang == "de" else self.explain_en


# -- small modules the catalog needs beyond torch.nn ----------------------------------------


class Add(nn.Module):
    """Element-wise sum of all inputs: the join of a residual (skip) connection."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Multiply(nn.Module):
    """Element-wise product of all inputs (broadcasting): the gate of squeeze-and-excitation,
    where a per-channel weight (C x 1 x 1) scales a whole feature map (C x H x W)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out


class Concat(nn.Module):
    """Concatenate inputs along the channel/feature axis (dim 1)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return torch.cat(xs, dim=1)


class Reshape(nn.Module):
    def __init__(self, shape: Shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class DisplaySoftmax(nn.Module):
    """Identity while training and evaluating; views apply softmax to show probabilities.

    CrossEntropyLoss already contains log-softmax, so a real softmax before it would
    silently hurt training. Keeping the node lets learners see where probabilities come from.
    """

    display_only = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class Recurrent(nn.Module):
    """LSTM/GRU over (batch, time, features); returns all steps or only the last one."""

    def __init__(self, cell: str, input_size: int, hidden: int, layers: int, last_only: bool):
        super().__init__()
        cls = nn.LSTM if cell == "LSTM" else nn.GRU
        self.rnn = cls(input_size, hidden, num_layers=layers, batch_first=True)
        self.last_only = last_only

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)
        return out[:, -1] if self.last_only else out


class RepeatSteps(nn.Module):
    """(batch, features) -> (batch, steps, features): the same vector at every time step.

    The bridge of a sequence-to-sequence network: the encoder LSTM's last state, a summary of
    the whole input phrase, is fed to the decoder LSTM at each step it writes an output word.
    """

    def __init__(self, steps: int):
        super().__init__()
        self.steps = steps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.unsqueeze(1).expand(-1, self.steps, *x.shape[1:])

    def extra_repr(self) -> str:
        return f"steps={self.steps}"


class PlaneFeatures(nn.Module):
    """The engineered inputs of TensorFlow Playground for 2-D points: x1, x2, x1², x2², x1·x2,
    sin x1, sin x2. With them even one linear layer can draw a circle, which shows what hidden
    layers otherwise have to learn by themselves."""

    NAMES = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = x[:, :1], x[:, 1:2]
        return torch.cat([x1, x2, x1 * x1, x2 * x2, x1 * x2, torch.sin(x1), torch.sin(x2)], 1)


class OutputHead(nn.Module):
    """Identity: marks a network output; the loss is chosen by the node's parameters."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


# -- entries ----------------------------------------------------------------------------------


def _i(name, default, lo=None, hi=None, label=""):
    return Param(name, "int", default, lo, hi, label=label)


def _f(name, default, lo=None, hi=None, label=""):
    return Param(name, "float", default, lo, hi, label=label)


def _b(name, default, label=""):
    return Param(name, "bool", default, label=label)


def _c(name, default, choices, label=""):
    return Param(name, "choice", default, choices=tuple(choices), label=label)


def _channels(in_shapes: list[Shape]) -> int:
    return in_shapes[0][0]


def _conv(p, s):
    return nn.Conv2d(_channels(s), p["out_channels"], p["kernel_size"], p["stride"],
                     p["padding"], dilation=p["dilation"], groups=p["groups"], bias=p["bias"])


def _pool(cls):
    def make(p, s):
        return cls(p["kernel_size"], p["stride"] or None, p["padding"])
    return make


def _batchnorm(p, s):
    if len(s[0]) == 3:
        return nn.BatchNorm2d(s[0][0], eps=p["eps"], momentum=p["momentum"])
    return nn.BatchNorm1d(s[0][0], eps=p["eps"], momentum=p["momentum"])


def _recurrent(cell):
    def make(p, s):
        return Recurrent(cell, s[0][-1], p["hidden_size"], p["num_layers"], p["output"] == "last")
    return make


def _conv_summary(p):
    return (f"{p['out_channels']}@{p['kernel_size']}x{p['kernel_size']}"
            + (f" s{p['stride']}" if p["stride"] != 1 else "")
            + (f" p{p['padding']}" if p["padding"] else "")
            + (f" g{p['groups']}" if p.get("groups", 1) != 1 else "")
            + (f" d{p['dilation']}" if p.get("dilation", 1) != 1 else ""))


def _pool_summary(p):
    return f"{p['kernel_size']}x{p['kernel_size']}" + (f" s{p['stride']}" if p["stride"] else "")
_POOL_PARAMS = (_i("kernel_size", 2, 1, 16), _i("stride", 0, 0, 16, "stride (0 = kernel)"),
                _i("padding", 0, 0, 8))
_RNN_PARAMS = (_i("hidden_size", 32, 1, 4096), _i("num_layers", 1, 1, 8),
               _c("output", "last", ("last", "sequence")))

SPECS: tuple[LayerSpec, ...] = (
    LayerSpec(
        "Input", "Input/Output",
        (Param("shape", "shape", (1, 28, 28)), _c("dtype", "float", ("float", "long")),
         _b("features", False, label="features: x1², x1·x2, sin")),
        None,
        "Where data enters the network. Its shape (without the batch) must match the dataset: "
        "1x28x28 for MNIST-sized images, 2 for the 2-D playground sets. For 2-D points, "
        "'features' adds x1², x2², x1·x2, sin x1 and sin x2 as extra inputs.",
        "Hier betreten die Daten das Netz. Die Form (ohne Batch) muss zum Datensatz passen: "
        "1x28x28 für MNIST-große Bilder, 2 für die 2-D-Spielwiese. Für 2-D-Punkte fügt "
        "'features' x1², x2², x1·x2, sin x1 und sin x2 als zusätzliche Eingaben hinzu.",
        min_inputs=0, max_inputs=0,
        summary=lambda p: "x".join(str(v) for v in p["shape"])
        + (f" +{len(PlaneFeatures.NAMES) - 2} features" if p["features"] else ""),
    ),
    LayerSpec(
        "Output", "Input/Output",
        (_c("loss", "cross_entropy", ("cross_entropy", "mse", "bce_with_logits")),),
        lambda p, s: OutputHead(),
        "The network's answer and the loss that grades it. Cross-entropy compares class scores "
        "(logits) with the true class; MSE measures distance for regression.",
        "Die Antwort des Netzes und der Fehler (Loss), der sie bewertet. Kreuzentropie vergleicht "
        "Klassenwerte (Logits) mit der wahren Klasse; MSE misst den Abstand bei Regression.",
        has_output=False, summary=lambda p: p["loss"],
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Conv2d", "Convolution",
        (_i("out_channels", 8, 1, 4096), _i("kernel_size", 3, 1, 15), _i("stride", 1, 1, 8),
         _i("padding", 1, 0, 8), _b("bias", True),
         _i("groups", 1, 1, 4096, "groups (channels = depthwise)"), _i("dilation", 1, 1, 8)),
        _conv,
        "Slides small learnable filters over the image. Early filters learn edges and colour "
        "blobs; deeper ones combine them into parts and whole objects.",
        "Schiebt kleine lernbare Filter über das Bild. Frühe Filter lernen Kanten und Farbflecken, "
        "tiefere setzen daraus Teile und ganze Objekte zusammen.",
        summary=_conv_summary,
        input_kind="image", width_param="out_channels",
    ),
    LayerSpec(
        "MaxPool2d", "Pooling", _POOL_PARAMS, _pool(nn.MaxPool2d),
        "Keeps the strongest response in each window: halves the size (2x2) and makes features "
        "robust to small shifts.",
        "Behält die stärkste Antwort je Fenster: halbiert die Größe (2x2) und macht Merkmale "
        "unempfindlich gegen kleine Verschiebungen.",
        summary=_pool_summary,
        input_kind="image", keeps_width=True,
    ),
    LayerSpec(
        "AvgPool2d", "Pooling", _POOL_PARAMS, _pool(nn.AvgPool2d),
        "Averages each window: a smooth way to shrink feature maps.",
        "Mittelt jedes Fenster: eine sanfte Art, Merkmalskarten zu verkleinern.",
        summary=_pool_summary,
        input_kind="image", keeps_width=True,
    ),
    LayerSpec(
        "AdaptiveAvgPool2d", "Pooling", (_i("output_size", 1, 1, 64),),
        lambda p, s: nn.AdaptiveAvgPool2d(p["output_size"]),
        "Averages each channel down to a fixed size (1x1 = global average pooling), so the head "
        "works for any image size.",
        "Mittelt jeden Kanal auf eine feste Größe (1x1 = globales Mittel), damit der Kopf für "
        "jede Bildgröße passt.",
        summary=lambda p: f"{p['output_size']}x{p['output_size']}",
        input_kind="image", keeps_width=True,
    ),
    LayerSpec(
        "BatchNorm", "Regularisation", (_f("momentum", 0.1, 0.0, 1.0),
                                        _f("eps", 1e-5, 1e-10, 0.1)),
        _batchnorm,
        "Normalises each channel to zero mean and unit variance over the batch, which lets "
        "deeper networks train faster and more stably (1d for features, 2d for images).",
        "Normalisiert jeden Kanal über den Batch auf Mittelwert 0 und Varianz 1; tiefe Netze "
        "lernen so schneller und stabiler (1d für Merkmale, 2d für Bilder).",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Dropout", "Regularisation", (_f("p", 0.5, 0.0, 0.95),),
        lambda p, s: nn.Dropout(p["p"]),
        "Randomly switches off a fraction p of activations while training, so the network "
        "cannot rely on single neurons: a cure for overfitting.",
        "Schaltet beim Training zufällig einen Anteil p der Aktivierungen ab, damit sich das Netz "
        "nicht auf einzelne Neuronen verlässt: ein Mittel gegen Überanpassung.",
        summary=lambda p: f"p={p['p']:g}",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Flatten", "Shape", (), lambda p, s: nn.Flatten(),
        "Unrolls a feature map (channels x height x width) into one long vector for dense layers.",
        "Rollt eine Merkmalskarte (Kanäle x Höhe x Breite) zu einem langen Vektor für "
        "Dense-Schichten aus.",
        input_dtype="any",
    ),
    LayerSpec(
        "Reshape", "Shape", (Param("shape", "shape", (1, 28, 28)),),
        lambda p, s: Reshape(p["shape"]),
        "Reinterprets the values with a new shape (same number of elements; -1 means 'the rest').",
        "Deutet die Werte in einer neuen Form (gleiche Anzahl Elemente; -1 heißt 'der Rest').",
        summary=lambda p: "x".join(str(v) for v in p["shape"]),
        input_dtype="any",
    ),
    LayerSpec(
        "Linear", "Dense", (_i("out_features", 64, 1, 65536), _b("bias", True)),
        lambda p, s: nn.Linear(s[0][-1], p["out_features"], bias=p["bias"]),
        "A fully connected layer: every output is a weighted sum of all inputs plus a bias. "
        "One Linear with one output is a perceptron.",
        "Eine voll verbundene Schicht: jede Ausgabe ist eine gewichtete Summe aller Eingaben plus "
        "Bias. Ein Linear mit einer Ausgabe ist ein Perzeptron.",
        summary=lambda p: str(p["out_features"]),
        input_kind="vector", width_param="out_features",
    ),
    LayerSpec(
        "ReLU", "Activation", (), lambda p, s: nn.ReLU(),
        "max(0, x): the non-linearity that lets stacked layers learn more than a straight line.",
        "max(0, x): die Nichtlinearität, durch die gestapelte Schichten mehr als eine Gerade lernen.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "LeakyReLU", "Activation", (_f("negative_slope", 0.01, 0.0, 1.0),),
        lambda p, s: nn.LeakyReLU(p["negative_slope"]),
        "Like ReLU but lets a small slope through for negative inputs, so neurons never die.",
        "Wie ReLU, lässt aber für negative Eingaben eine kleine Steigung durch, damit Neuronen "
        "nicht absterben.",
        summary=lambda p: f"{p['negative_slope']:g}",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Sigmoid", "Activation", (), lambda p, s: nn.Sigmoid(),
        "Squashes values into (0, 1). Saturates for large inputs, which slows learning in deep "
        "stacks (vanishing gradients).",
        "Presst Werte in (0, 1). Sättigt bei großen Eingaben, was tiefes Lernen bremst "
        "(verschwindende Gradienten).",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Tanh", "Activation", (), lambda p, s: nn.Tanh(),
        "Squashes values into (-1, 1); zero-centred, a classic for small networks and RNNs.",
        "Presst Werte in (-1, 1); um null zentriert, ein Klassiker für kleine Netze und RNNs.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "GELU", "Activation", (), lambda p, s: nn.GELU(),
        "A smooth ReLU used by transformers: weighs inputs by how likely they are positive.",
        "Eine glatte ReLU, wie in Transformern: gewichtet Eingaben danach, wie wahrscheinlich sie "
        "positiv sind.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "ReLU6", "Activation", (), lambda p, s: nn.ReLU6(),
        "min(max(0, x), 6): a ReLU capped at 6, used by MobileNets because the bounded range "
        "survives low-precision arithmetic on phones.",
        "min(max(0, x), 6): eine bei 6 gedeckelte ReLU, wie in MobileNets, weil der begrenzte "
        "Wertebereich auch mit ungenauer Rechnung auf Handys funktioniert.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Hardswish", "Activation", (), lambda p, s: nn.Hardswish(),
        "x · ReLU6(x + 3) / 6: a cheap, piecewise version of Swish used by MobileNetV3; smooth "
        "near zero, like ReLU for large inputs.",
        "x · ReLU6(x + 3) / 6: eine billige, stückweise Form von Swish aus MobileNetV3; um null "
        "weich, für große Eingaben wie ReLU.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Hardsigmoid", "Activation", (), lambda p, s: nn.Hardsigmoid(),
        "ReLU6(x + 3) / 6: a straight-line sigmoid between 0 and 1. MobileNetV3 uses it to turn "
        "squeeze-and-excitation scores into channel weights.",
        "ReLU6(x + 3) / 6: ein Sigmoid aus Geradenstücken zwischen 0 und 1. MobileNetV3 macht "
        "damit aus Squeeze-and-Excitation-Werten Kanalgewichte.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "SiLU", "Activation", (), lambda p, s: nn.SiLU(),
        "x · sigmoid(x) (Swish): a smooth ReLU that lets small negative values through; "
        "EfficientNet uses it everywhere.",
        "x · sigmoid(x) (Swish): eine glatte ReLU, die kleine negative Werte durchlässt; "
        "EfficientNet verwendet sie überall.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Softmax", "Activation", (), lambda p, s: DisplaySoftmax(),
        "Turns scores into probabilities that sum to 1. Shown for display only: the "
        "cross-entropy loss applies it internally, so training uses the raw scores.",
        "Macht aus Werten Wahrscheinlichkeiten mit Summe 1. Nur zur Anzeige: die Kreuzentropie "
        "wendet sie intern an, trainiert wird mit den Rohwerten.",
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Add", "Merge", (), lambda p, s: Add(),
        "Adds its inputs element by element. With a skip connection this forms a residual block "
        "(ResNet): the layers only learn a correction.",
        "Addiert die Eingaben elementweise. Mit einer Abkürzung entsteht ein Residualblock "
        "(ResNet): die Schichten lernen nur eine Korrektur.",
        min_inputs=2, max_inputs=None,
        keeps_shape=True, keeps_width=True,
    ),
    LayerSpec(
        "Multiply", "Merge", (), lambda p, s: Multiply(),
        "Multiplies its inputs element by element; a C x 1 x 1 input scales each channel of a "
        "C x H x W one. That is squeeze-and-excitation: the network learns which channels "
        "matter for this image.",
        "Multipliziert die Eingaben elementweise; eine C x 1 x 1-Eingabe skaliert jeden Kanal "
        "einer C x H x W-Eingabe. So arbeitet Squeeze-and-Excitation: das Netz lernt, welche "
        "Kanäle für dieses Bild zählen.",
        min_inputs=2, max_inputs=None,
        keeps_width=True,
    ),
    LayerSpec(
        "Concat", "Merge", (), lambda p, s: Concat(),
        "Stacks its inputs along the channel axis, as in Inception or U-Net: all inputs need the "
        "same spatial size.",
        "Stapelt die Eingaben entlang der Kanalachse, wie bei Inception oder U-Net: alle Eingaben "
        "brauchen dieselbe räumliche Größe.",
        min_inputs=2, max_inputs=None,
    ),
    LayerSpec(
        "LSTM", "Recurrent", _RNN_PARAMS, _recurrent("LSTM"),
        "Reads a sequence step by step and keeps a memory cell with gates that decide what to "
        "forget, store and output.",
        "Liest eine Folge Schritt für Schritt und führt eine Gedächtniszelle, deren Tore "
        "entscheiden, was vergessen, gespeichert und ausgegeben wird.",
        summary=lambda p: f"{p['hidden_size']} {p['output']}",
        input_kind="sequence", width_param="hidden_size",
    ),
    LayerSpec(
        "GRU", "Recurrent", _RNN_PARAMS, _recurrent("GRU"),
        "A lighter LSTM with two gates: often as good, with fewer parameters.",
        "Ein schlankeres LSTM mit zwei Toren: oft gleich gut, mit weniger Parametern.",
        summary=lambda p: f"{p['hidden_size']} {p['output']}",
        input_kind="sequence", width_param="hidden_size",
    ),
    LayerSpec(
        "Embedding", "Recurrent", (_i("num_embeddings", 32, 2, 1_000_000),
                                   _i("embedding_dim", 16, 1, 4096)),
        lambda p, s: nn.Embedding(p["num_embeddings"], p["embedding_dim"]),
        "Looks up a learned vector for each token id: turns symbols into numbers an LSTM can use.",
        "Schlägt für jede Token-Nummer einen gelernten Vektor nach: macht aus Symbolen Zahlen für "
        "ein LSTM.",
        summary=lambda p: f"{p['num_embeddings']}→{p['embedding_dim']}",
        input_dtype="long", width_param="embedding_dim",
    ),
    LayerSpec(
        "RepeatSteps", "Recurrent", (_i("steps", 6, 1, 4096),),
        lambda p, s: RepeatSteps(p["steps"]),
        "Copies one vector to every time step, turning a summary into a sequence. In a "
        "translator it hands the encoder's last state to the decoder LSTM for each word it "
        "writes.",
        "Kopiert einen Vektor in jeden Zeitschritt und macht so aus einer Zusammenfassung eine "
        "Folge. In einem Übersetzer reicht es den letzten Zustand des Encoders für jedes Wort, "
        "das der Decoder schreibt, an das Decoder-LSTM weiter.",
        summary=lambda p: f"x{p['steps']}",
        input_kind="features", keeps_width=True,
    ),
)

CATALOG: dict[str, LayerSpec] = {s.type: s for s in SPECS}


def spec(type_name: str) -> LayerSpec:
    try:
        return CATALOG[type_name]
    except KeyError:
        raise KeyError(
            f"unknown layer type '{type_name}'; known types: {', '.join(CATALOG)}"
        ) from None


def by_category() -> dict[str, list[LayerSpec]]:
    groups: dict[str, list[LayerSpec]] = {c: [] for c in CATEGORIES}
    for s in SPECS:
        groups[s.category].append(s)
    return groups


def full_params(type_name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Parameters with defaults filled in for anything the node does not set."""
    merged = spec(type_name).defaults()
    merged.update(params)
    return merged
