#!/usr/bin/python3
"""Times the full-size model set in PyTorch eager: per case every backbone's three folds on one 1 x 224 x 112 x 3
image, cam_weights included, under torch.inference_mode() with a fixed thread count.

    /usr/bin/python3 models/benchmark/torch_eager.py [--models models/fullsize] [--cases 30] [--threads 2]
        [--json] [--input-tensor FILE]

Prints median and p95 milliseconds per backbone (its three folds) and per case (all twelve runs), and the FLOPs of
one run of each backbone. With --json the table goes to stderr and stdout carries one JSON object, which is what
`ccs bench --torch` reads. --input-tensor runs the twelve nets once more on a raw float32 HWC case tensor and
reports their logits, so the caller can compare them with ONNX Runtime's.

A problem the user can fix (a set without PyTorch weights, a bad --input-tensor) prints one line naming the file to
stderr and exits 2 with nothing on stdout.
"""
import argparse
import json
import math
import pickle
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fullsize  # noqa: E402
from arguments import InputError, positive_int, read_manifest_json  # noqa: E402  (models/training, via fullsize)

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).name
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


def read_manifest(models):
    path = models / "manifest.json"
    manifest = read_manifest_json(models)
    try:
        return [(backbone["id"], [fold["file"] for fold in backbone["folds"]]) for backbone in manifest["backbones"]]
    except (KeyError, TypeError) as e:
        raise InputError(f"{path}: does not list backbones with an id and fold files ({e!r} is missing)") from None


def weights_file(models, backbone_id, file):
    """The .pt beside the fold's ONNX file, checked before any net is built so a set without them fails at once."""
    if backbone_id not in fullsize.BACKBONES:
        raise InputError(f"{models / 'manifest.json'}: backbone {backbone_id!r} has no PyTorch definition in "
                         f"models/benchmark/fullsize.py (known: {', '.join(fullsize.BACKBONES)})")
    weights = models / Path(file).with_suffix(".pt")
    if not weights.is_file():
        raise InputError(f"{weights}: PyTorch weights not found; only sets written by "
                         "models/benchmark/export_fullsize.py carry PyTorch weights (.pt beside each ONNX file)")
    return weights


def load(models):
    backbones = read_manifest(models)
    weights = {b: [weights_file(models, b, file) for file in files] for b, files in backbones}
    nets = {}
    for backbone, files in weights.items():
        folds = []
        for file in files:
            net = fullsize.FullSizeNet(backbone)
            try:
                net.load_state_dict(torch.load(file, map_location="cpu"))
            except (OSError, EOFError, RuntimeError, pickle.UnpicklingError) as e:
                reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise InputError(f"{file}: not the PyTorch weights of a {backbone} fold ({reason})") from None
            folds.append(net.eval())
        nets[backbone] = folds
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


def read_input_tensor(tensor_file):
    """The raw float32 HWC case tensor of --input-tensor, read before timing so a bad file costs nothing."""
    expected = fullsize.HEIGHT * fullsize.WIDTH * fullsize.CHANNELS * 4
    try:
        raw = Path(tensor_file).read_bytes()
    except OSError as e:
        raise InputError(f"--input-tensor: {tensor_file}: cannot be read ({e.strerror or e})") from None
    if len(raw) != expected:
        raise InputError(f"--input-tensor: {tensor_file}: {len(raw)} bytes, expected {expected} (float32 "
                         f"{fullsize.HEIGHT} x {fullsize.WIDTH} x {fullsize.CHANNELS})")
    values = torch.frombuffer(bytearray(raw), dtype=torch.float32)
    return values.reshape(1, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS)


def logits_for(nets, image):
    with torch.inference_mode():
        return {b: [net(image)[0].item() for net in folds] for b, folds in nets.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=ROOT / "models" / "fullsize")
    parser.add_argument("--cases", type=positive_int, default=30)
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--input-tensor")
    args = parser.parse_args()
    try:
        benchmark(args)
    except InputError as e:
        print(f"{PROGRAM}: {e}", file=sys.stderr)
        sys.exit(2)


def benchmark(args):
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    table = sys.stderr if args.json else sys.stdout

    probe = read_input_tensor(args.input_tensor) if args.input_tensor else None
    started = time.perf_counter()
    nets = load(args.models)
    load_ms = (time.perf_counter() - started) * 1000
    flops = {b: fullsize.count_flops(folds[0]) for b, folds in nets.items()}
    per_backbone, per_case = time_cases(nets, args.cases)
    logits = logits_for(nets, probe) if probe is not None else None
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
