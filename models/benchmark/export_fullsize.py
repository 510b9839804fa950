#!/usr/bin/python3
"""Exports the full-size benchmark model set: four torchvision backbones x three folds, random weights, in the
product's ONNX contract, with a manifest that `ccs bench --models models/fullsize` loads.

    /usr/bin/python3 models/benchmark/export_fullsize.py [--out models/fullsize]

Each fold's PyTorch weights are saved next to its ONNX file, so torch_eager.py times exactly the same nets.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import onnx
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fullsize  # noqa: E402
from export import sha256  # noqa: E402  (models/training, put on the path by fullsize)

ROOT = Path(__file__).resolve().parents[2]
OPSET = 17
CHECK_TOLERANCE = 1e-4


def export(net, path):
    extra = {"dynamo": False} if "dynamo" in torch.onnx.export.__code__.co_varnames else {}
    batch = {0: "N"}
    torch.onnx.export(
        net, (torch.zeros(1, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS),), str(path),
        opset_version=OPSET, input_names=["image"], output_names=["logit", "features", "cam_weights"],
        dynamic_axes={"image": batch, "logit": batch, "features": batch, "cam_weights": batch},
        do_constant_folding=True, **extra)
    onnx.checker.check_model(str(path))


def check_cam_weights(backbone_id, net):
    images = torch.rand(2, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS, generator=torch.Generator()
                        .manual_seed(7)) * 255
    difference = fullsize.autograd_difference(net, images)
    relative = difference["cam_weights"] / max(difference["cam_weights_scale"], 1e-12)
    print(f"  {backbone_id}: cam_weights vs autograd max |diff| {difference['cam_weights']:.3g} "
          f"(relative {relative:.3g}), logit max |diff| {difference['logit']:.3g}", flush=True)
    if relative > CHECK_TOLERANCE:
        raise SystemExit(f"{backbone_id}: closed-form cam_weights differ from autograd by {relative:.3g}")
    return difference


def export_backbone(backbone_id, out):
    display, _, architecture = fullsize.BACKBONES[backbone_id]
    folds, features, flops = [], None, None
    for fold in fullsize.FOLDS:
        started = time.perf_counter()
        net = fullsize.build(backbone_id, fold)
        if fold == fullsize.FOLDS[0]:
            check_cam_weights(backbone_id, net)
            flops = fullsize.count_flops(net)
            with torch.no_grad():
                _, sample, _ = net(torch.zeros(1, fullsize.HEIGHT, fullsize.WIDTH, fullsize.CHANNELS))
            features = dict(zip(("height", "width", "channels"), sample.shape[1:]))
        relative = Path(backbone_id) / f"fold{fold}.onnx"
        (out / backbone_id).mkdir(parents=True, exist_ok=True)
        export(net, out / relative)
        torch.save(net.state_dict(), out / relative.with_suffix(".pt"))
        folds.append({"fold": fold, "file": str(relative), "sha256": sha256(out / relative)})
        print(f"  {backbone_id} fold {fold}: {(out / relative).stat().st_size / 1e6:.1f} MB in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    return {
        "id": backbone_id, "displayName": display, "architecture": architecture,
        "version": f"random-seed-{fullsize.fold_seed(backbone_id, 1)}",
        "features": {k: int(v) for k, v in features.items()}, "folds": folds, "flops": flops,
    }


def placeholder_demographics(ids):
    """Logistic regressions of the right shape, with made-up coefficients: the benchmark times them, nothing
    more."""
    share = {b: 1.0 for b in ids}
    return {
        "threshold": 0.5,
        "sexEncoding": {"M": 0, "F": 1},
        "models": [
            {"name": "age", "intercept": -2.0, "coefficients": {**share, "age": 0.0}},
            {"name": "sex", "intercept": -2.0, "coefficients": {**share, "sex": 0.0}},
            {"name": "age_sex", "intercept": -2.0, "coefficients": {**share, "age": 0.0, "sex": 0.0}},
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "fullsize")
    parser.add_argument("--backbones", nargs="*", default=list(fullsize.BACKBONES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"torch {torch.__version__}, onnx {onnx.__version__}, opset {OPSET}, writing {args.out}", flush=True)
    backbones = [export_backbone(b, args.out) for b in args.backbones]
    manifest = {
        "schemaVersion": 1,
        "name": "ccs-fullsize-random",
        "version": "fullsize-random-1",
        "provenance": (
            "Benchmark-only model set from models/benchmark/export_fullsize.py: full-size torchvision "
            f"architectures at {fullsize.HEIGHT} x {fullsize.WIDTH} with random weights (torch.manual_seed "
            "100 x backbone index + fold) and batch-norm statistics from seeded noise images. They know nothing "
            "about stenosis. The demographics coefficients are PLACEHOLDERS (1.0 per backbone, 0 for age and "
            "sex), present only because the manifest format requires them. 'flops' per backbone is 2 x the "
            "convolution and dense multiply-accumulates of one image (models/benchmark/fullsize.py)."),
        "input": {"name": "image", "height": fullsize.HEIGHT, "width": fullsize.WIDTH,
                  "channels": fullsize.CHANNELS, "layout": "NHWC", "range": [0, 255]},
        "outputs": {"logit": "logit", "features": "features", "camWeights": "cam_weights"},
        "backbones": backbones,
        "demographics": placeholder_demographics([b["id"] for b in backbones]),
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps({b["id"]: b["flops"] for b in backbones}))


if __name__ == "__main__":
    main()
