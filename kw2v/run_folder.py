"""The run folder: everything :func:`kw2v.train` keeps in ``--out``, and reading it back.

``OUT`` holds, once a run is complete, ``vectors.bin`` (word2vec binary), ``vocab.tsv``,
``run.json`` (options, timing, loss history) and ``model.keras`` (:func:`save_run`, read back
with :func:`load_run`, :func:`load_model` and, for the command line, :func:`load_vectors`).

While a run trains, it holds ``OUT/.kw2v.lock`` (:func:`lock_run_folder`), so a second run
into the same folder is refused at once instead of writing over the first; the operating
system releases the lock when the process ends, however it ends, so a killed run never blocks
its own resume. And it keeps a checkpoint in ``OUT/backup/``, so a stopped run resumes where it
stopped:

``state.json``
    the options, how many epochs are done, the loss history and the seconds spent so far;
``vocab.tsv``
    the vocabulary, so a resumed run numbers the words exactly as the stopped one did;
``epoch-N.weights.h5``
    the model and optimizer state after epoch ``N`` (only the latest is kept).

Every file is written atomically (:func:`kw2v.files.atomic_path`), the weights before the
``state.json`` that names them, so a kill at any moment leaves a consistent backup and at most
the current epoch is lost. Run the same command again and training continues from the last
finished epoch; when the run completes, ``OUT/backup/`` is removed.

This module does not import TensorFlow until a model is involved, so the command line can
check the output folder, its lock and a stopped run's options before TensorFlow loads.
Introduced in notebook 04.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kw2v.config import TrainConfig, flag_of, may_change_on_resume
from kw2v.errors import Kw2vError
from kw2v.files import atomic_path, atomic_write
from kw2v.vectors import WordVectors

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not protected from each other
    fcntl = None

if TYPE_CHECKING:
    import keras

    from kw2v.vocab import Vocabulary

LOCK_FILE = ".kw2v.lock"
BACKUP_DIR = "backup"
STATE_FILE = "state.json"
VOCAB_FILE = "vocab.tsv"
_FORMAT = 1


def prepare_out_dir(out_dir: str | os.PathLike | None) -> Path | None:
    """Create the output folder up front, so a bad path fails before training, not after.

    Parameters
    ----------
    out_dir : path or None
        The folder; None means no output folder.

    Returns
    -------
    pathlib.Path or None

    Raises
    ------
    Kw2vError
        If the folder cannot be created or written to.
    """
    if out_dir is None:
        return None
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".kw2v-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise Kw2vError(
            f"cannot write to output folder {out}: {e.strerror or e}; choose another --out"
        ) from None
    return out


_held: dict[Path, int] = {}  # run folders this process holds the lock of: their file descriptors


def lock_run_folder(out: Path) -> bool:
    """Hold ``OUT/.kw2v.lock`` until :func:`unlock_run_folder` or the end of the process.

    ``flock`` is released by the operating system when the process ends, even by SIGKILL, so
    a stopped run's own resume is never blocked. Holding it again in one process is a no-op.

    Returns
    -------
    bool
        True if this call took the lock, False if this process already held it.

    Raises
    ------
    Kw2vError
        If another process holds it: one line naming that process.
    """
    key = Path(out).resolve()
    if key in _held or fcntl is None:
        return False
    fd = os.open(key / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 100).decode(errors="replace").strip() or "pid unknown"
        os.close(fd)
        raise Kw2vError(
            f"another kw2v run ({holder}) is training into {out}; wait for it to finish, "
            "stop it, or choose another --out"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}".encode())
    _held[key] = fd
    return True


def unlock_run_folder(out: Path) -> None:
    """Release the lock taken by :func:`lock_run_folder` (closing the file releases it)."""
    fd = _held.pop(Path(out).resolve(), None)
    if fd is not None:
        os.close(fd)


@contextlib.contextmanager
def run_folder_locked(out: Path | None):
    """Hold ``out``'s lock for the ``with`` block (and no longer, if this block took it)."""
    took = out is not None and lock_run_folder(out)
    try:
        yield
    finally:
        if took:
            unlock_run_folder(out)


