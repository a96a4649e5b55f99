"""The package surface: lazy exports resolve to what they name, and TensorFlow starts quietly."""

import subprocess
import sys

import kw2v


def _python(code):
    """Run ``code`` in a fresh interpreter (import state is per process); return it finished."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


def test_every_export_resolves_to_the_name_it_promises():
    for name in kw2v.__all__:
        value = getattr(kw2v, name)
        assert getattr(value, "__name__", name) == name, f"kw2v.{name} is {value!r}"


def test_train_stays_the_function_whatever_is_imported_first():
    # Importing a submodule binds it as an attribute of the package; a module named like a
    # function it exports (kw2v/train.py holding train) made kw2v.train the module.
    done = _python(
        "import kw2v, kw2v.training, kw2v.cli\n"
        "kw2v.NeighborsCallback\n"
        "assert callable(kw2v.train) and kw2v.train.__name__ == 'train', kw2v.train\n"
    )
    assert done.returncode == 0, done.stderr


def test_import_tensorflow_keeps_start_up_lines_off_stderr():
    done = _python(
        "import kw2v\n"
        "tf = kw2v.import_tensorflow()\n"
        "assert tf is kw2v.import_tensorflow() and hasattr(tf, 'constant')\n"
        "print(tf.__version__)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and done.stderr == ""
