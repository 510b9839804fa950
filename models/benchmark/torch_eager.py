#!/usr/bin/python3
"""Times the full-size model set in PyTorch eager: per case every backbone's three folds on one 1 x 224 x 112 x 3
image, cam_weights included, under torch.inference_mode() with a fixed thread count.

    /usr/bin/python3 models/benchmark/torch_eager.py [--models models/fullsize] [--cases 30] [--threads 2]
        [--json] [--input-tensor FILE]

Prints median and p95 milliseconds per backbone (its three folds) and per case (all twelve runs), and the FLOPs of
one run of each backbone. With --json the table goes to stderr and stdout carries one JSON object, which is what
`ccs bench --torch` reads. --input-tensor runs the twelve nets once more on a raw float32 HWC case tensor and
reports their logits, so the caller can compare them with ONNX Runtime's.
"""
import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fullsize  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WARM_UP_CASES = 2
CASE_SEED = 515151


def percentile(values, percent):
    """Nearest rank, as `ccs bench` computes it."""
    ordered = sorted(values)
    rank = math.ceil(percent / 100 * len(ordered)) - 1
    return ordered[min(max(rank, 0), len(ordered) - 1)]


def peak_resident_mb():
    """VmHWM, not getrusage's ru_maxrss: a child started by fork and exec inherits its parent's ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def blas_libraries():
    """The BLAS shared objects this process mapped: Debian's torch calls whatever libblas.so.3 resolves to."""
    maps = Path("/proc/self/maps").read_text().splitlines()
    paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    return sorted(paths) or ["none mapped"]


def load(models):
    manifest = json.loads((models / "manifest.json").read_text())
    nets = {}
    for backbone in manifest["backbones"]:
        folds = []
        for fold in backbone["folds"]:
            net = fullsize.FullSizeNet(backbone["id"])
            weights = models / Path(fold["file"]).with_suffix(".pt")
            net.load_state_dict(torch.load(weights, map_location="cpu"))
            folds.append(net.eval())
        nets[backbone["id"]] = folds
    return nets


def time_cases(nets, cases):
    """Milliseconds per backbone (its folds, one after the other) and per case, warm-up cases left out."""
    generator = torch.Generator().manual_seed(CASE_SEED)
    per_backbone = {b: [] for b in nets}
    per_case = []
    with torch.inference_mode():
        for i in range(cases + WARM_UP_CASES):
            image = torch.rand(1, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS, generator=generator) * 255
            case_ms = 0.0
            for backbone, folds in nets.items():
                started = time.perf_counter()
                for net in folds:
                    net(image)
                ms = (time.perf_counter() - started) * 1000
                case_ms += ms
                if i >= WARM_UP_CASES:
                    per_backbone[backbone].append(ms)
            if i >= WARM_UP_CASES:
                per_case.append(case_ms)
    return per_backbone, per_case


def logits_for(nets, tensor_file):
    values = torch.frombuffer(bytearray(Path(tensor_file).read_bytes()), dtype=torch.float32)
    image = values.reshape(1, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS)
    with torch.inference_mode():
        return {b: [net(image)[0].item() for net in folds] for b, folds in nets.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=ROOT / "models" / "fullsize")
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--input-tensor")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    table = sys.stderr if args.json else sys.stdout

    started = time.perf_counter()
    nets = load(args.models)
    load_ms = (time.perf_counter() - started) * 1000
    flops = {b: fullsize.count_flops(folds[0]) for b, folds in nets.items()}
    per_backbone, per_case = time_cases(nets, args.cases)
    logits = logits_for(nets, args.input_tensor) if args.input_tensor else None
    peak_mb = peak_resident_mb()
    runs = sum(len(folds) for folds in nets.values())

    print(f"PyTorch {torch.__version__} eager, {args.cases} cases +{WARM_UP_CASES} warm-up, {args.threads} threads "
          f"(torch.get_num_threads() = {torch.get_num_threads()}), inference_mode", file=table)
    print(f"BLAS: {', '.join(blas_libraries())}", file=table)
    print(f"{'stage':<22} {'median ms':>10} {'p95 ms':>10} {'GFLOP/run':>10}", file=table)
    for backbone, values in per_backbone.items():
        print(f"{backbone:<22} {percentile(values, 50):>10.2f} {percentile(values, 95):>10.2f} "
              f"{flops[backbone] / 1e9:>10.3f}", file=table)
    print(f"{f'case ({runs} runs)':<22} {percentile(per_case, 50):>10.2f} {percentile(per_case, 95):>10.2f}",
          file=table)
    print(f"{f'load {runs} nets':<22} {load_ms:.0f} ms", file=table)
    print(f"peak resident set      {peak_mb:.0f} MB", file=table)

    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_libraries(),
        "cases": args.cases,
        "loadMs": load_ms,
        "peakRssMb": peak_mb,
        "case": {"medianMs": percentile(per_case, 50), "p95Ms": percentile(per_case, 95)},
        "backbones": {b: {"medianMs": percentile(v, 50), "p95Ms": percentile(v, 95), "flops": flops[b],
                          "runs": len(nets[b])} for b, v in per_backbone.items()},
        "logits": logits,
    }
    print(json.dumps(result) if args.json else json.dumps({b: f for b, f in flops.items()}))


if __name__ == "__main__":
    main()
