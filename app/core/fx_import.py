"""torchvision architectures -> canvas graphs, via torch.fx.

A learner who has built LeNet by hand should be able to open ResNet-18 and see that it is made
of the same bricks. `symbolic_trace` turns the module into a flat list of calls; each call
becomes one catalog layer (a Conv2d module a Conv2d node, `out += identity` an Add node,
`scale * x` a Multiply node), wired as the data flows. The result is honest, which the tests
check: the canvas network has torchvision's parameter count, every node's inferred shape is the
shape the real forward pass produces, and with torchvision's weights copied in it computes the
same outputs. The blocks the model is written in (a ResNet BasicBlock, a VGG stage) become node
groups that the canvas folds into one box. Models are built on the meta device, so importing
never allocates weights and never downloads anything.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 (the usual name)
from torch import fx, nn
from torch.fx.proxy import TraceError

from app.core.catalog import spec
from app.core.graph import Graph, Node, node_id_problem
from app.core.layout import grouped_positions

# The architectures the tests check layer by layer; more torchvision models may trace as well.
TORCHVISION_MODELS = ("resnet18", "resnet34", "resnet50", "vgg11", "vgg16", "alexnet",
                      "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large")
INPUT_ID, OUTPUT_ID = "image", "logits"
NODE_W, NODE_H = 140.0, 74.0  # the canvas node size (widgets/canvas/node_item.py)


class FxImportError(ValueError):
    """The module uses something the canvas cannot show; the message names the call."""


@dataclass
class Imported:
    """A traced module as a graph, with what the tests need to compare it with the original.

    `node_of` maps each fx node name to the graph node that computes it (a pass-through such
    as nn.Identity maps to the node feeding it); `group_kinds` names each group's module class
    ("BasicBlock", "Sequential stage").
    """

    graph: Graph
    traced: fx.GraphModule
    input_shape: tuple[int, ...]
    node_of: dict[str, str] = field(default_factory=dict)
    group_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def param_count(self) -> int:
        return sum(p.numel() for p in self.traced.parameters())


# -- modules -> catalog layers ------------------------------------------------------------------


def _square(value: Any, what: str, where: str) -> int:
    """torch allows (h, w) pairs; the canvas layers use one size for both directions."""
    if isinstance(value, (tuple, list)):
        if len(set(value)) != 1:
            raise FxImportError(f"'{where}' uses a non-square {what} {tuple(value)}; the "
                                f"canvas layers need the same {what} in both directions")
        value = value[0]
    if not isinstance(value, int):
        raise FxImportError(f"'{where}' uses {what}={value!r}; only whole numbers are supported")
    return value


def _conv(m: nn.Conv2d, where: str) -> tuple[str, dict]:
    if m.padding_mode != "zeros" or isinstance(m.padding, str):
        raise FxImportError(f"'{where}' uses padding {m.padding!r} ({m.padding_mode}); the "
                            "canvas Conv2d pads with zeros by a fixed amount")
    return "Conv2d", {"out_channels": m.out_channels,
                      "kernel_size": _square(m.kernel_size, "kernel size", where),
                      "stride": _square(m.stride, "stride", where),
                      "padding": _square(m.padding, "padding", where),
                      "bias": m.bias is not None, "groups": m.groups,
                      "dilation": _square(m.dilation, "dilation", where)}


def _batchnorm(m: nn.BatchNorm2d, where: str) -> tuple[str, dict]:
    if not (m.affine and m.track_running_stats and m.momentum is not None):
        raise FxImportError(f"'{where}' is a BatchNorm without learnable scale, running "
                            "statistics or momentum; the canvas BatchNorm always has them")
    return "BatchNorm", {"momentum": m.momentum, "eps": m.eps}


def _pool(kind: str) -> Callable[[nn.Module, str], tuple[str, dict]]:
    def convert(m: nn.MaxPool2d | nn.AvgPool2d, where: str) -> tuple[str, dict]:
        if m.ceil_mode or getattr(m, "dilation", 1) not in (1, (1, 1)) or (
                kind == "AvgPool2d" and (not m.count_include_pad or m.divisor_override)):
            raise FxImportError(f"'{where}' uses pooling options (ceil_mode, dilation, ...) the "
                                f"canvas {kind} does not have")
        kernel = _square(m.kernel_size, "kernel size", where)
        return kind, {"kernel_size": kernel,
                      "stride": _square(m.stride if m.stride else kernel, "stride", where),
                      "padding": _square(m.padding, "padding", where)}
    return convert


def _adaptive(m: nn.AdaptiveAvgPool2d, where: str) -> tuple[str, dict]:
    return "AdaptiveAvgPool2d", {"output_size": _square(m.output_size, "output size", where)}


def _flatten(m: nn.Flatten, where: str) -> tuple[str, dict]:
    if (m.start_dim, m.end_dim) != (1, -1):
        raise FxImportError(f"'{where}' flattens dims {m.start_dim}..{m.end_dim}; the canvas "
                            "Flatten keeps the batch and flattens everything else")
    return "Flatten", {}


def _gelu(m: nn.GELU, where: str) -> tuple[str, dict]:
    if m.approximate != "none":
        raise FxImportError(f"'{where}' uses the tanh approximation of GELU, which the canvas "
                            "GELU does not have")
    return "GELU", {}


def _plain(kind: str) -> Callable[[nn.Module, str], tuple[str, dict]]:
    return lambda m, where: (kind, {})


MODULES: dict[type, Callable[[Any, str], tuple[str, dict]]] = {
    nn.Conv2d: _conv,
    nn.BatchNorm2d: _batchnorm,
    nn.BatchNorm1d: _batchnorm,
    nn.MaxPool2d: _pool("MaxPool2d"),
    nn.AvgPool2d: _pool("AvgPool2d"),
    nn.AdaptiveAvgPool2d: _adaptive,
    nn.Linear: lambda m, where: ("Linear", {"out_features": m.out_features,
                                            "bias": m.bias is not None}),
    nn.Dropout: lambda m, where: ("Dropout", {"p": m.p}),
    nn.Flatten: _flatten,
    nn.ReLU: _plain("ReLU"),
    nn.ReLU6: _plain("ReLU6"),
    nn.Hardswish: _plain("Hardswish"),
    nn.Hardsigmoid: _plain("Hardsigmoid"),
    nn.SiLU: _plain("SiLU"),
    nn.Sigmoid: _plain("Sigmoid"),
    nn.Tanh: _plain("Tanh"),
    nn.GELU: _gelu,
    nn.LeakyReLU: lambda m, where: ("LeakyReLU", {"negative_slope": m.negative_slope}),
}
PASS_THROUGH = (nn.Identity,)

# Functions and tensor methods that are layers of their own (their extra arguments are checked
# in `_function_layer`).
FUNCTIONS: dict[Any, str] = {
    operator.add: "Add", torch.add: "Add", operator.mul: "Multiply", torch.mul: "Multiply",
    torch.flatten: "Flatten", torch.cat: "Concat", torch.relu: "ReLU", F.relu: "ReLU",
    torch.sigmoid: "Sigmoid", torch.tanh: "Tanh", F.hardswish: "Hardswish",
    F.hardsigmoid: "Hardsigmoid", F.silu: "SiLU", F.relu6: "ReLU6",
    F.adaptive_avg_pool2d: "AdaptiveAvgPool2d",
}
METHODS = {"flatten": "Flatten", "relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh",
           "add": "Add", "mul": "Multiply"}


def _function_layer(node: fx.Node) -> tuple[str, list[fx.Node], dict]:
    """The catalog type of a call_function/call_method node, the fx nodes it reads and the
    layer's parameters."""
    kind = FUNCTIONS.get(node.target) if node.op == "call_function" else METHODS.get(node.target)
    name = getattr(node.target, "__name__", str(node.target))
    if kind is None:
        raise FxImportError(f"'{node.name}' calls {name}, which no canvas layer does "
                            f"(supported: {', '.join(sorted(set(FUNCTIONS.values())))})")
    args = list(node.args)
    params: dict = {}
    if kind == "AdaptiveAvgPool2d":
        size = node.kwargs.get("output_size", args[1] if len(args) > 1 else None)
        params["output_size"] = _square(size, "output size", node.name)
        inputs = args[:1]
    elif kind == "Concat":
        dim = node.kwargs.get("dim", args[1] if len(args) > 1 else 0)
        if dim != 1:
            raise FxImportError(f"'{node.name}' concatenates along dim {dim}; the canvas "
                                "Concat joins channels (dim 1)")
        inputs = list(args[0])
    elif kind == "Flatten":
        start = node.kwargs.get("start_dim", args[1] if len(args) > 1 else 0)
        end = node.kwargs.get("end_dim", args[2] if len(args) > 2 else -1)
        if (start, end) != (1, -1):
            raise FxImportError(f"'{node.name}' flattens dims {start}..{end}; the canvas "
                                "Flatten keeps the batch and flattens everything else")
        inputs = args[:1]
    elif kind in ("Add", "Multiply"):
        if node.kwargs.get("alpha", 1) != 1:
            raise FxImportError(f"'{node.name}' adds with alpha; the canvas Add does not")
        inputs = args
    else:
        inputs = args[:1]
    if not all(isinstance(a, fx.Node) for a in inputs):
        raise FxImportError(f"'{node.name}' ({name}) combines a tensor with a constant "
                            f"({', '.join(repr(a) for a in inputs if not isinstance(a, fx.Node))}); "
                            "canvas layers only combine tensors")
    return kind, inputs, params


