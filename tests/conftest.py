"""Whole-suite settings: Qt renders offscreen, app settings live in a temporary home."""

import os

import pytest
import torch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read English texts: a German desktop must not switch the app (app.i18n) to German.
os.environ["LANGUAGE"] = "en"


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny networks train fastest on one thread, and the second core stays free for the GUI
    thread and for other jobs on a small CI machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
