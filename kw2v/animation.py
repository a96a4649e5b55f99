"""Watching the embedding space form: probe words recorded during training, drawn as a film."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import keras
import numpy as np

from kw2v.embeddings import INPUT_TABLES, word_model
from kw2v.errors import Kw2vError
from kw2v.files import atomic_path
from kw2v.vocab import Vocabulary

#: Groups of words that should gather as training goes on; words missing from the vocabulary
#: are skipped.
PROBE_GROUPS: dict[str, tuple[str, ...]] = {
    "countries": ("france", "germany", "italy", "spain", "england", "china", "japan", "russia"),
    "numbers": ("one", "two", "three", "four", "five", "six", "seven", "eight"),
    "months": ("january", "february", "march", "april", "june", "july", "august", "october"),
    "family": ("father", "mother", "son", "daughter", "brother", "sister", "wife", "husband"),
    "colours": ("red", "green", "blue", "yellow", "black", "white", "brown", "purple"),
}


class SpaceAnimation(keras.callbacks.Callback):
    """Record probe words' vectors during ``fit`` and draw them as an animated GIF (or MP4).

    Snapshots are taken on a geometric schedule of optimizer steps (dense at the start, where
    the space changes fastest), ``frames`` of them over the whole run. At :meth:`save` every
    snapshot is projected on one fixed 2-D basis, the first two principal components of the
    last snapshot (rows scaled to unit length, as cosine similarity sees them), so the words
    move in one frame of reference; each frame is zoomed to fit, since the vectors grow from
    word2vec's tiny start. The loss so far is drawn beside the map. Introduced in notebook 04.

    Parameters
    ----------
    vocab : Vocabulary
        The run's vocabulary, to find the probe words' rows.
    groups : mapping of str to sequence of str, optional
        Coloured groups of probe words; :data:`PROBE_GROUPS` by default.
    frames : int
        How many snapshots at most (plus the starting one).
    table : str, optional
        The embedding layer whose rows are drawn; by default the model's word table E
        (``target_embedding``, GloVe's ``word_embedding``).
    path : path, optional
        If given, the animation is written there when training ends.

    Raises
    ------
    Kw2vError
        Fewer than 3 probe words are in the vocabulary.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        groups: Mapping[str, Sequence[str]] | None = None,
        *,
        frames: int = 60,
        table: str | None = None,
        path: str | os.PathLike | None = None,
    ):
        super().__init__()
        groups = PROBE_GROUPS if groups is None else groups
        self.words, self.group_of = [], []
        for name, words in groups.items():
            for word in words:
                if word in vocab and word not in self.words:
                    self.words.append(word)
                    self.group_of.append(name)
        if len(self.words) < 3:
            raise Kw2vError(
                f"--animate needs 3 or more probe words in the vocabulary, found "
                f"{len(self.words)}: train on more text or lower --min-count"
            )
        self.ids = vocab.encode(self.words).astype("int32")
        self.frames, self.table, self.path = frames, table, path
        self.snapshots: list[tuple[int, np.ndarray]] = []
        self.losses: list[tuple[int, float]] = []  # (step, mean loss since the last call)
        self._last = (-1, 0.0)  # (batch index in the epoch, running mean) at the last call

    def _step(self) -> int:
        return int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))

    def _record(self) -> None:
        model = word_model(self.model)
        names = [layer.name for layer in model.layers]
        name = self.table or next(n for n in INPUT_TABLES if n in names)
        table = model.get_layer(name).embeddings
        rows = keras.ops.convert_to_numpy(keras.ops.take(table, self.ids, axis=0))
        self.snapshots.append((self._step(), rows.astype("float32")))

    def on_train_begin(self, logs=None):
        total = max(int(self.params.get("steps") or 1) * int(self.params.get("epochs") or 1), 2)
        start = self._step()
        self.schedule = sorted(
            {start + int(s) for s in np.geomspace(1, total - start or 1, self.frames)}
        )
        if not self.snapshots:
            self._record()

    def on_train_batch_end(self, batch, logs=None):
        step = self._step()
        if logs and "loss" in logs:
            # Keras reports the epoch's running mean; undo it to get the loss of the steps
            # since the last call, so the curve does not jump at every new epoch.
            last_batch, last_mean = self._last if batch > self._last[0] else (-1, 0.0)
            mean = float(logs["loss"])
            chunk = (mean * (batch + 1) - last_mean * (last_batch + 1)) / (batch - last_batch)
            self.losses.append((step, chunk))
            self._last = (batch, mean)
        if self.schedule and step >= self.schedule[0]:
            self._record()
            self.schedule = [s for s in self.schedule if s > step]

    def on_train_end(self, logs=None):
        if self.snapshots[-1][0] != self._step():
            self._record()
        if self.path is not None:
            self.save(self.path)

    def positions(self) -> np.ndarray:
        """Every snapshot on the fixed basis, zoomed to fit: shape (snapshots, words, 2)."""
        unit = [rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
                for _, rows in self.snapshots]  # fmt: skip
        last = unit[-1] - unit[-1].mean(axis=0)
        basis = np.linalg.svd(last, full_matrices=False)[2][:2].T  # (dim, 2)
        out = []
        for rows in unit:
            xy = (rows - rows.mean(axis=0)) @ basis
            out.append(xy / max(np.sqrt((xy**2).sum(axis=1).mean()), 1e-12))
        return np.stack(out)

    def save(self, path: str | os.PathLike, fps: int = 8, dpi: int = 80) -> Path:
        """Write the animation: ``.gif`` always works, ``.mp4`` needs ffmpeg."""
        import matplotlib.pyplot as plt
        from matplotlib import animation

        path = Path(path)
        if path.suffix.lower() == ".gif":
            writer = animation.PillowWriter(fps=fps)
        elif path.suffix.lower() == ".mp4":
            if not animation.writers.is_available("ffmpeg"):
                raise Kw2vError(f"cannot write {path}: MP4 needs ffmpeg; use a .gif path")
            writer = animation.FFMpegWriter(fps=fps)
        else:
            raise Kw2vError(f"cannot write {path}: give a .gif or .mp4 path")
        xy = self.positions()
        steps = [s for s, _ in self.snapshots]
        fig, (ax, ax_loss) = plt.subplots(
            1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [1.5, 1]}
        )
        names = list(dict.fromkeys(self.group_of))
        colours = {n: plt.get_cmap("tab10")(i) for i, n in enumerate(names)}
        point_colours = [colours[g] for g in self.group_of]
        dots = ax.scatter(xy[0, :, 0], xy[0, :, 1], c=point_colours, s=22)
        labels = [
            ax.text(0, 0, w, fontsize=7, color=c)
            for w, c in zip(self.words, point_colours, strict=True)
        ]
        lim = 1.1 * np.abs(xy).max()
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xticks=[], yticks=[])
        for name in names:
            ax.scatter([], [], color=colours[name], label=name)
        ax.legend(loc="lower left", fontsize=7, ncol=len(names), frameon=False)
        if self.losses:
            loss_steps, losses = zip(*self.losses, strict=True)
            ax_loss.plot(loss_steps, losses, color="0.6", lw=0.8)
        ax_loss.set(xlabel="optimizer step", ylabel="training loss")
        (marker,) = ax_loss.plot([], [], "o", color="C3")
        title = ax.set_title(f"step {steps[-1]:,}: the space forming")

        def draw(i):
            dots.set_offsets(xy[i])
            for label, (x, y) in zip(labels, xy[i], strict=True):
                label.set_position((x + 0.04, y + 0.04))
            title.set_text(f"step {steps[i]:,}: the space forming")
            seen = [loss for s, loss in self.losses if s <= steps[i]]
            marker.set_data([steps[i]], [seen[-1]] if seen else [np.nan])
            return [dots, *labels, marker, title]

        fig.tight_layout()
        anim = animation.FuncAnimation(fig, draw, frames=len(xy), blit=False)
        try:
            with atomic_path(path) as tmp:
                anim.save(tmp, writer=writer, dpi=dpi)
        finally:
            plt.close(fig)
        return path
