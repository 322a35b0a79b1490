"""The lab views, in the order of their tabs and of the Lab menu. A new lab view is its own
file in widgets/lab/ plus one entry here (with a `key` for the screenshot command).

Titles and tooltips stay English in the specs (code and tests find views by them); they are
marked for translation in the "LabView" context and shown through `shown_title` and
`shown_tooltip`, which give the UI language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from widgets.lab.adversarial import AdversarialView
from widgets.lab.augmentation import AugmentationView
from widgets.lab.bias import BiasView
from widgets.lab.channels import ChannelsView
from widgets.lab.landscape import LandscapeView
from widgets.lab.lstm import LSTMView
from widgets.lab.overfitting import OverfittingView
from widgets.lab.playground import PlaygroundView
from widgets.lab.saliency import SaliencyView
from widgets.lab.transfer import TransferView
from widgets.lab.translation import TranslationView
from widgets.plots.run_view import ViewSpec

LAB_VIEWS: list[ViewSpec] = [
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Augmentation"), AugmentationView,
             QT_TRANSLATE_NOOP("LabView", "One sample under each augmentation the trainer "
                               "uses, with strengths and the switches for the next run"),
             key="augmentation"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Playground"), PlaygroundView,
             QT_TRANSLATE_NOOP("LabView", "Decision boundary and hidden neurons of a network "
                               "on a 2-D dataset, with noise and validation-share controls"),
             replay=True, key="playground"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Overfitting twins"), OverfittingView,
             QT_TRANSLATE_NOOP("LabView", "Two runs from identical weights on a small "
                               "subset, one regularised: watch the generalisation gap"),
             key="overfitting"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Channels"), ChannelsView,
             QT_TRANSLATE_NOOP("LabView", "For channels of a low, mid and high layer: the "
                               "input that excites each most, next to the training images "
                               "that do"),
             key="channels"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Loss landscape"), LandscapeView,
             QT_TRANSLATE_NOOP("LabView", "The loss around the trained weights, the run's "
                               "path through it, and SGD / momentum / Adam racing at a chosen "
                               "learning rate"),
             replay=True, key="landscape"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Translation"), TranslationView,
             QT_TRANSLATE_NOOP("LabView", "A sequence-to-sequence LSTM's German for English "
                               "number phrases it never saw, with token and exact-match "
                               "accuracy and a phrase to type"),
             replay=True, key="translation"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Inside the LSTM"), LSTMView,
             QT_TRANSLATE_NOOP("LabView", "Hidden state, cell state and the input, forget "
                               "and output gates of an LSTM at every step of a chosen or "
                               "typed input, next to the model's answer"),
             replay=True, key="lstm"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Adversarial examples"), AdversarialView,
             QT_TRANSLATE_NOOP("LabView", "FGSM and PGD attacks on a validation image with "
                               "an ε slider, accuracy and feature change against ε, and "
                               "adversarial training"),
             key="adversarial"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Saliency"), SaliencyView,
             QT_TRANSLATE_NOOP("LabView", "Gradient, SmoothGrad and Grad-CAM maps of a "
                               "validation image, and a drawing pad the network classifies "
                               "while you draw"),
             key="saliency"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Bias and shortcuts"), BiasView,
             QT_TRANSLATE_NOOP("LabView", "Train on shapes whose corner mark names the "
                               "class in a share you set, then test on fair images: training "
                               "vs fair accuracy, per-group table and where the network "
                               "looked"),
             key="bias"),
    ViewSpec(QT_TRANSLATE_NOOP("LabView", "Transfer learning"), TransferView,
             QT_TRANSLATE_NOOP("LabView", "Fine-tune from an earlier run's weights vs train "
                               "from scratch on a few images of a new dataset: both curves "
                               "and how far each layer moved (padlock: frozen)"),
             key="transfer"),
]


def shown_title(spec: ViewSpec) -> str:
    """A view's title as its tab and menu entry show it: in the UI language."""
    return QCoreApplication.translate("LabView", spec.title)


def shown_tooltip(spec: ViewSpec) -> str:
    """A view's tooltip in the UI language ("" stays "")."""
    return QCoreApplication.translate("LabView", spec.tooltip) if spec.tooltip else ""
