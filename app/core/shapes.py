"""Shape inference on the meta device, with problems that name the node and a fix.

An invalid graph is a normal state while a learner builds a network, so `infer` never raises
for graph problems: it returns a report with an output shape and parameter count for every
node it could compute and an `Issue` for every one it could not. Common mistakes are caught
before torch sees them so the message reads like advice ("insert Flatten before 'fc1'")
rather than a matrix-multiplication error. Results per node are cached, which keeps
re-inference after each edit in the editor well below a frame even for hundreds of nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import torch

from app.core.catalog import CATALOG, LayerSpec, PlaneFeatures, Shape, full_params, spec
from app.core.gc_pause import gc_paused
from app.core.graph import Graph, GraphError, Node
from app.core.messages import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Fix:
    """A change the editor can apply with one click (and undo in one step)."""

    label: str
    kind: str  # "insert_before" | "set_param"
    node_id: str
    node_type: str = ""
    param: str = ""
    value: Any = None  # set_param: the new value; insert_before: params of the new node


@dataclass(frozen=True)
class Issue:
    node_id: str | None
    message: str
    fix: Fix | None = None
    severity: str = "error"  # "error" blocks training; "warning" does not


@dataclass
class NodeShape:
    in_shapes: list[Shape] = field(default_factory=list)
    out_shape: Shape | None = None
    params: int = 0
    dtype: str = "float"


@dataclass
class ShapeReport:
    nodes: dict[str, NodeShape] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)  # only ever appended to
    _by_node: tuple[int, dict[str | None, list[Issue]]] = field(
        default=(0, {}), init=False, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def total_params(self) -> int:
        return sum(n.params for n in self.nodes.values())

    def issues_for(self, node_id: str) -> list[Issue]:
        """O(1) per call: the canvas asks for every node after each edit."""
        if self._by_node[0] != len(self.issues):
            index: dict[str | None, list[Issue]] = {}
            for issue in self.issues:
                index.setdefault(issue.node_id, []).append(issue)
            self._by_node = (len(self.issues), index)
        return list(self._by_node[1].get(node_id, ()))

    def out_shape(self, node_id: str) -> Shape | None:
        ns = self.nodes.get(node_id)
        return ns.out_shape if ns else None


def fmt_shape(shape: Shape | None) -> str:
    if shape is None:
        return "?"
    return "x".join(str(s) for s in shape) if shape else "scalar"


def _label(node: Node) -> str:
    return f"{node.type} '{node.id}'"


def _hashable(params: dict[str, Any]) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


@lru_cache(maxsize=4096)
def _run_meta(type_name: str, params: tuple, in_shapes: tuple, dtypes: tuple) -> tuple:
    """Build the layer on the meta device and push a batch of 2 through it.

    Returns (out_shape, n_params) or (None, error text). Batch 2 keeps BatchNorm happy.
    """
    p = dict(params)
    with torch.device("meta"):
        try:
            module = spec(type_name).factory(p, list(in_shapes))
            xs = [
                torch.empty((2, *s), dtype=torch.long if d == "long" else torch.float32)
                for s, d in zip(in_shapes, dtypes, strict=True)
            ]
            out = module(*xs)
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:
            return None, str(exc).split("\n")[0]
    n_params = sum(t.numel() for t in module.parameters() if t.requires_grad)
    return tuple(out.shape[1:]), n_params


def _precheck(graph: Graph, node: Node, p: dict[str, Any], ins: list[Shape], dtypes: list[str],
              preds: list[str]) -> Issue | None:
    """Catch the mistakes learners make most, with a message and fix that explain them."""
    t, nid, label = node.type, node.id, _label(node)
    layer = spec(t)
    first = ins[0] if ins else ()
    if layer.input_dtype == "float" and "long" in dtypes:
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} receives token ids (whole numbers): insert Embedding before "
                          "'{node}' to turn them into vectors").format(label=label, node=nid),
                     _insert_fix(nid, "Embedding"))
    if layer.input_dtype == "long" and dtypes[0] != "long":
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} needs token ids but gets float values of shape {shape}: set "
                          "the Input dtype to 'long' or remove the {type}").format(
            label=label, shape=fmt_shape(first), type=t))
    if layer.input_kind == "features" and len(first) == 2:
        return _steps_issue(graph, node, first, preds)
    if not layer.accepts_rank(len(first)):
        return _rank_issue(node, layer, first)
    if layer.input_kind == "image" and "kernel_size" in p:
        k, pad = p["kernel_size"], p["padding"]
        h, w = first[1] + 2 * pad, first[2] + 2 * pad
        if k > min(h, w):
            fit = max(1, min(h, w))
            return Issue(nid, QT_TRANSLATE_NOOP(
                "ShapeCheck", "{label}: the {k}x{k} window is larger than its {h}x{w} (padded) "
                              "input; use kernel_size {fit} or less, or remove a pooling layer "
                              "before '{node}'").format(label=label, k=k, h=h, w=w, fit=fit,
                                                        node=nid),
                         _set_fix(nid, "kernel_size", fit))
        if layer.category == "Pooling" and 2 * pad > k:
            return Issue(nid, QT_TRANSLATE_NOOP(
                "ShapeCheck", "{label}: padding {pad} must be at most half the kernel size "
                              "{k}").format(label=label, pad=pad, k=k),
                         _set_fix(nid, "padding", 0))
    if t == "Add" and len(set(ins)) > 1:
        return _merge_mismatch(graph, node, ins, preds)
    if t == "Multiply" and (len({len(s) for s in ins}) > 1
                            or any(len({d for d in dims if d != 1}) > 1
                                   for dims in zip(*ins, strict=True))):
        # Unequal ranks would broadcast a feature axis against the batch axis.
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} needs inputs of equal rank whose sizes match or are 1 (e.g. "
                          "a Cx1x1 gate on a CxHxW map): {shapes}").format(
            label=label, shapes=" vs ".join(fmt_shape(s) for s in ins)))
    if t == "Concat" and (len({len(s) for s in ins}) > 1 or len({s[1:] for s in ins}) > 1):
        sizes = " vs ".join(fmt_shape(s[1:]) if len(s) > 1 else fmt_shape(s) for s in ins)
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label}: Concat needs equal spatial size: {sizes}; add or remove "
                          "pooling on one branch so the sizes match").format(label=label,
                                                                             sizes=sizes))
    if t == "Output" and p["loss"] == "cross_entropy" and len(first) not in (1, 2):
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} expects one score per class (a vector, or one per time step) "
                          "but gets {shape}: insert Flatten and a Linear layer before it").format(
            label=label, shape=fmt_shape(first)),
                     _insert_fix(nid, "Flatten") if len(first) == 3 else None)
    return None


def _insert_fix(node_id: str, node_type: str, **params: Any) -> Fix:
    """Insert a `node_type` layer (with `params`) before `node_id`."""
    return Fix(QT_TRANSLATE_NOOP("ShapeCheck", "Insert {layer} before '{node}'").format(
        layer=node_type, node=node_id), "insert_before", node_id, node_type,
        value=params or None)


def _set_fix(node_id: str, param: str, value: Any, shown: str | None = None) -> Fix:
    """Set one parameter; `shown` is how the label writes the value (default: str(value))."""
    return Fix(QT_TRANSLATE_NOOP("ShapeCheck", "Set {param} of '{node}' to {value}").format(
        param=param, node=node_id, value=value if shown is None else shown), "set_param",
        node_id, param=param, value=value)


def _rank_issue(node: Node, s: LayerSpec, first: Shape) -> Issue:
    """The input has the wrong number of dimensions for this kind of layer."""
    nid, label = node.id, _label(node)
    if s.input_kind == "image":
        fix = None
        if len(first) == 1 and math.isqrt(first[0]) ** 2 == first[0]:
            side = math.isqrt(first[0])
            fix = Fix(QT_TRANSLATE_NOOP("ShapeCheck", "Insert Reshape to 1x{side}x{side} before "
                                                      "'{node}'").format(side=side, node=nid),
                      "insert_before", nid, "Reshape", value={"shape": (1, side, side)})
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} needs an image (channels x height x width) but gets {shape}: "
                          "reshape the data into an image before '{node}' or use Linear "
                          "instead").format(label=label, shape=fmt_shape(first), node=nid), fix)
    if s.input_kind == "sequence":
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} needs a sequence (time x features) but gets {shape}: reshape "
                          "it with Reshape [-1, features] before '{node}'").format(
            label=label, shape=fmt_shape(first), node=nid))
    return Issue(nid, QT_TRANSLATE_NOOP(
        "ShapeCheck", "{label} expects a flat vector but gets a {shape} feature map: insert "
                      "Flatten before '{node}'").format(label=label, shape=fmt_shape(first),
                                                        node=nid),
                 _insert_fix(nid, "Flatten"))


def _steps_issue(graph: Graph, node: Node, first: Shape, preds: list[str]) -> Issue:
    """A layer that needs one vector per sample gets a sequence: usually an LSTM or GRU that
    hands on every step where only its last state was meant."""
    nid, label = node.id, _label(node)
    src = graph.nodes[preds[0]] if preds else None
    fix = None
    if src is not None and src.type in ("LSTM", "GRU"):
        fix = _set_fix(src.id, "output", "last")
    return Issue(nid, QT_TRANSLATE_NOOP(
        "ShapeCheck", "{label} needs one vector per sample but gets a sequence {shape}: set the "
                      "LSTM before '{node}' to output its last step only, or insert "
                      "Flatten").format(label=label, shape=fmt_shape(first), node=nid), fix)


def _width_axis(shape: Shape) -> int:
    """The axis a layer's `width_param` sets: channels of an image, else the last axis."""
    return 0 if len(shape) == 3 else len(shape) - 1


