#!/usr/bin/env bash
# Reproduces the numbers in BENCHMARKS.md. Run it on an otherwise idle machine: it prints the load average before
# and after, and numbers taken under load are not worth keeping.
#
#     models/benchmark/run.sh [cases]
#
# Builds the full-size FP32 set (export_fullsize.py) and its INT8 quantisation (quantize_int8.py) when they are
# missing. With CCS_OPENBLAS_DIR set to a folder holding OpenBLAS's libblas.so.3 (see BENCHMARKS.md), the PyTorch
# side is also timed on OpenBLAS instead of Debian's reference BLAS.
set -euo pipefail
cd "$(dirname "$0")/../.."
cases="${1:-30}"
python=/usr/bin/python3

if [[ ! -f models/fullsize/manifest.json ]]; then
  "$python" models/benchmark/export_fullsize.py
fi
if [[ ! -f models/fullsize-int8/manifest.json ]]; then
  "$python" models/quantize/quantize_int8.py --models models/fullsize --out models/fullsize-int8
fi
dotnet build src/Ccs.Cli -c Release -v quiet -nologo
ccs=src/Ccs.Cli/bin/Release/net10.0/ccs

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== full-size set, FP32, sequential, 2 threads, with PyTorch eager in the same run"
"$ccs" bench --models models/fullsize --cases "$cases" --threads 2 --torch --python "$python"
echo "== full-size set, INT8, sequential, 2 threads, with PyTorch eager (FP32 weights) in the same run"
"$ccs" bench --models models/fullsize-int8 --cases "$cases" --threads 2 --torch --python "$python" \
  --torch-models models/fullsize
if [[ -n "${CCS_OPENBLAS_DIR:-}" ]]; then
  # Debian's torch calls whatever libblas.so.3 resolves to; ccs passes the path on to its PyTorch child, and ONNX
  # Runtime uses no system BLAS, so only the PyTorch side changes.
  for set in fullsize fullsize-int8; do
    echo "== full-size set ($set), PyTorch on OpenBLAS from $CCS_OPENBLAS_DIR"
    LD_LIBRARY_PATH="$CCS_OPENBLAS_DIR" "$ccs" bench --models "models/$set" --cases "$cases" --threads 2 --torch \
      --python "$python" --torch-models models/fullsize
  done
fi
for set in fullsize fullsize-int8; do
  echo "== full-size set ($set), 4 backbones at once, 1 thread each"
  "$ccs" bench --models "models/$set" --cases "$cases" --threads 1 --parallel-backbones
  echo "== full-size set ($set), 2 backbones at once, 1 thread each"
  "$ccs" bench --models "models/$set" --cases "$cases" --threads 1 --parallel-backbones --concurrency 2
  echo "== full-size set ($set), sequential, 1 thread"
  "$ccs" bench --models "models/$set" --cases "$cases" --threads 1
done
if command -v taskset >/dev/null; then
  # Flex Consumption's default 2048 MB instance has one vCPU: the same two settings pinned to one core.
  for set in fullsize fullsize-int8; do
    for lanes in 1 2; do
      echo "== full-size set ($set), one core, $lanes backbone(s) at once, 1 thread each"
      taskset -c 0 "$ccs" bench --models "models/$set" --cases "$cases" --threads 1 --parallel-backbones \
        --concurrency "$lanes"
    done
  done
fi
echo "== demo set, FP32, sequential, 2 threads"
"$ccs" bench --models models --cases "$cases" --threads 2
echo "== demo set, INT8, sequential, 2 threads"
"$ccs" bench --models models/int8 --cases "$cases" --threads 2
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
