"""Graph document -> one honest `nn.Module`.

The builder emits a `torch.fx.GraphModule`: its generated `forward` calls the layers in
topological order with no per-call dictionary lookups, so a built LeNet runs as fast as a
hand-written one, and the same fx graph can later be printed as a PyTorch script. Every layer is
a submodule named exactly like its node, so probes find `model.get_submodule("conv1")`.
"""

from __future__ import annotations

import torch
from torch import fx, nn

from app.core.catalog import PlaneFeatures, full_params, spec
from app.core.graph import Graph
from app.core.shapes import ShapeReport, infer


class BuildError(ValueError):
    """The graph cannot become a model; the message lists every blocking issue."""

    def __init__(self, report: ShapeReport):
        self.report = report
        lines = [f"- {i.message}" for i in report.errors]
        super().__init__("the network cannot be built:\n" + "\n".join(lines))


class GraphModel(fx.GraphModule):
    """A GraphModule that remembers which nodes are inputs and outputs and their losses."""

    input_ids: tuple[str, ...]
    output_ids: tuple[str, ...]
    losses: dict[str, str]
    input_dtypes: dict[str, str]
    frozen_ids: tuple[str, ...] = ()

    def train(self, mode: bool = True) -> GraphModel:
        """Frozen layers stay in eval mode, so BatchNorm keeps its running statistics and a
        frozen layer is bit-for-bit what it was (Dropout in them is off as well)."""
        super().train(mode)
        for nid in self.frozen_ids:
            self.get_submodule(nid).eval()
        return self


def build(graph: Graph, seed: int | None = 0, report: ShapeReport | None = None) -> GraphModel:
    """Build the model; the same graph and seed always give identical initial weights."""
    report = report or infer(graph)
    if not report.ok:
        raise BuildError(report)
    keep = graph.upstream([n.id for n in graph.nodes_of_type("Output")], inclusive=True)
    order = [nid for nid in graph.topo_order() if nid in keep]
    modules: dict[str, nn.Module] = {}
    fx_graph = fx.Graph()
    values: dict[str, fx.Node] = {}
    input_ids = tuple(n.id for n in graph.nodes_of_type("Input") if n.id in keep)
    for nid in input_ids:  # placeholders first, so forward(*inputs) follows document order
        values[nid] = fx_graph.placeholder(nid)
    with torch.random.fork_rng(devices=[], enabled=seed is not None):
        if seed is not None:
            torch.manual_seed(seed)
        for nid in order:
            node = graph.nodes[nid]
            if node.type == "Input":
                if full_params("Input", node.params)["features"]:  # named like its node
                    modules[nid] = PlaneFeatures()
                    values[nid] = fx_graph.call_module(nid, (values[nid],))
                continue
            shape_info = report.nodes[nid]
            modules[nid] = spec(node.type).factory(full_params(node.type, node.params),
                                                   shape_info.in_shapes)
            args = tuple(values[p] for p in graph.inputs_of(nid))
            values[nid] = fx_graph.call_module(nid, args)
    # Heads and inputs keep the document's order, not the (branch-dependent) topological one.
    output_ids = tuple(n.id for n in graph.nodes_of_type("Output"))
    outs = [values[o] for o in output_ids]
    fx_graph.output(outs[0] if len(outs) == 1 else tuple(outs))
    model = GraphModel(modules, fx_graph, class_name="NetzwerkstattModel")
    model.input_ids = input_ids
    model.output_ids = output_ids
    model.losses = {o: full_params("Output", graph.nodes[o].params)["loss"] for o in output_ids}
    model.input_dtypes = {
        i: full_params("Input", graph.nodes[i].params)["dtype"] for i in model.input_ids
    }
    # Frozen layers take no gradient (the trainer leaves them out of the optimizer).
    model.frozen_ids = tuple(nid for nid in order if graph.nodes[nid].frozen and nid in modules)
    for nid in model.frozen_ids:
        model.get_submodule(nid).requires_grad_(False)
    model.train()
    return model