def _merge_mismatch(graph: Graph, node: Node, ins: list[Shape], preds: list[str]) -> Issue:
    """Explain an Add mismatch; when only the width differs, offer to fix the residual branch."""
    shapes = " vs ".join(fmt_shape(s) for s in ins)
    fix = None
    axis = _width_axis(ins[0])
    rest = ins[0][:axis] + ins[0][axis + 1:]
    if all(len(s) == len(ins[0]) and s[:axis] + s[axis + 1:] == rest for s in ins):
        ancestors = graph.upstream(preds)
        # The skip connection's source is an ancestor of the other branch: match its width.
        target = next((s for p, s in zip(preds, ins, strict=True) if p in ancestors),
                      ins[0])[axis]
        for pred, shape in zip(preds, ins, strict=True):
            layer = _nearest_resizable(graph, pred) if shape[axis] != target else None
            if layer:
                label = (QT_TRANSLATE_NOOP("ShapeCheck", "Make '{node}' output {n} channels")
                         if len(shape) == 3 else
                         QT_TRANSLATE_NOOP("ShapeCheck", "Make '{node}' output {n} features"))
                fix = Fix(label.format(node=layer, n=target), "set_param", layer,
                          param=spec(graph.nodes[layer].type).width_param, value=target)
                break
    return Issue(node.id, QT_TRANSLATE_NOOP(
        "ShapeCheck", "{label} needs inputs of equal shape: {shapes}").format(
        label=_label(node), shapes=shapes), fix)


