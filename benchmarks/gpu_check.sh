#!/usr/bin/env bash
# The one prepared GPU check (issue 18): kw2v's device path beside gensim on the same machine,
# 3 epochs of the first 20 MB of wiki8 and of the whole of it, skip-gram, JAX backend, no
# TensorFlow. Meant for a machine with JAX + CUDA and 16 cores (an H200 was the target), run
# from the repository root; about 5 minutes. It needs, carried beside the checkout:
#   .whl/   wheels for Python 3.12 of what the machine lacks: keras, namex, optree, gensim,
#           smart_open, adjustText, wrapt (the usual `pip download --no-deps --only-binary=:all:
#           --python-version 3.12 --platform manylinux2014_x86_64 -d .whl NAME==VERSION`)
#   .data/wiki8.zip   the corpus (a copy of ../shared/data/wiki8.zip; never committed)
# Results go to ${OUT:-runs/gpu}: bench.json and bench.md for each corpus, and the GPU's name.
set -euo pipefail
out=${OUT:-runs/gpu}
mkdir -p "$out"
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD KERAS_BACKEND=jax PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader > "$out/gpu.txt" || true
python3 -c "import jax; print(jax.devices())" | tee -a "$out/gpu.txt"
common=(--corpus .data/wiki8.zip --epochs 3 --examples device --batch-size 65536 --workers 16)
# 3.38M words = the first 20 MB of wiki8
python3 -m kw2v bench "${common[@]}" --max-words 3380000 --out "$out/20mb"
python3 -m kw2v bench "${common[@]}" --out "$out/wiki8"
cp "$out/20mb/bench.md" "$out/bench-20mb.md"
cp "$out/wiki8/bench.md" "$out/bench-wiki8.md"
