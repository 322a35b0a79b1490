"""From a project to a ready-to-train (model, data, config): shared by the CLI, GUI and bench.

Everything that can go wrong before the first batch (unknown dataset, missing files, a network
that does not fit the data) is turned into one `SetupError` with a message that names the
problem and its fix, so every front end reports it the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.core import datasets
from app.core.builder import BuildError, GraphModel, build
from app.core.datasets import DataBundle, DatasetError
from app.core.graph import Graph
from app.core.project_io import DataConfig, Project
from app.core.shapes import Fix, apply_fix, check_data_fit, infer
from app.core.trainer import TrainConfig


class SetupError(ValueError):
    """The run cannot start; the message is meant for the user as it is."""


@dataclass
class Prepared:
    model: GraphModel
    data: DataBundle
    config: TrainConfig
    loss: str


def load_data(cfg: DataConfig, seed: int = 0,
              progress: Callable[[int, int], None] | None = None) -> DataBundle:
    try:
        return datasets.load(cfg.name, data_dir=cfg.data_dir, n_train=cfg.n_train,
                             n_val=cfg.n_val, seed=seed, download=cfg.download,
                             progress=progress)
    except DatasetError as exc:
        raise SetupError(str(exc)) from None


def head_fixes(graph: Graph, input_shape: tuple[int, ...], num_classes: int,
               task: str = "classification") -> list[Fix]:
    """Fixes that resize the classifier head to a dataset's classes (e.g. 10 -> 8 outputs).

    Used when the user explicitly switches a network to another dataset; the input shape is
    never adapted silently, because that changes what the network means.
    """
    report = infer(graph)
    return [i.fix for i in check_data_fit(graph, report, input_shape, num_classes, task)
            if i.fix is not None and i.fix.param == "out_features"]


def fit_head(graph: Graph, data: DataBundle) -> list[Fix]:
    """Resize the head of a plain graph to `data`'s classes; returns the fixes applied."""
    fixes = head_fixes(graph, data.input_shape, data.num_classes, data.task)
    for fix in fixes:
        apply_fix(graph, fix)
    return fixes


def prepare_model(graph: Graph, data: DataBundle, seed: int) -> GraphModel:
    """Build the network after checking it against the dataset's input shape and classes."""
    report = infer(graph, None)
    if not report.ok:
        raise SetupError(str(BuildError(report)))
    problems = check_data_fit(graph, report, data.input_shape, data.num_classes, data.task)
    if problems:
        raise SetupError("the network does not fit the dataset "
                         f"'{data.name}':\n" + "\n".join(f"- {p.message}" for p in problems))
    model = build(graph, seed=seed, report=report)
    if len(model.input_ids) != 1 or len(model.output_ids) != 1:
        raise SetupError("training needs exactly one Input and one Output layer "
                         f"(this network has {len(model.input_ids)} and "
                         f"{len(model.output_ids)})")
    return model


def prepare(project: Project, data: DataBundle | None = None,
            progress: Callable[[int, int], None] | None = None) -> Prepared:
    config = replace(project.training, augment=project.data.augment)
    bundle = data if data is not None else load_data(project.data, config.seed, progress)
    model = prepare_model(project.graph, bundle, config.seed)
    return Prepared(model, bundle, config, model.losses[model.output_ids[0]])