def _nearest_resizable(graph: Graph, node_id: str | None) -> str | None:
    """Walk up single-input, width-keeping layers to the layer whose parameter sets the width."""
    while node_id and graph.nodes[node_id].type in CATALOG:
        layer = spec(graph.nodes[node_id].type)
        if layer.width_param:
            return node_id
        if not layer.keeps_width:
            return None
        preds = graph.inputs_of(node_id)
        node_id = preds[0] if len(preds) == 1 else None
    return None


def infer(graph: Graph, input_shapes: dict[str, Shape] | None = None) -> ShapeReport:
    """Infer every node's output shape and parameter count; collect issues, never raise."""
    with gc_paused():
        return _infer(graph, input_shapes)


def _infer(graph: Graph, input_shapes: dict[str, Shape] | None) -> ShapeReport:
    report = ShapeReport()
    try:
        order = graph.topo_order()
    except GraphError:
        cycle = graph.find_cycle() or []
        report.issues.append(Issue(cycle[0], QT_TRANSLATE_NOOP(
            "ShapeCheck", "cycle through {cycle}: remove one of these wires (networks must flow "
                          "forward)").format(cycle=" -> ".join(cycle))))
        return report
    if not graph.nodes_of_type("Input"):
        report.issues.append(Issue(None, QT_TRANSLATE_NOOP(
            "ShapeCheck", "the network has no Input layer: drag one from the palette and wire "
                          "it to the first layer")))
    if not graph.nodes_of_type("Output"):
        report.issues.append(Issue(None, QT_TRANSLATE_NOOP(
            "ShapeCheck", "the network has no Output layer: add one after the last layer so it "
                          "can be trained")))
    for nid in order:
        report.nodes[nid] = _infer_node(graph, graph.nodes[nid], report, input_shapes or {})
    _warn_unused(graph, report)
    return report


