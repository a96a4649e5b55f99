"""Training on several devices or machines with ``tf.distribute`` (TensorFlow backend only).

Three strategies, chosen by name (``train --strategy``):

- ``"default"``: no strategy; one device, XLA and many steps per call. The fastest on one machine.
- ``"mirrored"``: :class:`tf.distribute.MirroredStrategy`, one replica per local GPU, or per
  logical CPU device after :func:`configure_logical_cpus` (how the tests try it on a laptop).
- ``"multiworker"``: :class:`tf.distribute.MultiWorkerMirroredStrategy`, one process per
  machine, the cluster described by the ``TF_CONFIG`` environment variable.

Every replica holds a full copy of both embedding tables; each step the global batch is split
across the replicas and their gradients summed, so a run has the same batch and learning rate
as on one device. Under a strategy, training runs without XLA and one step per call: see
``docs/distributed.md`` for why, and for ``ParameterServerStrategy`` when the tables outgrow a
device. Introduced in ``docs/distributed.md``.
"""

from __future__ import annotations

import dataclasses
import json
import os

from kw2v.backend import require_tensorflow
from kw2v.config import check_values
from kw2v.errors import Kw2vError


def configure_logical_cpus(n: int) -> None:
    """Split the CPU into ``n`` logical devices, so a strategy can mirror over them.

    Must run before TensorFlow initialises its devices (before the first tensor is made), so
    call it first thing in the process. Calling it again with the same ``n`` is harmless.

    Raises
    ------
    Kw2vError
        ``n`` below 1, or TensorFlow already initialised with a different split.
    """
    check_values(logical_cpus=n)
    tf = require_tensorflow("--logical-cpus")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
        )
    except RuntimeError:
        have = len(tf.config.list_logical_devices("CPU"))
        if have != n:
            raise Kw2vError(
                f"cannot split the CPU into {n} logical devices: TensorFlow has already "
                f"started with {have}; configure them at the start of a fresh process "
                "(the command line does)"
            ) from None


def make_strategy(name: str = "default", logical_cpus: int | None = None):
    """The ``tf.distribute`` strategy called ``name``, or None for ``"default"``.

    Create it before any other TensorFlow work in the process: logical devices and the
    collective ops of ``multiworker`` can only be set up before TensorFlow initialises.

    Parameters
    ----------
    name : {"default", "mirrored", "multiworker"}
    logical_cpus : int, optional
        For ``"mirrored"`` on a machine without GPUs: split the CPU into this many devices
        (:meth:`kw2v.TrainConfig.validate` refuses it with another strategy).

    Returns
    -------
    tf.distribute.Strategy or None

    Raises
    ------
    Kw2vError
        An unknown name, TensorFlow missing, or a missing or malformed ``TF_CONFIG`` for
        ``"multiworker"`` (:func:`kw2v.methods.resolve` refuses a strategy under a backend
        other than TensorFlow).
    """
    check_values(strategy=name)
    if name == "default":
        return None
    tf = require_tensorflow(f"--strategy {name}")

    if name == "mirrored":
        if logical_cpus is not None:
            configure_logical_cpus(logical_cpus)
        devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
        return tf.distribute.MirroredStrategy([d.name for d in devices])
    _check_tf_config()
    return _multi_worker_strategy_class()()


def _multi_worker_strategy_class():
    """MultiWorkerMirroredStrategy with a ``reduce`` that Keras 3's ``fit`` can call.

    Keras 3.15 ``fit`` under this strategy calls ``reduce`` in two ways the strategy rejects:
    on a whole input batch (a dict: keras-team/keras#20329), and with ``axis=0`` on each
    step's scalar loss ("Invalid reduction dimension 0 for input with 0 dimensions",
    tensorflow/tensorflow#72388). This subclass reduces a nest one value at a time, and a
    scalar across the replicas alone, which is what Keras means by both calls.
    """
    import tensorflow as tf

    class KerasMultiWorkerMirroredStrategy(tf.distribute.MultiWorkerMirroredStrategy):
        def reduce(self, reduce_op, value, axis):
            parent = super()

            def one(v):
                local = self.experimental_local_results(v)
                scalar = all(t.shape.rank == 0 for t in local)
                return parent.reduce(reduce_op, v, None if scalar else axis)

            return tf.nest.map_structure(one, value)

    return KerasMultiWorkerMirroredStrategy


