"""The list of views a training run feeds, in the order of their tabs in the bottom dock.

A new view (a lab view, another plot) is its own file implementing
`widgets.plots.run_view.RunView` plus one entry here.
"""

from __future__ import annotations

from widgets.plots.confusion import ResultsView
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.run_view import ViewSpec
from widgets.plots.weights import WeightsView

VIEWS: list[ViewSpec] = [
    ViewSpec("Curves", CurvesView, "Loss and accuracy of this and earlier runs"),
    ViewSpec("Feature maps", FeatureMapsView,
             "What the low, mid and high layers respond to in one image", replay=True),
    ViewSpec("Weights", WeightsView,
             "Weight and gradient histograms over time, and first-layer filters", replay=True),
    ViewSpec("Results", ResultsView, "Confusion matrix and misclassified images per epoch"),
]