def _infer_node(graph: Graph, node: Node, report: ShapeReport,
                input_shapes: dict[str, Shape]) -> NodeShape:
    label = _label(node)
    if node.type not in CATALOG:
        report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label}: unknown layer type; known types are {types}").format(
            label=label, types=", ".join(CATALOG))))
        return NodeShape()
    s = spec(node.type)
    p = full_params(node.type, node.params)
    for param in s.params:
        problem = param.validate(p[param.name])
        if problem:
            report.issues.append(Issue(node.id, f"{label}: {problem}", Fix(
                QT_TRANSLATE_NOOP("ShapeCheck", "Reset {param} to {value}").format(
                    param=param.name, value=param.default),
                "set_param", node.id, param=param.name, value=param.default)))
            return NodeShape()
    preds = graph.inputs_of(node.id)
    if node.type == "Input":
        shape = tuple(input_shapes.get(node.id, p["shape"]))
        if any(size <= 0 for size in shape):
            positive = tuple(abs(size) or 1 for size in shape)
            report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
                "ShapeCheck", "{label}: every size of its shape must be positive (got {shape}); "
                              "only Reshape may use -1 for 'the rest'").format(
                label=label, shape=list(shape)),
                _set_fix(node.id, "shape", positive, fmt_shape(positive))))
            return NodeShape()
        if p["features"]:
            if shape != (2,) or p["dtype"] != "float":
                report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
                    "ShapeCheck", "{label}: engineered features (x1², sin x1, ...) need 2-D "
                                  "float points, but the shape is {shape}: turn 'features' off "
                                  "or set the shape to 2").format(label=label,
                                                                  shape=fmt_shape(shape)),
                    Fix(QT_TRANSLATE_NOOP("ShapeCheck", "Turn features of '{node}' off").format(
                        node=node.id), "set_param", node.id, param="features", value=False)))
                return NodeShape()
            return NodeShape([], (len(PlaneFeatures.NAMES),), 0, "float")
        too_big = _size_issue(node, shape)
        if too_big:
            report.issues.append(too_big)
            return NodeShape()
        return NodeShape([], shape, 0, p["dtype"])
    if len(preds) < s.min_inputs:
        need = (QT_TRANSLATE_NOOP("ShapeCheck", "{label} needs an input: drag a wire from the "
                                                "previous layer's output into '{node}'")
                if s.min_inputs == 1 else
                QT_TRANSLATE_NOOP("ShapeCheck", "{label} needs at least {n} inputs: drag a wire "
                                                "from the previous layer's output into "
                                                "'{node}'"))
        report.issues.append(Issue(node.id, need.format(label=label, n=s.min_inputs,
                                                        node=node.id)))
        return NodeShape()
    if s.max_inputs is not None and len(preds) > s.max_inputs:
        report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} takes one input but has {n}: use Add or Concat to merge "
                          "branches").format(label=label, n=len(preds))))
        return NodeShape()
    ends = [pid for pid in preds
            if graph.nodes[pid].type in CATALOG and not spec(graph.nodes[pid].type).has_output]
    if ends:
        report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} is wired to the end of Output '{output}': an Output has no "
                          "outgoing data; wire from the layer before it instead").format(
            label=label, output=ends[0])))
        return NodeShape()
    pred_shapes = [report.nodes.get(pid, NodeShape()) for pid in preds]
    if any(ps.out_shape is None for ps in pred_shapes):
        return NodeShape()  # an upstream problem is already reported; do not cascade
    ins = [ps.out_shape for ps in pred_shapes]
    dtypes = [ps.dtype for ps in pred_shapes]
    issue = _precheck(graph, node, p, ins, dtypes, preds)
    if issue:
        report.issues.append(issue)
        return NodeShape(ins)
    out, extra = _run_meta(node.type, _hashable(p), tuple(ins), tuple(dtypes))
    if out is None:
        report.issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} cannot process input {shape}: {error}").format(
            label=label, shape=fmt_shape(ins[0]), error=extra)))
        return NodeShape(ins)
    too_big = _size_issue(node, out, extra)
    if too_big:
        report.issues.append(too_big)
        return NodeShape(ins)
    out_dtype = "long" if s.input_dtype == "any" and "long" in dtypes else "float"
    return NodeShape(ins, out, extra, out_dtype)


