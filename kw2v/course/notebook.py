"""The set-up cell of every course notebook: versions, plot style, seeds, in one call."""

from __future__ import annotations

from kw2v.backend import tensorflow_if_installed
from kw2v.plot import PLOT_STYLE

__all__ = ["setup_notebook"]


def setup_notebook(seed: int = 0):
    """Prepare a course notebook in one call; return a NumPy generator seeded with ``seed``.

    Loads TensorFlow quietly (when it is installed), checks that Keras is Keras 3,
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

    tf = tensorflow_if_installed()  # None with Keras on another backend: the rest still runs
    tf_version = tf.__version__ if tf is not None else "not installed"
    import keras
    import matplotlib.pyplot as plt
    import numpy as np

    import kw2v

    if int(keras.__version__.split(".")[0]) < 3:
        raise RuntimeError(f"this course needs Keras 3, found {keras.__version__}")
    print(
        f"python {platform.python_version()} | tensorflow {tf_version} | "
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