# -- groups ---------------------------------------------------------------------------------------


def _is_container(module: nn.Module) -> bool:
    return type(module) in (nn.Sequential, nn.ModuleList)


def _module_path(node: fx.Node) -> list[str]:
    """Module paths enclosing a call, outermost first (for a module call: its own parents)."""
    if node.op == "call_module":
        parts = node.target.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]
    return list((node.meta.get("nn_module_stack") or {}).keys())


def _group_of(root: nn.Module, node: fx.Node) -> tuple[str, str]:
    """(group name, kind) of a call: the outermost block module around it (a BasicBlock, an
    InvertedResidual); inside a plain top-level Sequential, the stage up to the next pooling
    layer (VGG, AlexNet) or the whole Sequential (a classifier head)."""
    paths = _module_path(node)
    if not paths:
        return "", ""
    for path in paths:
        module = root.get_submodule(path)
        if not _is_container(module):
            return path.replace(".", "_"), type(module).__name__
    top = paths[0]
    seq = root.get_submodule(top)
    target = node.target if node.op == "call_module" else paths[-1]
    child = target[len(top) + 1:].split(".")[0]
    names = list(seq._modules)
    pools = [i for i, n in enumerate(names)
             if isinstance(seq._modules[n], (nn.MaxPool2d, nn.AvgPool2d))]
    if not pools or child not in names:
        return top.replace(".", "_"), "Sequential"
    stage = 1 + sum(1 for i in pools if i < names.index(child))
    return f"{top.replace('.', '_')}_stage{stage}", "stage"