# Far beyond any network a laptop trains (VGG's largest layer has 103 M weights; a 224x224
# image with 64 channels is 3.2 M values), far below what would crash the builder or a batch.
MAX_LAYER_PARAMS = 2**28  # 1 GiB of float32 weights
MAX_SAMPLE_VALUES = 2**24  # 64 MiB per sample of one layer's output


def _size_issue(node: Node, out: Shape, n_params: int = 0) -> Issue | None:
    """Shapes that infer on the meta device but whose real weights or activations would not
    fit in memory (a Linear after a huge Input): refuse them here, naming the layer."""
    values = math.prod(out)
    if n_params > MAX_LAYER_PARAMS:
        return Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} would have {n:,} weights (limit {limit:,}): make its input "
                          "smaller, e.g. with pooling before '{node}', or give it fewer "
                          "outputs").format(label=_label(node), n=n_params,
                                            limit=MAX_LAYER_PARAMS, node=node.id))
    if values > MAX_SAMPLE_VALUES:
        return Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "{label} outputs {shape} = {n:,} values per sample (limit {limit:,}): "
                          "use smaller sizes or fewer channels").format(
            label=_label(node), shape=fmt_shape(out), n=values, limit=MAX_SAMPLE_VALUES))
    return None


def _warn_unused(graph: Graph, report: ShapeReport) -> None:
    """Nodes that feed no Output are ignored by the builder; say so instead of surprising."""
    outputs = [n.id for n in graph.nodes_of_type("Output")]
    if not outputs:
        return  # "no Output layer" is already reported
    reaching = graph.upstream(outputs, inclusive=True)
    for nid, node in graph.nodes.items():
        if nid not in reaching:
            report.issues.append(Issue(nid, QT_TRANSLATE_NOOP(
                "ShapeCheck", "{label} is not connected to an Output and will be ignored in "
                              "training").format(label=_label(node)), severity="warning"))


