"""The list of views a training run feeds, and which of them share the Dashboard tab.

A new view (a lab view, another plot) is its own file implementing
`widgets.plots.run_view.RunView` plus one entry here. Titles stay English (they are the keys
of `DASHBOARD` and `panel.view`); they and the tooltips are marked in the "RunViews" context and
shown translated by `widgets.training_dock.view_title`.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from widgets.plots.confusion import ResultsView
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.run_view import ViewSpec
from widgets.plots.weights import WeightsView

VIEWS: list[ViewSpec] = [
    ViewSpec(QT_TRANSLATE_NOOP("RunViews", "Curves"), CurvesView,
             QT_TRANSLATE_NOOP("RunViews", "Loss and accuracy of this and earlier runs")),
    ViewSpec(QT_TRANSLATE_NOOP("RunViews", "Feature maps"), FeatureMapsView,
             QT_TRANSLATE_NOOP("RunViews", "What the low, mid and high layers respond to in "
                               "one image"), replay=True),
    ViewSpec(QT_TRANSLATE_NOOP("RunViews", "Weights"), WeightsView,
             QT_TRANSLATE_NOOP("RunViews", "Weight and gradient histograms over time, and "
                               "first-layer filters"), replay=True),
    ViewSpec(QT_TRANSLATE_NOOP("RunViews", "Results"), ResultsView,
             QT_TRANSLATE_NOOP("RunViews", "Confusion matrix and misclassified images per "
                               "epoch")),
]

# Rows of the Dashboard tab (`widgets.dashboard`), by view title: the views a learner watches
# together while a run goes on. The other views keep a tab of their own.
DASHBOARD: list[list[str]] = [["Curves", "Feature maps"], ["Weights"]]
