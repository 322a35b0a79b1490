"""The open project as a Qt object: the graph, its undo history and its current shape report.

The graph here is the single source of truth of the editor. Canvas items, the inspector and
the status bar only mirror it through the signals below, and every user edit reaches it
through an undo command (`app.commands`) that calls the primitive mutators of this class.
Shapes are re-inferred after every structural change, so an invalid network is just a
report with issues, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtGui import QUndoStack

from app.core import project_io, weights
from app.core.builder import BuildError
from app.core.catalog import spec
from app.core.graph import Edge, Graph, Node
from app.core.project_io import Project
from app.core.shapes import ShapeReport, infer
from app.core.weights import Trained

UNTITLED = QT_TRANSLATE_NOOP("Document", "Untitled")  # shown through self.tr
SETTING_SECTIONS = ("data", "augment", "training")


class Document(QObject):
    """One project open in a window."""

    nodeAdded = Signal(str)
    nodeRemoved = Signal(str)
    nodeChanged = Signal(str)  # type or params changed
    nodeMoved = Signal(str)
    nodeRenamed = Signal(str, str)  # old id, new id
    edgeAdded = Signal(str, str)
    edgeRemoved = Signal(str, str)
    graphReset = Signal()  # a whole new graph was loaded: rebuild every view
    shapesChanged = Signal(object)  # ShapeReport
    titleChanged = Signal(str)
    pathChanged = Signal(str)
    settingsChanged = Signal(str)  # "data", "augment" or "training": run settings changed
    trainedChanged = Signal()  # trained weights kept, dropped or restored
    frozenChanged = Signal(str)  # a layer was frozen or unfrozen (node id)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.graph = Graph()
        self.project = Project()  # data/training settings; its .graph is not used while open
        self.path: Path | None = None
        self.report: ShapeReport = infer(self.graph)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._batch_depth = 0
        self._shapes_stale = False
        self.trained: Trained | None = None  # a run's weights, kept with the project
        self.load_warning = ""  # why the last open came without its weights ("" if it did not)
        self._weights_on_disk: tuple[Trained, Path] | None = None  # skips rewriting on save

    # -- project level ------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.project.name or self.tr(UNTITLED)

    def _clean_changed(self, _clean: bool) -> None:
        self.titleChanged.emit(self.title())

    def title(self) -> str:
        return f"{self.display_name()}{'*' if self.dirty else ''} — Netzwerkstatt"

    def load(self, project: Project, path: str | Path | None = None, *, dirty: bool = False) -> None:
        """Replace everything with `project`; the undo history starts afresh."""
        graph = project.graph.copy()
        report = infer(graph)  # before any state changes: a failure leaves the old project
        self.project = project
        self.graph = graph
        self.path = Path(path) if path is not None else None
        self.undo_stack.clear()
        self.trained, self.load_warning, self._weights_on_disk = None, "", None
        if dirty:
            # A recovered autosave differs from the file on disk: mark it unsaved.
            self.undo_stack.resetClean()
        self.report = report
        self.graphReset.emit()
        self.shapesChanged.emit(self.report)
        self.trainedChanged.emit()
        for section in SETTING_SECTIONS:
            self.settingsChanged.emit(section)
        self.pathChanged.emit(str(self.path or ""))
        self.titleChanged.emit(self.title())

    def open(self, path: str | Path) -> None:
        """Load a project file; raises project_io.ProjectError with a readable message.

        Weights that are missing, damaged or do not fit the network never fail the open: the
        project comes without them and `load_warning` says why.
        """
        project = project_io.load(path)
        trained, warning = None, " ".join(project.notes)  # settings left out for safety
        if project.weights is not None:
            try:
                trained = weights.restore(Path(path), project.weights, project.graph)
            except (weights.WeightsError, BuildError) as exc:
                warning = " ".join(filter(None, (warning, self.tr(
                    "Opened without the trained weights: {error}").format(error=exc))))
        self.load(project, path)
        self.load_warning = warning
        if trained is not None:
            self._weights_on_disk = (trained, project.weights.path_beside(Path(path)))
            self.set_trained(trained)

    def to_project(self) -> Project:
        """A snapshot of the current state, safe to hand to another thread or to save."""
        p = self.project
        return Project(self.graph.copy(), p.data, p.training, name=p.name,
                       description=p.description)

    def save(self, path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no file name given for an untitled project")
        # Relative data folders keep pointing at the same place from the new file's folder;
        # a run log folder inside it is saved relative, so the file may name it (see
        # project_io.escapes_folder: a project file never sends logs elsewhere).
        self.project.data = self.project.data.rebased(target.parent)
        self.project.training = project_io.log_dir_for(self.project.training, target.parent)
        project = self.to_project()
        if self.trained is not None:  # weights first: the project never points to a missing file
            project.weights = weights.WeightsRef(weights.default_file_name(target),
                                                 self.trained.info)
            file = project.weights.path_beside(target)
            if self._weights_on_disk != (self.trained, file) or not file.exists():
                weights.save(file, self.trained)
                self._weights_on_disk = (self.trained, file)
        project_io.save(target, project)
        self.path = target
        self.undo_stack.setClean()
        self.pathChanged.emit(str(target))
        self.titleChanged.emit(self.title())
        return target

    # -- queries ------------------------------------------------------------------------------
    def trained_matches(self) -> bool:
        """True when the kept weights were trained on the network as it is now."""
        return (self.trained is not None
                and self.trained.fingerprint == weights.graph_fingerprint(self.graph))

    def connect_problem(self, src: str, dst: str) -> str | None:
        """Why a wire src -> dst may not be drawn, or None when it may."""
        g = self.graph
        if src not in g.nodes or dst not in g.nodes:
            return self.tr("unknown layer")
        if src == dst:
            return self.tr("a layer cannot feed itself")
        if not spec(g.nodes[src].type).has_output:
            return self.tr("'{layer}' has no output").format(layer=src)
        max_in = spec(g.nodes[dst].type).max_inputs
        if max_in == 0:
            return self.tr("'{layer}' takes no input").format(layer=dst)
        if Edge(src, dst) in g.edges:
            return self.tr("'{source}' is already wired to '{target}'").format(source=src,
                                                                              target=dst)
        if self._reaches(dst, src):
            return self.tr("this wire would create a loop; networks must flow forward")
        if max_in is not None and len(g.inputs_of(dst)) >= max_in:
            return self.tr("the input of '{layer}' is already taken (use Add or Concat to "
                           "merge)").format(layer=dst)
        return None

    def _reaches(self, start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n == goal:
                return True
            if n not in seen:
                seen.add(n)
                todo.extend(self.graph.outputs_of(n))
        return False

    # -- primitive mutators: only undo commands call these --------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """Re-infer shapes once after several primitive edits (one command, one inference)."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._shapes_stale:
                self._reinfer()

    def add_node(self, node: Node) -> None:
        self.graph.add_node(node)
        self.nodeAdded.emit(node.id)
        self._structure_changed()

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[int, Edge]]]:
        edges = [e for e in self.graph.edges if node_id in (e.src, e.dst)]
        for e in edges:
            self.edgeRemoved.emit(e.src, e.dst)
        node, removed = self.graph.remove_node(node_id)
        self.nodeRemoved.emit(node_id)
        self._structure_changed()
        return node, removed

    def connect(self, src: str, dst: str, index: int | None = None) -> None:
        self.graph.connect(src, dst, index)
        self.edgeAdded.emit(src, dst)
        self._structure_changed()

    def disconnect(self, src: str, dst: str) -> int:
        index = self.graph.disconnect(src, dst)
        self.edgeRemoved.emit(src, dst)
        self._structure_changed()
        return index

    def set_pos(self, node_id: str, pos: tuple[float, float]) -> None:
        self.graph.nodes[node_id].pos = (float(pos[0]), float(pos[1]))
        self.nodeMoved.emit(node_id)  # positions never change shapes: no re-inference

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        """Set a parameter; `value` None removes it so the catalog default applies."""
        params = self.graph.nodes[node_id].params
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
        self.nodeChanged.emit(node_id)
        self._structure_changed()

    def set_frozen(self, node_id: str, frozen: bool) -> None:
        """Freeze or unfreeze a layer; shapes do not change, so there is no re-inference."""
        self.graph.nodes[node_id].frozen = bool(frozen)
        self.frozenChanged.emit(node_id)

    def settings(self, section: str) -> Any:
        """The project's DataConfig, AugmentConfig or TrainConfig (`section` as in SETTING_SECTIONS)."""
        if section == "augment":
            return self.project.data.augment
        if section not in SETTING_SECTIONS:
            raise KeyError(f"unknown settings section '{section}'")
        return getattr(self.project, section)

    def set_settings(self, section: str, values: dict[str, Any]) -> dict[str, Any]:
        """Change run settings (dataset, learning rate, ...); returns the old values for undo.

        The config objects are replaced, never mutated, so a snapshot taken by `to_project`
        or handed to a run keeps the values it had.
        """
        current = self.settings(section)
        old = {key: getattr(current, key) for key in values}
        new = replace(current, **values)
        if section == "augment":
            self.project.data = replace(self.project.data, augment=new)
        else:
            setattr(self.project, section, new)
        self.settingsChanged.emit(section)
        return old

    def set_trained(self, trained: Trained | None) -> None:
        """Keep (or with None drop) a run's weights; only commands.KeepTrained calls this."""
        self.trained = trained
        self.trainedChanged.emit()

    def rename(self, old: str, new: str) -> None:
        self.graph.rename(old, new)
        self.nodeRenamed.emit(old, new)
        self._structure_changed()

    def replace_graph(self, graph: Graph) -> None:
        """Switch to `graph`, emitting only the differences (used by fixes and bulk edits)."""
        old = self.graph
        new_edges = set(graph.edges)
        with self.batch():
            for e in list(old.edges):
                if e not in new_edges or e.src not in graph.nodes or e.dst not in graph.nodes:
                    self.edgeRemoved.emit(e.src, e.dst)
            old_nodes = old.nodes
            self.graph = graph
            for nid in old_nodes:
                if nid not in graph.nodes:
                    self.nodeRemoved.emit(nid)
            for nid, node in graph.nodes.items():
                before = old_nodes.get(nid)
                if before is None:
                    self.nodeAdded.emit(nid)
                    continue
                if (before.type, before.params) != (node.type, node.params):
                    self.nodeChanged.emit(nid)
                if before.pos != node.pos:
                    self.nodeMoved.emit(nid)
                if before.frozen != node.frozen:
                    self.frozenChanged.emit(nid)
            old_edges = set(old.edges)
            for e in graph.edges:
                if e not in old_edges or e.src not in old_nodes or e.dst not in old_nodes:
                    self.edgeAdded.emit(e.src, e.dst)
            self._structure_changed()

    def _structure_changed(self) -> None:
        self._shapes_stale = True
        if self._batch_depth == 0:
            self._reinfer()

    def _reinfer(self) -> None:
        self._shapes_stale = False
        self.report = infer(self.graph)
        self.shapesChanged.emit(self.report)