# -- the import ------------------------------------------------------------------------------------


def _node_id(name: str, graph: Graph) -> str:
    """The fx name ("layer1_0_conv1") unless Python or PyTorch already uses it."""
    if node_id_problem(name) is None and name not in graph.nodes:
        return name
    return graph.unique_id(f"{name}_layer")


def import_module(module: nn.Module, input_shape: tuple[int, ...]) -> Imported:
    """Trace `module` (one image input, one tensor output) into a grouped, laid-out graph."""
    try:
        traced = fx.symbolic_trace(module)
    except (TraceError, TypeError, RuntimeError, AttributeError, NotImplementedError) as exc:
        # data-dependent control flow, tensor methods on proxies, ...: the model's, not ours
        raise FxImportError(f"torch.fx cannot trace {type(module).__name__}: "
                            f"{str(exc).splitlines()[0]}") from None
    graph = Graph()
    imported = Imported(graph, traced, tuple(input_shape))
    value: dict[str, str] = {}  # fx node name -> graph node id holding that value
    called: dict[str, str] = {}  # module path -> first fx node calling it (weights are shared)
    members: dict[str, list[str]] = {}
    placeholders = [n for n in traced.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise FxImportError(f"{type(module).__name__} takes {len(placeholders)} inputs; the "
                            "import handles networks with one image input")
    for node in traced.graph.nodes:
        if node.op == "placeholder":
            graph.add_node(Node(INPUT_ID, "Input", {"shape": tuple(input_shape)}))
            value[node.name] = INPUT_ID
            continue
        if node.op == "output":
            if not isinstance(node.args[0], fx.Node):
                raise FxImportError("the model returns several values; the import handles "
                                    "networks with one output tensor")
            graph.add_node(Node(OUTPUT_ID, "Output", {"loss": "cross_entropy"}))
            graph.connect(value[node.args[0].name], OUTPUT_ID)
            continue
        if node.op == "call_module":
            sub = traced.get_submodule(node.target)
            if isinstance(sub, PASS_THROUGH):
                value[node.name] = value[node.args[0].name]
                continue
            convert = MODULES.get(type(sub))
            if convert is None:
                raise FxImportError(f"'{node.target}' is a {type(sub).__name__}, which has no "
                                    "canvas layer yet (supported: "
                                    f"{', '.join(sorted({c.__name__ for c in MODULES}))})")
            if any(True for _ in sub.parameters()) and node.target in called:
                raise FxImportError(f"'{node.target}' is used twice with the same weights; the "
                                    "canvas gives every layer its own weights")
            called[node.target] = node.name
            kind, params = convert(sub, node.target)
            inputs = [node.args[0]]
        elif node.op in ("call_function", "call_method"):
            kind, inputs, params = _function_layer(node)
        else:
            raise FxImportError(f"'{node.name}' reads the attribute {node.target!r} directly; "
                                "the import handles calls of layers and functions only")
        _check_params(kind, params, node.name)
        nid = _node_id(node.name, graph)
        group, group_kind = _group_of(module, node)  # the traced copy loses the classes
        graph.add_node(Node(nid, kind, params, group=group))
        srcs = [value[a.name] for a in inputs]
        if len(set(srcs)) != len(srcs):
            raise FxImportError(f"'{node.name}' combines a tensor with itself; a canvas wire "
                                "can join two layers only once")
        for src in srcs:
            graph.connect(src, nid)
        value[node.name] = nid
        if group:
            members.setdefault(group, []).append(nid)
            imported.group_kinds[group] = group_kind
    for group, ids in members.items():  # a group of one layer is no group
        if len(ids) < 2:
            graph.nodes[ids[0]].group = ""
            del imported.group_kinds[group]
    imported.node_of = {n.name: value[n.name] for n in traced.graph.nodes
                        if n.name in value}
    for nid, pos in grouped_positions(graph, (NODE_W, NODE_H)).items():
        graph.nodes[nid].pos = pos
    return imported


def _check_params(kind: str, params: dict, where: str) -> None:
    layer = spec(kind)
    for name, value in params.items():
        problem = layer.param(name).validate(value)
        if problem:
            raise FxImportError(f"'{where}': {problem} for the canvas {kind}")


def torchvision_model(name: str, num_classes: int = 1000, device: str = "meta") -> nn.Module:
    """A torchvision architecture with random (never downloaded) weights, in eval mode."""
    import torchvision

    if name not in TORCHVISION_MODELS:
        raise FxImportError(f"unknown torchvision model '{name}'; known: "
                            f"{', '.join(TORCHVISION_MODELS)}")
    with torch.device(device):
        model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
    return model.eval()


def import_torchvision(name: str, num_classes: int = 1000, input_size: int = 224) -> Imported:
    """Import a torchvision architecture for `input_size` x `input_size` RGB images."""
    if not 16 <= input_size <= 1024:
        raise FxImportError(f"input size {input_size} is outside 16 .. 1024 pixels")
    if not 1 <= num_classes <= 100_000:
        raise FxImportError(f"{num_classes} classes is outside 1 .. 100,000")
    return import_module(torchvision_model(name, num_classes), (3, input_size, input_size))


def real_shapes(imported: Imported) -> dict[str, tuple[int, ...]]:
    """The shape (without batch) of every fx value in a real forward pass, on the meta device.

    fx's ShapeProp runs the traced module itself, so this is what torchvision computes, not
    what our shape inference believes.
    """
    from torch.fx.passes.shape_prop import ShapeProp

    traced = imported.traced
    device = next(traced.parameters()).device
    ShapeProp(traced).propagate(torch.empty((2, *imported.input_shape), device=device))
    return {n.name: tuple(n.meta["tensor_meta"].shape[1:]) for n in traced.graph.nodes
            if n.op != "output" and "tensor_meta" in n.meta}


def copy_weights(source: nn.Module, imported: Imported, model: nn.Module) -> int:
    """Copy the traced module's weights and BatchNorm statistics into a built canvas model
    (submodules named by node id); returns the number of tensors copied."""
    copied = 0
    for node in imported.traced.graph.nodes:
        if node.op != "call_module" or node.name not in imported.node_of:
            continue
        state = source.get_submodule(node.target).state_dict()
        if state:
            model.get_submodule(imported.node_of[node.name]).load_state_dict(state)
            copied += len(state)
    return copied


# -- as a project -------------------------------------------------------------------------------


def torchvision_project(name: str, num_classes: int = 1000, input_size: int = 224,
                        dataset: str = "folder:images"):
    """A new project holding the imported architecture (returns (project, imported))."""
    from app.core.project_io import DataConfig, Project

    imported = import_torchvision(name, num_classes, input_size)
    description = (f"torchvision {name} ({imported.param_count:,} parameters), imported with "
                   f"torch.fx for {input_size}x{input_size} RGB images and {num_classes} "
                   "classes. Point the dataset at an image folder with one subfolder per class.")
    project = Project(graph=imported.graph, data=DataConfig(name=dataset),
                      name=f"{name} (torchvision)", description=description)
    return project, imported
