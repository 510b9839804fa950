"""Phantom cases from `ccs phantoms`, read and preprocessed exactly as the product preprocesses a case."""
import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "models" / "training" / ".cache"

HEIGHT, WIDTH = 224, 112
CROP_ROWS = slice(6, 218)  # 212 rows: the central 95 %
CROP_COLS = slice(3, 109)  # 106 columns


def generator_fingerprint():
    """Cached phantoms are only reused while the generator's source is unchanged."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "Ccs.Phantoms").glob("*.cs")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def generate(seed, count, log):
    folder = CACHE / f"phantoms-s{seed}-n{count}-{generator_fingerprint()}"
    if (folder / ".complete").exists():
        log(f"phantoms seed={seed} count={count}: cached in {folder.relative_to(ROOT)}")
        return folder
    command = ["dotnet", "run", "--project", "src/Ccs.Cli", "-c", "Release", "--",
               "phantoms", "--count", str(count), "--seed", str(seed), "--out", str(folder)]
    log("running " + " ".join(command))
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    (folder / ".complete").touch()
    return folder


def load_slices(cases):
    """The case folders' slices as uint8 [N, 224, 112, 3] (channels 0.png, 1.png, 2.png)."""
    slices = np.zeros((len(cases), HEIGHT, WIDTH, 3), dtype=np.uint8)
    for i, case in enumerate(cases):
        for channel in range(3):
            image = Image.open(case / f"{channel}.png")
            if image.mode != "L" or image.size != (WIDTH, HEIGHT):
                raise ValueError(f"{case / f'{channel}.png'}: expected 8-bit grey {WIDTH}x{HEIGHT}")
            slices[i, :, :, channel] = np.asarray(image)
    return slices


def load(folder):
    """Slices as uint8 [N, 224, 112, 3] and the case records, in caseId order."""
    cases = sorted(p for p in folder.iterdir() if p.is_dir())
    return load_slices(cases), [json.loads((case / "case.json").read_text()) for case in cases]


def preprocess(slices):
    """uint8 NHWC -> float32 NCHW on 0..255: centre crop to 95 %, bilinear back to 224 x 112 (half-pixel centres)."""
    x = torch.from_numpy(slices).float()[:, CROP_ROWS, CROP_COLS, :].permute(0, 3, 1, 2)
    return F.interpolate(x, size=(HEIGHT, WIDTH), mode="bilinear", align_corners=False, antialias=False).contiguous()
