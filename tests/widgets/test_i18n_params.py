"""Layer parameters in the inspector read German in a German UI, with the PyTorch argument in
the tooltip; every parameter of the catalog has a marked label."""

from __future__ import annotations

from app.core.catalog import CATALOG
from widgets.catalog_text import PARAM_LABELS


def test_every_catalog_parameter_label_is_marked_for_translation():
    labels = {p.label or p.name.replace("_", " ") for s in CATALOG.values() for p in s.params}
    assert labels <= set(PARAM_LABELS), sorted(labels - set(PARAM_LABELS))


def test_conv_parameters_read_german_with_the_pytorch_name_in_the_tooltip(german, window,
                                                                            qtbot):
    window.scene.select_nodes(["conv1"])
    form = window.inspector.layer.form
    rows = {form.itemAt(i, form.ItemRole.LabelRole).widget().text():
            form.itemAt(i, form.ItemRole.LabelRole).widget()
            for i in range(form.rowCount())
            if form.itemAt(i, form.ItemRole.LabelRole) is not None}
    assert {"Ausgabekanäle", "Kerngröße", "Schrittweite", "Auffüllung"} <= set(rows)
    assert "PyTorch-Argument: kernel_size" in rows["Kerngröße"].toolTip()