def check_data_fit(graph: Graph, report: ShapeReport, input_shape: Shape, num_classes: int,
                   task: str = "classification", input_dtype: str = "float",
                   target_shape: Shape = ()) -> list[Issue]:
    """Issues between the network and a dataset that would stop training at the first batch.

    Input shape and dtype, one Input and one Output, something to learn, and an output the
    loss can compare with the dataset's class labels (see trainer `_as_float_target`).
    `target_shape` is the shape of one sample's labels: () for one class label, (T,) for a
    token sequence (translation), which needs T x num_classes scores.
    """
    issues: list[Issue] = []
    outputs = [n.id for n in graph.nodes_of_type("Output")]
    used = graph.upstream(outputs, inclusive=True)
    inputs = [n for n in graph.nodes_of_type("Input") if n.id in used]
    for node in inputs:
        issues.extend(_input_fit(graph, node, tuple(input_shape), input_dtype))
    if len(inputs) != 1 or len(outputs) != 1:
        issues.append(Issue(outputs[0] if outputs else None, QT_TRANSLATE_NOOP(
            "ShapeCheck", "training needs exactly one Input and one Output layer (this network "
                          "has {inputs} and {outputs}): remove the extra ones").format(
            inputs=len(inputs), outputs=len(outputs))))
    elif report.ok and not any(report.nodes[nid].params for nid in used if nid in report.nodes):
        issues.append(Issue(outputs[0], QT_TRANSLATE_NOOP(
            "ShapeCheck", "nothing before Output '{node}' can learn: add a Linear or Conv2d "
                          "layer").format(node=outputs[0])))
    elif report.ok and all(graph.nodes[nid].frozen for nid in used
                           if nid in report.nodes and report.nodes[nid].params):
        issues.append(Issue(outputs[0], QT_TRANSLATE_NOOP(
            "ShapeCheck", "every layer with weights before Output '{node}' is frozen, so nothing "
                          "can learn: unfreeze at least one (click its padlock)").format(
            node=outputs[0])))
    if task == "classification":
        for nid in outputs:
            issue = _head_fit(graph, graph.nodes[nid], report.out_shape(nid), num_classes,
                              tuple(target_shape))
            if issue:
                issues.append(issue)
    return issues


def _input_fit(graph: Graph, node: Node, shape: Shape, dtype: str) -> list[Issue]:
    p = full_params("Input", node.params)
    issues = []
    want = tuple(p["shape"])
    if want != shape:
        issues.append(Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "Input '{node}' expects {want} but the dataset gives {shape}: set its "
                          "shape to {value}").format(node=node.id, want=fmt_shape(want),
                                                     shape=fmt_shape(shape), value=list(shape)),
                            _set_fix(node.id, "shape", shape, fmt_shape(shape))))
    if p["dtype"] != dtype:
        what = {"long": QT_TRANSLATE_NOOP("ShapeCheck", "token ids (whole numbers)"),
                "float": QT_TRANSLATE_NOOP("ShapeCheck", "float values")}
        tokens_used = any(graph.nodes[n].type in CATALOG
                          and spec(graph.nodes[n].type).input_dtype == "long"
                          for n in graph.downstream(node.id))
        fix = None if tokens_used else _set_fix(node.id, "dtype", dtype, f"'{dtype}'")
        message = (QT_TRANSLATE_NOOP("ShapeCheck", "Input '{node}' expects {want} but the "
                                                   "dataset gives {given}: set its dtype to "
                                                   "'{dtype}' and remove the Embedding")
                   if tokens_used else
                   QT_TRANSLATE_NOOP("ShapeCheck", "Input '{node}' expects {want} but the "
                                                   "dataset gives {given}: set its dtype to "
                                                   "'{dtype}'"))
        issues.append(Issue(node.id, message.format(node=node.id, want=what[p["dtype"]],
                                                    given=what[dtype], dtype=dtype), fix))
    return issues


