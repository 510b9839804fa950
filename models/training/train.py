#!/usr/bin/python3
"""Reproduces the demo models from nothing but a seed: phantoms, twelve fold models, ONNX files, demographics
regressions, models/manifest.json, and a check on phantoms of a seed never trained on.

    /usr/bin/python3 models/training/train.py
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import phantoms  # noqa: E402
from backbones import BACKBONES  # noqa: E402
from export import check_against_autograd, export, sha256  # noqa: E402

MODELS = phantoms.ROOT / "models"
LOG = MODELS / "training" / "train_log.txt"

TRAIN_SEED, TRAIN_COUNT = 1001, 900
HELDOUT_SEED, HELDOUT_COUNT = 9001, 300
FOLDS = 3
EPOCHS = 10
BATCH = 16
LEARNING_RATE = 3e-3
MAX_ONNX_BYTES = 2 * 1024 * 1024

_log_lines = []


def log(message):
    line = f"[{time.strftime('%H:%M:%S')}] {message}"
    print(line, flush=True)
    _log_lines.append(message)


def load_average():
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def augment(images, generator):
    """Small shifts, gain and swapped lateral slices; anatomy is never mirrored (anterior stays left)."""
    n = images.shape[0]
    dy, dx = (torch.randint(-6, 7, (1,), generator=generator).item(),
              torch.randint(-4, 5, (1,), generator=generator).item())
    images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))
    gain = 0.8 + 0.4 * torch.rand(n, 1, 1, 1, generator=generator)
    swap = torch.rand(n, generator=generator) < 0.5
    images = images * gain
    images[swap] = images[swap][:, [2, 1, 0]]
    return images.clamp(0, 255)


def train_fold(backbone_id, fold, images, labels, train_index):
    seed = 1000 * list(BACKBONES).index(backbone_id) + fold
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    net = BACKBONES[backbone_id][1]()
    optimiser = torch.optim.AdamW(net.parameters(), lr=LEARNING_RATE, weight_decay=1e-4)
    steps = EPOCHS * ((len(train_index) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, LEARNING_RATE, total_steps=steps, pct_start=0.25)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for epoch in range(EPOCHS):
        print(f"  {backbone_id} fold {fold} epoch {epoch + 1}/{EPOCHS} at {time.strftime('%H:%M:%S')}", flush=True)
        net.train()
        order = train_index[torch.randperm(len(train_index), generator=generator)]
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            if len(batch) < 2:
                continue
            _, logit = net(augment(images[batch], generator))
            loss = loss_fn(logit[:, 0], labels[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    return net.eval()


def probabilities(net, images):
    with torch.no_grad():
        return torch.cat([torch.sigmoid(net(images[i:i + 64])[1][:, 0]) for i in range(0, len(images), 64)]).numpy()


def fit_demographics(oof, ages, sexes, labels):
    """Logistic regressions on raw inputs: standardised for fitting, then folded back into the coefficients."""
    backbones = list(BACKBONES)
    columns = {b: oof[b] for b in backbones} | {"age": ages, "sex": sexes}
    models = []
    for name, extra in (("age", ["age"]), ("sex", ["sex"]), ("age_sex", ["age", "sex"])):
        names = backbones + extra
        x = np.stack([columns[c] for c in names], axis=1).astype(np.float64)
        mean, std = x.mean(axis=0), x.std(axis=0)
        fit = LogisticRegression(C=1.0, max_iter=1000).fit((x - mean) / std, labels)
        coefficients = fit.coef_[0] / std
        intercept = float(fit.intercept_[0] - np.sum(coefficients * mean))
        models.append({"name": name, "intercept": intercept,
                       "coefficients": {c: float(v) for c, v in zip(names, coefficients)}})
    return models


def demographic_probability(model, columns):
    z = model["intercept"] + sum(v * columns[c] for c, v in model["coefficients"].items())
    return 1 / (1 + np.exp(-z))


def main():
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    log(f"torch {torch.__version__}; threads {torch.get_num_threads()}")

    slices, records = phantoms.load(phantoms.generate(TRAIN_SEED, TRAIN_COUNT, log))
    images = phantoms.preprocess(slices)
    labels = torch.tensor([r["label"] for r in records], dtype=torch.float32)
    ages = np.array([r["age"] for r in records], dtype=np.float64)
    sexes = np.array([0.0 if r["sex"] == "M" else 1.0 for r in records])
    grades = np.bincount([r["grade"] for r in records], minlength=4)
    log(f"training phantoms: {len(records)}, positives {int(labels.sum())}, Kang grades 0-3: {grades.tolist()}")
    fold_of = np.arange(len(records)) % FOLDS

    nets, oof, validation_auc = {}, {}, {}
    started, cpu_started = time.time(), time.process_time()
    for backbone_id in BACKBONES:
        oof[backbone_id] = np.zeros(len(records))
        for fold in range(1, FOLDS + 1):
            fold_started, fold_cpu = time.time(), time.process_time()
            held = np.flatnonzero(fold_of == fold - 1)
            net = train_fold(backbone_id, fold, images, labels, torch.from_numpy(np.flatnonzero(fold_of != fold - 1)))
            oof[backbone_id][held] = probabilities(net, images[held])
            auc = roc_auc_score(labels[held].numpy(), oof[backbone_id][held])
            log(f"{backbone_id} fold {fold}: validation AUC {auc:.4f} in {time.time() - fold_started:.0f} s "
                f"({time.process_time() - fold_cpu:.0f} CPU s)")
            nets[(backbone_id, fold)] = net
        validation_auc[backbone_id] = round(float(roc_auc_score(labels.numpy(), oof[backbone_id])), 4)
        log(f"{backbone_id}: out-of-fold AUC {validation_auc[backbone_id]:.4f}")
    minutes = round((time.time() - started) / 60, 1)
    log(f"twelve fold models trained in {minutes} min wall clock, "
        f"{(time.process_time() - cpu_started) / 60:.1f} min of CPU time; load average then {load_average()}")

    backbone_entries = export_all(nets, images)
    demographics = fit_demographics(oof, ages, sexes, labels.numpy())
    write_manifest(backbone_entries, demographics, minutes, validation_auc)
    check_heldout(nets, demographics)
    LOG.write_text("\n".join(_log_lines) + "\n")


def export_all(nets, images):
    example = images[:4].permute(0, 2, 3, 1).contiguous()
    entries = []
    for backbone_id, (display_name, _) in BACKBONES.items():
        folds = []
        for fold in range(1, FOLDS + 1):
            net = nets[(backbone_id, fold)]
            path = MODELS / "demo" / backbone_id / f"fold{fold}.onnx"
            export(net, path, example)
            size = path.stat().st_size
            if size > MAX_ONNX_BYTES:
                raise SystemExit(f"{path} is {size} bytes, over the {MAX_ONNX_BYTES} limit")
            diff = check_against_autograd(net, images[4:12].permute(0, 2, 3, 1).contiguous())
            if max(diff.values()) >= 1e-4:
                raise SystemExit(f"{backbone_id} fold {fold}: exported forward disagrees with autograd: {diff}")
            log(f"{backbone_id} fold {fold}: {path.relative_to(MODELS)} {size} bytes; max abs diff vs trained net "
                f"and autograd: logit {diff['logit']:.1e}, features {diff['features']:.1e}, "
                f"cam_weights {diff['cam_weights']:.1e}")
            write_reference(exported_outputs(net, example), backbone_id, fold, example)
            folds.append({"fold": fold, "file": f"demo/{backbone_id}/fold{fold}.onnx", "sha256": sha256(path)})
        net = nets[(backbone_id, 1)]
        with torch.no_grad():
            height, width = net(images[:1])[0].shape[2:]
        entries.append({
            "id": backbone_id, "displayName": display_name, "architecture": net.architecture, "version": "1.0.0",
            "features": {"height": int(height), "width": int(width), "channels": net.channels},
            "folds": folds,
        })
    return entries


def exported_outputs(net, example):
    from export import ExportedNet
    with torch.no_grad():
        return ExportedNet(net).eval()(example)


def write_reference(outputs, backbone_id, fold, example):
    """Raw float32 inputs and outputs of the exported forward, for checking the ONNX files in another runtime."""
    folder = phantoms.CACHE / "onnx-reference"
    folder.mkdir(parents=True, exist_ok=True)
    for name, tensor in zip(("image", "logit", "features", "cam_weights"), (example, *outputs)):
        (folder / f"{backbone_id}-fold{fold}-{name}.bin").write_bytes(tensor.contiguous().numpy().tobytes())


def write_manifest(backbones, demographics, minutes, validation_auc):
    manifest = {
        "schemaVersion": 1,
        "name": "ccs-demo",
        "version": "demo-1.0.0",
        "provenance": f"Demo weights trained on synthetic phantoms generated by `ccs phantoms` (seed {TRAIN_SEED}, "
                      f"{TRAIN_COUNT} cases; checked on seed {HELDOUT_SEED}); not trained on patient data; "
                      "not for clinical use.",
        "input": {"name": "image", "height": 224, "width": 112, "channels": 3, "layout": "NHWC", "range": [0, 255]},
        "outputs": {"logit": "logit", "features": "features", "camWeights": "cam_weights"},
        "backbones": backbones,
        "demographics": {"threshold": 0.5, "sexEncoding": {"M": 0, "F": 1}, "models": demographics},
        "training": {"trainSeed": TRAIN_SEED, "trainCount": TRAIN_COUNT, "folds": FOLDS, "minutes": minutes,
                     "validationAuc": validation_auc},
    }
    (MODELS / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log("wrote models/manifest.json")


def check_heldout(nets, demographics):
    slices, records = phantoms.load(phantoms.generate(HELDOUT_SEED, HELDOUT_COUNT, log))
    images = phantoms.preprocess(slices)
    labels = np.array([r["label"] for r in records])
    columns = {"age": np.array([r["age"] for r in records], dtype=np.float64),
               "sex": np.array([0.0 if r["sex"] == "M" else 1.0 for r in records])}
    log(f"held-out phantoms: seed {HELDOUT_SEED}, {len(records)} cases, {int(labels.sum())} positive")
    for backbone_id in BACKBONES:
        columns[backbone_id] = np.mean([probabilities(nets[(backbone_id, f)], images)
                                        for f in range(1, FOLDS + 1)], axis=0)
        log(f"held-out AUC {backbone_id}: {roc_auc_score(labels, columns[backbone_id]):.4f}")
    ensemble = np.mean([columns[b] for b in BACKBONES], axis=0)
    log(f"held-out AUC ensemble (mean of the four): {roc_auc_score(labels, ensemble):.4f}, "
        f"accuracy at 0.5: {np.mean((ensemble >= 0.5) == labels):.4f}")
    for model in demographics:
        p = demographic_probability(model, columns)
        log(f"held-out demographics model {model['name']}: AUC {roc_auc_score(labels, p):.4f}, "
            f"accuracy at 0.5: {np.mean((p >= 0.5) == labels):.4f}")


if __name__ == "__main__":
    main()
