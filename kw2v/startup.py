"""Starting TensorFlow quietly, for the command line and the notebooks' setup cells."""

from __future__ import annotations

import os
import sys
from types import ModuleType


def import_tensorflow() -> ModuleType:
    """Import TensorFlow with C-level stderr muted while it loads; return the module.

    TensorFlow 2.21 prints absl start-up lines ("Could not find cuda drivers ...") straight to
    file descriptor 2, ignoring ``TF_CPP_MIN_LOG_LEVEL`` (tensorflow/tensorflow#100442), and
    Jupyter shows them under the cell. Device probing logs too, so it runs muted as well.
    Python exceptions still propagate; once TensorFlow is loaded this is a plain import.
    Introduced in notebook 00 (the setup cell).
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import tensorflow as tf

            tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tf


PLOT_STYLE = {
    "figure.figsize": (7, 4.2),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
}


def setup_notebook(seed: int = 0):
    """Prepare a course notebook in one call; return a NumPy generator seeded with ``seed``.

    Loads TensorFlow quietly, checks that Keras is Keras 3,
    prints them, draws plots inline in the course's style, and seeds Python, NumPy and
    TensorFlow through ``keras.utils.set_random_seed``. Every notebook's setup cell calls it,
    so the setup is written once. Introduced in notebook 00.

    Parameters
    ----------
    seed : int
        The seed for Keras, NumPy and Python's ``random``, and for the returned generator.

    Returns
    -------
    numpy.random.Generator
    """
    import platform

    tf = import_tensorflow()
    import keras
    import matplotlib.pyplot as plt
    import numpy as np

    import kw2v

    if int(keras.__version__.split(".")[0]) < 3:
        raise RuntimeError(f"this course needs Keras 3, found {keras.__version__}")
    print(
        f"python {platform.python_version()} | tensorflow {tf.__version__} | "
        f"keras {keras.__version__} | kw2v {kw2v.__version__}"
    )
    try:
        ipython = get_ipython()  # noqa: F821 -- defined inside IPython and Jupyter only
    except NameError:
        ipython = None
    if ipython is not None:
        ipython.run_line_magic("matplotlib", "inline")
    plt.rcParams.update(PLOT_STYLE)
    keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)
