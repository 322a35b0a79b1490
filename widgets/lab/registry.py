"""The lab views, in the order of their tabs and of the Lab menu. A new lab view is its own
file in widgets/lab/ plus one entry here (with a `key` for the screenshot command)."""

from __future__ import annotations

from widgets.lab.augmentation import AugmentationView
from widgets.lab.channels import ChannelsView
from widgets.lab.landscape import LandscapeView
from widgets.lab.overfitting import OverfittingView
from widgets.lab.playground import PlaygroundView
from widgets.plots.run_view import ViewSpec

LAB_VIEWS: list[ViewSpec] = [
    ViewSpec("Augmentation", AugmentationView, "One sample under each augmentation the trainer "
             "uses, with strengths and the switches for the next run", key="augmentation"),
    ViewSpec("Playground", PlaygroundView, "Decision boundary and hidden neurons of a network "
             "on a 2-D dataset, with noise and validation-share controls", replay=True,
             key="playground"),
    ViewSpec("Overfitting twins", OverfittingView, "Two runs from identical weights on a small "
             "subset, one regularised: watch the generalisation gap", key="overfitting"),
    ViewSpec("Channels", ChannelsView, "For channels of a low, mid and high layer: the "
             "input that excites each most, next to the training images that do",
             key="channels"),
    ViewSpec("Loss landscape", LandscapeView, "The loss around the trained weights, the "
             "run's path through it, and SGD / momentum / Adam racing at a chosen learning "
             "rate", replay=True, key="landscape"),
]