def _head_fit(graph: Graph, node: Node, shape: Shape | None, num_classes: int,
              target_shape: Shape = ()) -> Issue | None:
    """Class-label targets: cross-entropy needs one score per class; MSE and BCE compare with
    one-hot labels (one value per class) or, for two classes, with the label itself.
    Token-sequence targets (T,) need cross-entropy over T x num_classes scores."""
    if shape is None:
        return None
    loss = full_params("Output", node.params)["loss"]
    preds = graph.inputs_of(node.id)
    if target_shape:
        issue = _sequence_head_fit(graph, node, shape, loss, target_shape)
        if issue:
            return issue
    elif len(shape) != 1:
        return Issue(node.id, QT_TRANSLATE_NOOP(
            "ShapeCheck", "Output '{node}' ({loss}) gets {shape} values per sample but the "
                          "dataset's targets are class labels: insert Flatten and a Linear "
                          "layer with {classes} outputs before it").format(
            node=node.id, loss=loss, shape=fmt_shape(shape), classes=num_classes),
                     _insert_fix(node.id, "Flatten") if len(shape) == 3 else None)
    if shape[-1] == num_classes or (loss != "cross_entropy" and shape[-1] == 1
                                    and num_classes == 2 and not target_shape):
        return None
    layer = _nearest_resizable(graph, preds[0]) if preds else None
    fix = None
    if layer:
        fix = _set_fix(layer, spec(graph.nodes[layer].type).width_param, num_classes)
    return Issue(node.id, QT_TRANSLATE_NOOP(
        "ShapeCheck", "Output '{node}' gets {scores} scores but the dataset has {classes} "
                      "classes: the last layer needs {classes} outputs").format(
        node=node.id, scores=shape[-1], classes=num_classes), fix)


def _sequence_head_fit(graph: Graph, node: Node, shape: Shape, loss: str,
                       target_shape: Shape) -> Issue | None:
    """Per-step targets: cross-entropy (it skips padding) over one score vector per step."""
    nid, steps = node.id, target_shape[0]
    if loss != "cross_entropy":
        return Issue(nid, QT_TRANSLATE_NOOP(
            "ShapeCheck", "Output '{node}' uses {loss}, but the dataset's targets are {steps} "
                          "token ids per sample: use cross_entropy, which scores each word and "
                          "skips the padding").format(node=nid, loss=loss, steps=steps),
                     _set_fix(nid, "loss", "cross_entropy"))
    if len(shape) == 2 and shape[0] == steps:
        return None
    repeats = [n for n in graph.upstream([nid]) if graph.nodes[n].type == "RepeatSteps"]
    fix = None
    if len(shape) == 2 and len(repeats) == 1:
        fix = _set_fix(repeats[0], "steps", steps)
    return Issue(nid, QT_TRANSLATE_NOOP(
        "ShapeCheck", "Output '{node}' gets {shape} values per sample but the dataset's targets "
                      "are {steps} token ids per sample: it needs {steps} steps of word scores "
                      "(e.g. RepeatSteps with {steps} steps before a decoder LSTM with output "
                      "'sequence')").format(node=nid, shape=fmt_shape(shape), steps=steps), fix)


def apply_fix(graph: Graph, fix: Fix) -> list[str]:
    """Apply a fix to the graph in place; return the ids of nodes it added."""
    if fix.kind == "set_param":
        graph.nodes[fix.node_id].params[fix.param] = fix.value
        return []
    if fix.kind == "insert_before":
        target = graph.nodes[fix.node_id]
        preds = graph.inputs_of(fix.node_id)
        new_id = graph.unique_id(fix.node_type)
        px, py = (graph.nodes[preds[0]].pos if preds else (target.pos[0] - 200, target.pos[1]))
        params = dict(spec(fix.node_type).defaults())
        params.update(fix.value or {})
        graph.add_node(Node(new_id, fix.node_type, params,
                            ((px + target.pos[0]) / 2, (py + target.pos[1]) / 2 + 40)))
        for pred in preds:
            index = graph.disconnect(pred, fix.node_id)
            graph.connect(pred, new_id, index)
        graph.connect(new_id, fix.node_id)
        return [new_id]
    raise ValueError(f"unknown fix kind '{fix.kind}'")
