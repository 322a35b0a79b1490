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
from app.core.shapes import Fix, Issue, ShapeReport, apply_fix, check_data_fit, infer
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
    cfg = cfg.resolved()  # relative folders point from the project file, not the cwd
    try:
        return datasets.load(cfg.name, data_dir=cfg.data_dir, n_train=cfg.n_train,
                             n_val=cfg.n_val, seed=seed, download=cfg.download,
                             progress=progress, noise=cfg.noise,
                             val_fraction=cfg.val_fraction, sample=cfg.sample)
    except DatasetError as exc:
        raise SetupError(str(exc)) from None


def head_fixes(graph: Graph, input_shape: tuple[int, ...], num_classes: int,
               task: str = "classification", target_shape: tuple[int, ...] = ()) -> list[Fix]:
    """Fixes that resize the classifier head to a dataset's classes (e.g. 10 -> 8 outputs).

    Used when the user explicitly switches a network to another dataset; the input shape is
    never adapted silently, because that changes what the network means.
    """
    report = infer(graph)
    return [i.fix for i in check_data_fit(graph, report, input_shape, num_classes, task,
                                          target_shape=target_shape)
            if i.fix is not None and i.fix.kind == "set_param"
            and graph.nodes[i.fix.node_id].type != "Input"]


def dataset_fit(graph: Graph, report: ShapeReport, dataset: str) -> tuple[list[Issue], str]:
    """`check_data_fit` against a dataset's metadata, without loading any data.

    Returns the issues and a note for what could not be checked (an image folder's shape is
    only known once it is read).
    """
    if dataset.startswith(datasets.FOLDER_PREFIX):
        return [], (f"the image folder '{dataset[len(datasets.FOLDER_PREFIX):]}' is checked "
                    "against the network when training starts")
    info = datasets.DATASETS.get(dataset)
    if info is None:
        return [Issue(None, f"unknown dataset '{dataset}': choose one of "
                            f"{', '.join(datasets.DATASETS)} or {datasets.FOLDER_PREFIX}PATH")], ""
    return check_data_fit(graph, report, info.input_shape, info.num_classes,
                          input_dtype=info.input_dtype, target_shape=info.target_shape), ""


def fit_head(graph: Graph, data: DataBundle) -> list[Fix]:
    """Resize the head of a plain graph to `data`'s classes; returns the fixes applied."""
    fixes = head_fixes(graph, data.input_shape, data.num_classes, data.task, data.target_shape)
    for fix in fixes:
        apply_fix(graph, fix)
    return fixes


def prepare_model(graph: Graph, data: DataBundle, seed: int) -> GraphModel:
    """Build the network after checking everything its training needs from the dataset."""
    report = infer(graph, None)
    if not report.ok:
        raise SetupError(str(BuildError(report)))
    problems = check_data_fit(graph, report, data.input_shape, data.num_classes, data.task,
                              data.input_dtype, data.target_shape)
    if problems:
        raise SetupError("the network does not fit the dataset "
                         f"'{data.name}':\n" + "\n".join(f"- {p.message}" for p in problems))
    return build(graph, seed=seed, report=report)


def prepare(project: Project, data: DataBundle | None = None,
            progress: Callable[[int, int], None] | None = None) -> Prepared:
    config = replace(project.training, augment=project.data.augment)
    bundle = data if data is not None else load_data(project.data, config.seed, progress)
    model = prepare_model(project.graph, bundle, config.seed)
    return Prepared(model, bundle, config, model.losses[model.output_ids[0]])