def read_state(out_dir: str | os.PathLike) -> dict[str, Any] | None:
    """The saved state of a stopped run in ``out_dir``, or None if there is none.

    Raises
    ------
    Kw2vError
        If ``OUT/backup/state.json`` exists but cannot be read; the message says to delete
        the backup folder.
    """
    folder = Path(out_dir) / BACKUP_DIR
    path = folder / STATE_FILE
    if not path.is_file():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("format") != _FORMAT:
            raise ValueError(f"format {state.get('format')!r}, expected {_FORMAT}")
        int(state["epochs_done"]), dict(state["config"]), dict(state["history"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Kw2vError(
            f"the backup of a stopped run in {folder} cannot be read ({e}); delete that "
            "folder to start training afresh"
        ) from None
    return state


def _differences(saved: dict[str, Any], config: TrainConfig) -> list[str]:
    """The options a stopped run was trained with that differ now, but may not
    (:func:`kw2v.config.may_change_on_resume`: how long or how fast it trains, or which vectors
    are kept at the end may change; not what one epoch does)."""
    return [
        f"{flag_of(f)} {saved.get(f.name)!r} (now {getattr(config, f.name)!r})"
        for f in dataclasses.fields(config)
        if not may_change_on_resume(f.name) and saved.get(f.name) != getattr(config, f.name)
    ]


class RunBackup:
    """The backup of one training run in ``OUT/backup/``: start, resume, save, finish.

    Introduced in notebook 04.

    Parameters
    ----------
    out : pathlib.Path
        The run's output folder.
    config : TrainConfig
        This run's options.

    Attributes
    ----------
    epochs_done : int
        Epochs already trained (restored from a stopped run), 0 for a fresh run.
    history : dict of str to list of float
        The stopped run's per-epoch logs, to which this run's are added.
    seconds : float
        Training time of the stopped run.

    Raises
    ------
    Kw2vError
        If ``OUT`` holds a stopped run with at least one finished epoch whose options differ
        from ``config`` (``--epochs`` may grow), or whose backup is damaged.
    """

    def __init__(self, out: Path, config: TrainConfig):
        self.folder = Path(out) / BACKUP_DIR
        self.config = config
        self.epochs_done = 0
        self.history: dict[str, list[float]] = {}
        self.seconds = 0.0
        state = read_state(out)
        if state is None or int(state["epochs_done"]) == 0:
            return  # nothing finished yet: nothing to lose by starting again
        done = int(state["epochs_done"])
        what = f"{self.folder} holds a stopped run with {done} epoch(s) done"
        fix = f"to start afresh instead, delete {self.folder} or choose another --out"
        diffs = _differences(state["config"], config)
        if diffs:
            raise Kw2vError(
                f"{what} but other options: {', '.join(diffs[:3])}; run again with its "
                f"options to resume it, or {fix}"
            )
        if config.epochs < done:
            raise Kw2vError(f"{what}, more than --epochs {config.epochs}; give --epochs {done}+")
        weights = self.folder / str(state.get("weights", ""))
        if not weights.is_file() or not (self.folder / VOCAB_FILE).is_file():
            raise Kw2vError(f"{what} but its files are missing; {fix}")
        self.epochs_done = done
        self.history = {k: [float(v) for v in vals] for k, vals in state["history"].items()}
        self.seconds = float(state.get("seconds", 0.0))
        self._weights = weights

    @property
    def resuming(self) -> bool:
        """True when a stopped run's epochs are restored."""
        return self.epochs_done > 0

    def vocabulary(self, built: Vocabulary) -> Vocabulary:
        """The vocabulary to train with: the stopped run's when resuming, else ``built``.

        Raises
        ------
        Kw2vError
            If the corpus gives another vocabulary than the stopped run's (another file,
            another ``--normalize``, or the file changed).
        """
        from kw2v.vocab import Vocabulary

        if not self.resuming:
            return built
        saved = Vocabulary.load(self.folder / VOCAB_FILE)
        if saved.words != built.words or not (saved.counts == built.counts).all():
            raise Kw2vError(
                f"{self.folder} holds a stopped run on another corpus (its vocabulary "
                f"differs); give the same --corpus and --normalize to resume it, or delete "
                f"{self.folder} to start afresh"
            )
        return saved

    def start(self, vocab: Vocabulary) -> None:
        """Begin a fresh backup (an unfinished one with no finished epoch is replaced)."""
        if self.resuming:
            return
        if self.folder.exists():
            shutil.rmtree(self.folder)
        vocab.save(self.folder / VOCAB_FILE)
        self._write_state(0, None, {}, 0.0)

    def restore(self, model: keras.Model) -> None:
        """Load the stopped run's model and optimizer state into a compiled ``model``."""
        if not self.resuming:
            return
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)  # its variables must exist first
        try:
            model.load_weights(self._weights)
        except (OSError, ValueError) as e:
            raise Kw2vError(
                f"cannot restore {self._weights} ({e}); delete {self.folder} to start afresh"
            ) from None

    def save(self, model: keras.Model, epochs_done: int, history, seconds: float) -> None:
        """Save the state after ``epochs_done`` epochs: weights first, then the state naming
        them, then the previous weights are removed."""
        name = f"epoch-{epochs_done}.weights.h5"
        try:
            with atomic_path(self.folder / name) as tmp:
                model.save_weights(tmp)
            self._write_state(epochs_done, name, history, seconds)
            for old in self.folder.glob("epoch-*.weights.h5"):
                if old.name != name:
                    old.unlink()
        except OSError as e:
            raise Kw2vError(
                f"cannot save the checkpoint in {self.folder}: {e.strerror or e}; free some "
                "disk space or choose another --out"
            ) from None

    def _write_state(self, done: int, weights: str | None, history, seconds: float) -> None:
        state = {
            "format": _FORMAT,
            "epochs_done": done,
            "weights": weights,
            "config": dataclasses.asdict(self.config),
            "history": history,
            "seconds": round(seconds, 3),
        }
        with atomic_write(self.folder / STATE_FILE, "w") as f:
            json.dump(state, f, indent=2)

    def callback(self) -> keras.callbacks.Callback:
        """A Keras callback that calls :meth:`save` at the end of every epoch."""
        return _checkpoint_callback(self)

    def finish(self) -> None:
        """Remove the backup: the run is complete and its results are written."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _checkpoint_callback(backup: RunBackup) -> keras.callbacks.Callback:
    import time

    import keras

    class EpochCheckpoint(keras.callbacks.Callback):
        """Save the run's state after each epoch (epochs are numbered from 0 by Keras)."""

        def on_train_begin(self, logs=None):
            self.started = time.perf_counter()
            self.history = {k: list(v) for k, v in backup.history.items()}

        def on_epoch_end(self, epoch, logs=None):
            for key, value in (logs or {}).items():
                self.history.setdefault(key, []).append(float(value))
            seconds = backup.seconds + time.perf_counter() - self.started
            backup.save(self.model, epoch + 1, self.history, seconds)

    return EpochCheckpoint()


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a run's ``model.keras`` safely, ready to train on.

    ``safe_mode=True`` makes Keras refuse anything in the file that would run code (Lambda
    layers, pickled functions); kw2v's models have none, and :class:`~kw2v.RowAdagrad` is
    registered by importing :mod:`kw2v.optimizers` first, which plain
    ``keras.models.load_model`` would not do. Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike
        A ``model.keras`` file, or a run folder holding one.

    Returns
    -------
    keras.Model
        Compiled with the optimizer state it was saved with.

    Raises
    ------
    Kw2vError
        If there is no such file, or it is not a Keras model file.
    """
    import keras

    import kw2v.optimizers  # noqa: F401  (registers RowAdagrad for deserialisation)

    path = Path(path)
    if path.is_dir():
        path = path / "model.keras"
    if not path.is_file():
        raise Kw2vError(f"model file not found: {path}; give a model.keras or a run folder")
    try:
        return keras.models.load_model(path, safe_mode=True)
    except (OSError, ValueError) as e:
        raise Kw2vError(f"cannot load {path} as a Keras model ({e}); re-run training") from None


def save_run(result, out: Path) -> None:
    """Write a finished run (:class:`kw2v.training.TrainResult`): the vectors and everything
    needed to reload or inspect it."""
    result.vectors.save_word2vec(out / "vectors.bin", binary=True)
    result.vocab.save(out / "vocab.tsv")
    meta = {
        "config": dataclasses.asdict(result.config),
        "tokens": result.tokens,
        "seconds": round(result.seconds, 3),
        "words_per_second": round(result.words_per_second),
        "effective_tokens": result.effective_tokens,
        "effective_words_per_second": round(result.effective_words_per_second),
        "history": result.history,
    }
    with atomic_write(out / "run.json", mode="w") as f:
        json.dump(meta, f, indent=2)
    with atomic_path(out / "model.keras") as tmp:
        result.model.save(tmp)


def load_run(out_dir: str | os.PathLike) -> tuple[WordVectors, dict]:
    """The vectors and the run record written by :func:`kw2v.train` with ``out_dir``."""
    out = Path(out_dir)
    vectors = WordVectors.load_word2vec(out / "vectors.bin", binary=True)
    meta = json.loads((out / "run.json").read_text()) if (out / "run.json").exists() else {}
    return vectors, meta


def load_vectors(path: str | os.PathLike, *, nonfinite: str = "refuse") -> WordVectors:
    """A vectors file (.bin binary, else text), or a run folder holding ``vectors.bin``,
    checked for NaN and infinite values: the command line's reader.

    A diverged run saves NaN; scores and neighbours computed from them would be printed as
    if nothing were wrong. Parameters: ``nonfinite`` is ``"refuse"`` (raise) or ``"warn"``
    (for commands that can go on, such as ``export``).

    Raises
    ------
    Kw2vError
        No such file, or (``"refuse"``) a vector with NaN or infinity, naming its word.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "vectors.bin"
    if not p.is_file():
        raise Kw2vError(f"vectors file not found: {p}; give a .bin/.txt file or a run folder")
    wv = WordVectors.load_word2vec(p)
    bad = np.flatnonzero(~np.isfinite(wv.vectors).all(axis=1))
    if len(bad):
        more = f" (and {len(bad) - 1:,} other word(s))" if len(bad) > 1 else ""
        what = f"{p}: the vector of {wv.words[bad[0]]!r}{more} holds NaN or infinite values"
        if nonfinite == "refuse":
            raise Kw2vError(
                f"{what}, so no score would mean anything; retrain (the training diverged: "
                "a lower --learning-rate keeps it stable)"
            )
        warnings.warn(f"{what}; they are copied as they are", stacklevel=2)
    return wv