def _check_tf_config() -> None:
    """Fail with the fix in the message, rather than hang, when TF_CONFIG is unusable."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        raise Kw2vError(
            "--strategy multiworker reads the cluster from the TF_CONFIG environment "
            "variable; set it on every worker (docs/distributed.md has an example)"
        )
    try:
        config = json.loads(raw)
        workers = config["cluster"]["worker"]
        task = config["task"]
        task["type"], int(task["index"])
    except (ValueError, KeyError, TypeError):
        raise Kw2vError(
            'TF_CONFIG must be JSON like {"cluster": {"worker": ["host:port", ...]}, '
            '"task": {"type": "worker", "index": 0}}, got ' + raw
        ) from None
    if not isinstance(workers, list) or not workers:
        raise Kw2vError(f"TF_CONFIG lists no workers: {raw}")


def is_chief(strategy) -> bool:
    """Whether this process writes the run's files: always, except on non-chief workers.

    In a multi-worker cluster the chief is the task of type ``chief``, or worker 0 when
    there is none; every worker ends with the same weights, so one copy on disk is enough.
    """
    if strategy is None:
        return True
    return bool(strategy.extended.should_checkpoint)


def chief_in_tf_config() -> bool:
    """Whether ``TF_CONFIG`` makes this process the chief (see :func:`is_chief`), read without
    TensorFlow: the task of type ``chief``, or worker 0 of a cluster with no ``chief`` job."""
    config = json.loads(os.environ.get("TF_CONFIG") or "{}")
    task, cluster = config.get("task", {}), config.get("cluster", {})
    if not task:
        return True
    if task.get("type") == "chief":
        return True
    return (
        task.get("type") == "worker" and int(task.get("index", 0)) == 0 and "chief" not in cluster
    )


def wait_for_workers(strategy) -> None:
    """Return once every worker has called this too (a no-op on one machine).

    Called at the end of training, after the chief has written the run. A worker that exited
    while another was still finishing ``fit`` left that one blocked until TensorFlow's
    coordination service declared the first "crashed" (seen here: a minute, and an error
    in the log); waiting for each other first, the workers finish together.
    """
    if strategy is None or strategy.num_replicas_in_sync == len(strategy.extended.worker_devices):
        return  # one machine: nobody to wait for
    import tensorflow as tf

    @tf.function
    def all_reduce():
        return strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.0)), axis=None)

    all_reduce()


def check_batch_size(strategy, batch_size: int) -> None:
    """The global batch must split evenly across the replicas."""
    if strategy is None:
        return
    n = strategy.num_replicas_in_sync
    if batch_size % n:
        raise Kw2vError(
            f"--batch-size {batch_size} must be a multiple of the {n} replicas, so each "
            f"takes an equal share; try {batch_size // n * n or n}"
        )


def compile_options(strategy, config):
    """``config`` with the ``jit_compile`` and ``steps_per_execution`` that work under
    ``strategy``.

    Measured with Keras 3.15 / TensorFlow 2.21 on two logical CPUs: XLA fails under
    MirroredStrategy (a replica's variables live on another device than the compiled step),
    and ``steps_per_execution > 1`` fails under any strategy, for any model and optimizer
    ("You must feed a value for placeholder tensor", keras-team/keras#19246). So a
    distributed run compiles one plain graph step per call; without a strategy both stay on.
    """
    if strategy is None:
        return config
    return dataclasses.replace(config, jit_compile=False, steps_per_execution=1)


def input_pipeline(pipeline, context):
    """The part of ``pipeline`` that one worker makes, for its :class:`tf.distribute.InputContext`.

    ``pipeline`` is any method's whole-data :class:`kw2v.pipeline.ExamplePipeline` with the
    global batch size. A worker reads its own shard (:meth:`~kw2v.pipeline.ExamplePipeline.shard`)
    in batches of its share of the global batch (one replica's share per local replica),
    ``pipeline.steps_per_epoch()`` of them an epoch, like every other worker. With a single
    worker that is ``pipeline`` itself: the same batches, in the same order.
    """
    local_replicas = context.num_replicas_in_sync // context.num_input_pipelines
    return pipeline.shard(
        context.input_pipeline_id,
        context.num_input_pipelines,
        batch_size=context.get_per_replica_batch_size(pipeline.batch_size) * local_replicas,
        steps=pipeline.steps_per_epoch(),
    )


def distribute_pipeline(strategy, pipeline, start_epoch: int = 0):
    """The pipeline as a distributed dataset: per-replica batches that add up to the global one.

    Each worker makes its :func:`input_pipeline` and cuts every batch into one slice per
    local replica (TensorFlow hands consecutive slices to consecutive replicas). So a step
    trains on ``pipeline.batch_size`` examples in all, with the same learning rate as on one
    device: Keras divides each replica's mean loss by the number of replicas and sums their
    gradients. On one machine (``mirrored``) a step sees exactly the batch that the
    single-device run sees. ``start_epoch`` resumes the random streams, as in
    :meth:`~kw2v.pipeline.ExamplePipeline.dataset`.
    """

    def dataset_fn(context):
        per_replica = context.get_per_replica_batch_size(pipeline.batch_size)
        return input_pipeline(pipeline, context).dataset(start_epoch).rebatch(per_replica)

    return strategy.distribute_datasets_from_function(dataset_fn)
