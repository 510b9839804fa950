#!/usr/bin/env bash
# Reproduces the numbers in BENCHMARKS.md. Run it on an otherwise idle machine: it prints the load average before
# and after, and numbers taken under load are not worth keeping.
#
#     models/benchmark/run.sh [cases]
#
# With CCS_OPENBLAS_DIR set to a folder holding OpenBLAS's libblas.so.3 (see BENCHMARKS.md), the PyTorch side is
# also timed on OpenBLAS instead of Debian's reference BLAS.
set -euo pipefail
cd "$(dirname "$0")/../.."
cases="${1:-30}"
python=/usr/bin/python3

if [[ ! -f models/fullsize/manifest.json ]]; then
  "$python" models/benchmark/export_fullsize.py
fi
dotnet build src/Ccs.Cli -c Release -v quiet -nologo
ccs=src/Ccs.Cli/bin/Release/net10.0/ccs

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== full-size set, sequential, 2 threads, with PyTorch eager in the same run"
"$ccs" bench --models models/fullsize --cases "$cases" --threads 2 --torch --python "$python"
if [[ -n "${CCS_OPENBLAS_DIR:-}" ]]; then
  # Debian's torch calls whatever libblas.so.3 resolves to; ccs passes the path on to its PyTorch child, and ONNX
  # Runtime uses no system BLAS, so only the PyTorch side changes.
  echo "== the same, PyTorch on OpenBLAS from $CCS_OPENBLAS_DIR"
  LD_LIBRARY_PATH="$CCS_OPENBLAS_DIR" "$ccs" bench --models models/fullsize --cases "$cases" --threads 2 --torch \
    --python "$python"
fi
echo "== full-size set, 4 backbones at once, 1 thread each"
"$ccs" bench --models models/fullsize --cases "$cases" --threads 1 --parallel-backbones
echo "== full-size set, 2 backbones at once, 1 thread each"
"$ccs" bench --models models/fullsize --cases "$cases" --threads 1 --parallel-backbones --concurrency 2
if [[ -f models/manifest.json ]]; then
  echo "== demo set, sequential, 2 threads"
  "$ccs" bench --models models --cases "$cases" --threads 2
fi
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
