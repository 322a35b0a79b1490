"""The lab views, in the order of their tabs and of the Lab menu. A new lab view is its own
file in widgets/lab/ plus one entry here (with a `key` for the screenshot command)."""

from __future__ import annotations

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
    ViewSpec("Translation", TranslationView, "A sequence-to-sequence LSTM's German for "
             "English number phrases it never saw, with token and exact-match accuracy and a "
             "phrase to type", replay=True, key="translation"),
    ViewSpec("Inside the LSTM", LSTMView, "Hidden state, cell state and the input, forget "
             "and output gates of an LSTM at every step of a chosen or typed input, next to "
             "the model's answer", replay=True, key="lstm"),
    ViewSpec("Adversarial examples", AdversarialView, "FGSM and PGD attacks on a validation "
             "image with an ε slider, accuracy and feature change against ε, and adversarial "
             "training", key="adversarial"),
    ViewSpec("Saliency", SaliencyView, "Gradient, SmoothGrad and Grad-CAM maps of a "
             "validation image, and a drawing pad the network classifies while you draw",
             key="saliency"),
    ViewSpec("Bias and shortcuts", BiasView, "Train on shapes whose corner mark names the "
             "class in a share you set, then test on fair images: training vs fair accuracy, "
             "per-group table and where the network looked", key="bias"),
    ViewSpec("Transfer learning", TransferView, "Fine-tune from an earlier run's weights vs "
             "train from scratch on a few images of a new dataset: both curves and how far "
             "each layer moved (padlock: frozen)", key="transfer"),
]
