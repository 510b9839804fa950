#!/usr/bin/python3
"""Quantises a model set of the product's ONNX contract to INT8 (QDQ format), calibrated on phantom cases.

    /usr/bin/python3 models/quantize/quantize_int8.py --models models --out models/int8
    /usr/bin/python3 models/quantize/quantize_int8.py --models models/fullsize --out models/fullsize-int8

Every convolution gets per-output-channel symmetric int8 weights, an int32 bias and uint8 activations on its input
and output (after its ReLU, when one follows). Max pools keep their input's scale so that they run on uint8 too.
Everything else (the input normalisation, residual additions, hard-swish, sigmoid and squeeze-excitation products,
the head and cam_weights) stays float32, reading dequantised values, so the model contract is unchanged: float32
image in, float32 logit, features and cam_weights out. ONNX Runtime fuses each DequantizeLinear -> Conv ->
QuantizeLinear into an integer convolution (VNNI where the CPU has it).

Activation ranges are the minimum and maximum over the calibration cases, seen by running each FP32 graph with
PyTorch operators (graph_runner.py). The demo phantoms used for calibration come from `ccs phantoms` with a seed of
their own, so neither training (1001), the held-out check (9001) nor the benchmark (515151) cases are used.

Before calibrating, every fold file is checked against the FP32 manifest (path inside --models, SHA-256, a parseable
FP32 graph), so a tampered or already quantised set is refused rather than turned into an INT8 set the product
would accept. The INT8 set is written into a temporary folder next to --out and moved into place only once every
fold and the manifest are written. A problem the user can fix prints one line naming the file or option and exits 2.
"""
import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import onnx
import torch
from google.protobuf.message import DecodeError
from onnx import helper, numpy_helper

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "models" / "training"))
import graph_runner  # noqa: E402
import phantoms  # noqa: E402
from arguments import InputError, positive_int, read_manifest_json  # noqa: E402
from export import sha256  # noqa: E402

PROGRAM = Path(__file__).name
SCHEMA_VERSION = 1
CALIBRATION_SEED = 4242
CALIBRATION_CASES = 64
FEW_CALIBRATION_CASES = 16
BATCH = 16
WEIGHT_MAX = 127
QUANTISED_OPERATORS = {"QuantizeLinear", "DequantizeLinear", "QLinearConv", "ConvInteger", "MatMulInteger"}


def consumers_of(graph):
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    return consumers


def quantised_tensors(model):
    """The convolutions to quantise (by output name) and the activations to quantise: name -> the name whose range
    it shares (itself, or a max pool's input).

    - Every convolution's input and output. The output is taken after the ReLU when the ReLU is its only reader,
      so ONNX Runtime folds the ReLU into the integer convolution (the uint8 range then starts at 0).
    - A max pool's output, with its input's range, so the pool runs on uint8.
    - The output of a sigmoid, an addition, a product or a global average pool whose inputs are all quantised
      (SiLU, residual sums, squeeze-excitation), so ONNX Runtime runs them as QLinearSigmoid, QLinearAdd,
      QLinearMul and QLinearGlobalAveragePool instead of converting to float and back around each one. Left float,
      the squeeze-excitation blocks of EfficientNetV2-S cost more in conversions and layout transposes than their
      integer convolutions save (measured: 26.6 ms a run against 18.2 ms with everything quantised).
    """
    graph = model.graph
    consumers = consumers_of(graph)
    outputs = {o.name for o in graph.output}
    constants = {i.name for i in graph.initializer}
    chosen, convs = {}, set()

    def after_relu(result):
        readers = consumers.get(result, [])
        if len(readers) == 1 and readers[0].op_type == "Relu" and result not in outputs:
            return readers[0].output[0]
        return result

    for node in graph.node:
        if node.op_type == "Conv":
            convs.add(node.output[0])
            chosen.setdefault(node.input[0], node.input[0])
            result = after_relu(node.output[0])
            chosen.setdefault(result, result)
        elif node.op_type == "MaxPool" and node.input[0] in chosen:
            chosen[node.output[0]] = chosen[node.input[0]]
        elif node.op_type in ("Sigmoid", "Add", "Mul", "GlobalAveragePool"):
            activations = [name for name in node.input if name not in constants]
            if len(activations) == len(node.input) and all(name in chosen for name in activations):
                result = after_relu(node.output[0])
                chosen.setdefault(result, result)
    return convs, chosen


def calibrate(model, tensors, images):
    """Minimum and maximum of each named tensor over the calibration images (NHWC float32, 0..255)."""
    runner = graph_runner.GraphRunner(model)
    ranges = {name: [np.inf, -np.inf] for name in tensors}

    def observe(name, value):
        if name in ranges:
            low, high = ranges[name]
            ranges[name] = [min(low, value.min().item()), max(high, value.max().item())]

    input_name = model.graph.input[0].name
    for start in range(0, len(images), BATCH):
        runner.run({input_name: images[start:start + BATCH]}, observe)
    return ranges


def uint8_parameters(low, high):
    """Asymmetric uint8: the range widened to include 0, so zero is exact (padding, ReLU)."""
    low, high = min(low, 0.0), max(high, 0.0)
    scale = (high - low) / 255 if high > low else 1.0
    zero_point = int(np.clip(round(-low / scale), 0, 255))
    return np.float32(scale), np.uint8(zero_point)


def weight_parameters(weight):
    """Symmetric int8 per output channel: zero point 0, as ONNX Runtime's integer convolutions expect."""
    largest = np.abs(weight.reshape(weight.shape[0], -1)).max(axis=1)
    scale = np.where(largest > 0, largest / WEIGHT_MAX, 1.0).astype(np.float32)
    shape = (-1,) + (1,) * (weight.ndim - 1)
    quantised = np.clip(np.round(weight / scale.reshape(shape)), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
    return quantised, scale


def normalisation_as_gemm(model):
    """Rewrites the contract's input normalisation, Transpose(NHWC -> NCHW) -> Sub(mean) -> Div(std), as one Gemm
    on the NHWC pixels followed by the Transpose. ONNX Runtime runs integer convolutions in NHWC and cancels the
    input Transpose against its own; left as they were, Sub and Div would then broadcast their 3 channel constants
    along the innermost axis, which costs about 1 ms a run against 0.05 ms for the Gemm. x * (1 / std) - mean / std
    equals (x - mean) / std to float rounding. Returns False, changing nothing, when the graph starts otherwise."""
    graph = model.graph
    image = graph.input[0]
    consumers = consumers_of(graph)
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    constants.update({n.output[0]: numpy_helper.to_array(graph_runner.attributes(n)["value"])
                      for n in graph.node if n.op_type == "Constant"})
    dims = [d.dim_value for d in image.type.tensor_type.shape.dim]
    try:
        transpose, = consumers[image.name]
        subtract, = consumers[transpose.output[0]]
        divide, = consumers[subtract.output[0]]
        mean = constants[subtract.input[1]].reshape(-1)
        std = constants[divide.input[1]].reshape(-1)
    except (KeyError, ValueError):
        return False
    perm = list(graph_runner.attributes(transpose).get("perm", []))
    channels = dims[3]
    if (transpose.op_type, subtract.op_type, divide.op_type) != ("Transpose", "Sub", "Div") \
            or perm != [0, 3, 1, 2] or len(dims) != 4 or mean.size != channels or std.size != channels:
        return False
    prefix = "normalisation"
    new_constants = [
        numpy_helper.from_array(np.array([-1, channels], np.int64), f"{prefix}/pixels_shape"),
        numpy_helper.from_array(np.diag(1 / std).astype(np.float32), f"{prefix}/inverse_std"),
        numpy_helper.from_array((-mean / std).astype(np.float32), f"{prefix}/shift"),
        numpy_helper.from_array(np.array([-1] + dims[1:], np.int64), f"{prefix}/image_shape"),
    ]
    nodes = [
        helper.make_node("Reshape", [image.name, f"{prefix}/pixels_shape"], [f"{prefix}/pixels"],
                         name=f"{prefix}/flatten"),
        helper.make_node("Gemm", [f"{prefix}/pixels", f"{prefix}/inverse_std", f"{prefix}/shift"],
                         [f"{prefix}/normalised_pixels"], name=f"{prefix}/gemm"),
        helper.make_node("Reshape", [f"{prefix}/normalised_pixels", f"{prefix}/image_shape"],
                         [f"{prefix}/normalised_nhwc"], name=f"{prefix}/unflatten"),
        helper.make_node("Transpose", [f"{prefix}/normalised_nhwc"], [divide.output[0]], name=f"{prefix}/to_nchw",
                         perm=perm),
    ]
    replaced = {id(transpose), id(subtract), id(divide)}
    kept = [n for n in graph.node if id(n) not in replaced]
    del graph.node[:]
    graph.node.extend(nodes + kept)
    graph.initializer.extend(new_constants)
    return True


class QdqWriter:
    """Builds the quantised graph: new initializers and nodes, in an order that stays topological."""

    def __init__(self, model, convs, chosen, ranges):
        self.graph = model.graph
        self.convs = convs
        self.initializers = {i.name: i for i in model.graph.initializer}
        # The exporter shares equal constants (VGG's zero biases) through Identity nodes.
        for node in model.graph.node:
            if node.op_type == "Identity" and node.input[0] in self.initializers:
                self.initializers[node.output[0]] = self.initializers[node.input[0]]
        self.parameters = {}
        for name, source in chosen.items():
            self.parameters[name] = uint8_parameters(*ranges[source])
        self.new_initializers = []
        self.nodes = []

    def constant(self, name, array):
        self.new_initializers.append(numpy_helper.from_array(array, name))
        return name

    def dequantised_conv_inputs(self, node, index):
        weight = numpy_helper.to_array(self.initializers[node.input[1]])
        quantised, weight_scale = weight_parameters(weight)
        prefix = f"{node.name or node.output[0]}/int8"
        inputs = [node.input[0], f"{prefix}/weight"]
        self.nodes.append(helper.make_node(
            "DequantizeLinear",
            [self.constant(f"{prefix}/weight_q", quantised), self.constant(f"{prefix}/weight_scale", weight_scale),
             self.constant(f"{prefix}/weight_zero", np.zeros(weight.shape[0], np.int8))],
            [inputs[1]], name=f"{prefix}/weight_dq", axis=0))
        if len(node.input) > 2 and node.input[2]:
            bias = numpy_helper.to_array(self.initializers[node.input[2]])
            bias_scale = (self.parameters[node.input[0]][0] * weight_scale).astype(np.float32)
            bias_q = np.round(bias / bias_scale).astype(np.int64)
            bias_q = np.clip(bias_q, np.iinfo(np.int32).min, np.iinfo(np.int32).max).astype(np.int32)
            inputs.append(f"{prefix}/bias")
            self.nodes.append(helper.make_node(
                "DequantizeLinear",
                [self.constant(f"{prefix}/bias_q", bias_q), self.constant(f"{prefix}/bias_scale", bias_scale),
                 self.constant(f"{prefix}/bias_zero", np.zeros(bias.shape[0], np.int32))],
                [inputs[2]], name=f"{prefix}/bias_dq", axis=0))
        return inputs

    def quantise_output(self, node, index):
        """Renames the output and puts QuantizeLinear -> DequantizeLinear in front of its old name, so every
        reader (and a graph output of that name) now sees the quantised value."""
        name = node.output[index]
        scale, zero_point = self.parameters[name]
        float_name, q_name = f"{name}/float", f"{name}/uint8"
        node.output[index] = float_name
        scale_name = self.constant(f"{name}/scale", np.array(scale, np.float32))
        zero_name = self.constant(f"{name}/zero", np.array(zero_point, np.uint8))
        self.nodes.append(helper.make_node("QuantizeLinear", [float_name, scale_name, zero_name], [q_name],
                                           name=f"{name}/q"))
        self.nodes.append(helper.make_node("DequantizeLinear", [q_name, scale_name, zero_name], [name],
                                           name=f"{name}/dq"))

    def write(self):
        for index, node in enumerate(self.graph.node):
            if node.op_type == "Conv" and node.output[0] in self.convs:
                inputs = self.dequantised_conv_inputs(node, index)
                del node.input[:]
                node.input.extend(inputs)
            self.nodes.append(node)
            for i, output in enumerate(list(node.output)):
                if output in self.parameters:
                    self.quantise_output(node, i)
        outputs = {o.name for o in self.graph.output}
        read = {name for node in self.nodes for name in node.input}
        # An Identity that only passed a float weight on to a convolution now has no reader.
        nodes = [n for n in self.nodes if n.op_type != "Identity" or n.output[0] in read | outputs]
        read = {name for node in nodes for name in node.input}
        kept = [i for i in self.graph.initializer if i.name in read]
        del self.graph.initializer[:]
        self.graph.initializer.extend(kept + self.new_initializers)
        del self.graph.node[:]
        self.graph.node.extend(nodes)


def quantise_model(source, target, images):
    model = onnx.load(str(source))
    convs, chosen = quantised_tensors(model)
    if any(name == model.graph.input[0].name for name in chosen):
        raise InputError(f"{source}: a convolution reads the graph input directly; the contract's input is raw "
                         "0..255 intensities and is expected to be normalised inside the graph first")
    try:
        ranges = calibrate(model, set(chosen.values()), images)
    except graph_runner.UnsupportedGraph as e:
        raise InputError(f"{source}: {e}") from None
    missing = [name for name, (low, _) in ranges.items() if not np.isfinite(low)]
    if missing:
        raise InputError(f"{source}: calibration never computed {missing[:3]}")
    normalisation_as_gemm(model)
    QdqWriter(model, convs, chosen, ranges).write()
    model.producer_name = "ccs models/quantize/quantize_int8.py"
    onnx.checker.check_model(model)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        onnx.save(model, str(target))
    except OSError as e:
        raise InputError(f"{target}: cannot be written ({e.strerror or e})") from None
    return len(convs), len(chosen)


def check_out_folder(models, out):
    """--out is replaced wholesale at the end, so it must not hold the input set or anything but a model set."""
    if out.resolve() == models.resolve():
        raise InputError(f"--out: {out} is the --models folder; the INT8 set needs a folder of its own")
    if out.resolve() in models.resolve().parents:
        raise InputError(f"--out: {out} holds the --models folder {models}; the INT8 set needs a folder of its own")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} is a file, not a folder")
    if out.is_dir() and not (out / "manifest.json").exists() and any(out.iterdir()):
        raise InputError(f"--out: {out} is not empty and holds no manifest.json, so it is not a model set that "
                         "may be replaced; remove it or choose another folder")


def read_manifest(models):
    """The FP32 manifest, checked for what this script reads from it."""
    path = models / "manifest.json"
    manifest = read_manifest_json(models)
    if not isinstance(manifest, dict) or manifest.get("schemaVersion") != SCHEMA_VERSION:
        version = manifest.get("schemaVersion") if isinstance(manifest, dict) else None
        raise InputError(f"{path}: schemaVersion {version} is not supported; this script reads {SCHEMA_VERSION}")
    if manifest.get("precision", "fp32") != "fp32":
        raise InputError(f"{path}: the set is already quantised (precision {manifest['precision']!r}); "
                         "quantise its FP32 source instead")
    for key in ("name", "version", "provenance"):
        if not isinstance(manifest.get(key), str):
            raise InputError(f"{path}: {key!r} is missing or not a string")
    backbones = manifest.get("backbones")
    if not isinstance(backbones, list) or not backbones \
            or not all(isinstance(b, dict) and isinstance(b.get("folds"), list) and b["folds"] for b in backbones):
        raise InputError(f"{path}: must list at least one backbone, each with at least one fold")
    for fold in (fold for backbone in backbones for fold in backbone["folds"]):
        if not isinstance(fold, dict) or not isinstance(fold.get("file"), str) \
                or not isinstance(fold.get("sha256"), str):
            raise InputError(f"{path}: every fold needs a 'file' and a 'sha256' string, got {fold!r}")
    return manifest


def verified_fold(models, fold):
    """The fold's file below `models`, refused unless it stays inside `models` and has the manifest's SHA-256."""
    manifest_path, file = models / "manifest.json", fold["file"]
    parts = file.replace("\\", "/").split("/")
    if not file or PurePosixPath(file).anchor or PureWindowsPath(file).anchor or ".." in parts:
        raise InputError(f"{manifest_path}: fold file {file!r} leaves the models folder")
    if not re.fullmatch(r"[0-9a-fA-F]{64}", fold["sha256"]):
        raise InputError(f"{manifest_path}: sha256 of {file} is not 64 hexadecimal digits")
    path = models / file
    if not path.is_file():
        raise InputError(f"{path}: fold file not found (listed in {manifest_path})")
    try:
        actual = sha256(path)
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from None
    if actual != fold["sha256"].lower():
        raise InputError(f"{path}: SHA-256 is {actual} but {manifest_path} lists {fold['sha256']}; "
                         "the file is not the one the manifest lists")
    return path


def check_fold_graph(path):
    """Parses the fold and checks it is an FP32 graph of the contract this script can calibrate."""
    try:
        # protobuf warns before it raises on some non-ONNX bytes; the error below says it in one line.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            model = onnx.load(str(path))
        onnx.checker.check_model(model)
    except (DecodeError, onnx.checker.ValidationError) as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputError(f"{path}: is not a valid ONNX model ({reason})") from None
    quantised = sorted({n.op_type for n in model.graph.node} & QUANTISED_OPERATORS)
    if quantised:
        raise InputError(f"{path}: the graph is already quantised (it has {', '.join(quantised)}); "
                         "quantise the FP32 set instead")
    unsupported = graph_runner.unsupported_operators(model)
    if unsupported:
        raise InputError(f"{path}: operators not supported by the calibration runner: {', '.join(unsupported)}")
    shape = [d.dim_value or None for d in model.graph.input[0].type.tensor_type.shape.dim] \
        if model.graph.input else []
    expected = [phantoms.HEIGHT, phantoms.WIDTH, 3]
    if len(shape) != 4 or any(size not in (None, want) for size, want in zip(shape[1:], expected)):
        raise InputError(f"{path}: the graph input should be N x {' x '.join(map(str, expected))} (NHWC), "
                         f"not {' x '.join(str(size or '?') for size in shape) or 'missing'}")


def phantom_slices(seed, count):
    try:
        folder = phantoms.generate(seed, count, lambda message: print(message, flush=True))
    except FileNotFoundError:
        raise InputError("phantoms: dotnet is not on PATH; install the .NET SDK or pass --calibration DIR") from None
    except subprocess.CalledProcessError as e:
        raise InputError(f"phantoms: the generator (seed {seed}, {count} cases) failed with exit status "
                         f"{e.returncode}; its error is printed above") from None
    slices, _ = phantoms.load(folder)
    return slices


def case_slices(folder):
    """Slices of every case folder (0.png, 1.png, 2.png) below `folder`, checked one case at a time so that a bad
    slice is reported with its case."""
    if not folder.exists():
        raise InputError(f"{folder}: calibration folder not found")
    if not folder.is_dir():
        raise InputError(f"{folder}: is not a folder of case folders")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise InputError(f"{folder}: calibration folder cannot be read (permission denied)")
    cases = sorted(p.parent for p in folder.rglob("1.png") if (p.parent / "0.png").exists())
    if not cases:
        raise InputError(f"{folder}: no case folder (0.png, 1.png, 2.png) found for calibration")
    slices = []
    for case in cases:
        try:
            slices.append(phantoms.load_slices([case]))
        except ValueError as e:
            raise InputError(str(e)) from None
        except OSError as e:
            where = e.filename or case
            raise InputError(f"{where}: cannot be read as a PNG slice ({e.strerror or e})") from None
    return np.concatenate(slices)


def calibration_images(folder, seed, count):
    """Preprocessed NHWC images of the case folders (0.png, 1.png, 2.png) below `folder`, or of phantoms."""
    slices = phantom_slices(seed, count) if folder is None else case_slices(folder)
    return phantoms.preprocess(slices).permute(0, 2, 3, 1).contiguous()


@contextlib.contextmanager
def staged_folder(out):
    """A fresh folder next to `out` that replaces `out` only when the block completes; removed on any failure, so
    a half-written set never sits where the product looks for one."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as e:
        raise InputError(f"--out: cannot create a folder next to {out} ({e.strerror or e})") from None
    # mkdtemp makes the folder private (0700); the set should get the permissions any new folder gets.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    try:
        yield staging
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_folder(staging, out):
    """Python has no atomic exchange of two folders, so the old set is moved aside, the new one moved in (the old
    one put back if that fails) and only then deleted; between the two renames `out` is briefly absent."""
    if not out.exists():
        staging.rename(out)
        return
    previous = staging.with_suffix(".previous")
    out.rename(previous)
    try:
        staging.rename(out)
    except OSError:
        previous.rename(out)
        raise
    shutil.rmtree(previous)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True, help="folder with the FP32 manifest.json")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder for the INT8 files and manifest; replaced only once the new set is complete")
    parser.add_argument("--calibration", type=Path,
                        help="folder of case folders (8-bit 224 x 112 slices) to calibrate on instead of phantoms")
    parser.add_argument("--calibration-seed", type=int, default=CALIBRATION_SEED)
    parser.add_argument("--calibration-cases", type=positive_int, default=CALIBRATION_CASES)
    return parser.parse_args()


def quantise_set(args):
    check_out_folder(args.models, args.out)
    manifest = read_manifest(args.models)
    folds = [fold for backbone in manifest["backbones"] for fold in backbone["folds"]]
    sources = [verified_fold(args.models, fold) for fold in folds]
    for source in sources:
        check_fold_graph(source)

    images = calibration_images(args.calibration, args.calibration_seed, args.calibration_cases)
    calibration = (f"{len(images)} cases from {args.calibration}" if args.calibration
                   else f"{len(images)} phantom cases (seed {args.calibration_seed})")
    print(f"calibration: {calibration}", flush=True)
    if len(images) < FEW_CALIBRATION_CASES:
        print(f"{PROGRAM}: warning: calibration: ranges from {len(images)} cases may not cover what the models "
              f"will see; {FEW_CALIBRATION_CASES} or more are advised", file=sys.stderr, flush=True)

    with staged_folder(args.out) as staging:
        for fold, source in zip(folds, sources):
            started = time.perf_counter()
            target = staging / fold["file"]
            convs, tensors = quantise_model(source, target, images)
            fold["sha256"] = sha256(target)
            print(f"  {fold['file']}: {convs} convolutions, {tensors} activations quantised, "
                  f"{source.stat().st_size / 1e6:.1f} -> {target.stat().st_size / 1e6:.1f} MB "
                  f"in {time.perf_counter() - started:.1f} s", flush=True)
        write_manifest(manifest, calibration, staging / "manifest.json")
    print(f"wrote {args.out / 'manifest.json'}", flush=True)


def write_manifest(manifest, calibration, path):
    manifest["name"] = f"{manifest['name']}-int8"
    manifest["version"] = f"{manifest['version']}-int8"
    manifest["provenance"] = (
        f"{manifest['provenance']} Quantised to INT8 by models/quantize/quantize_int8.py: per-channel symmetric "
        f"int8 convolution weights, uint8 activations calibrated on {calibration}; the input normalisation, "
        "hard-swish, the head and cam_weights stay float32.")
    manifest["precision"] = "int8"
    try:
        path.write_text(json.dumps(manifest, indent=2) + "\n")
    except OSError as e:
        raise InputError(f"{path}: cannot be written ({e.strerror or e})") from None


def main():
    args = parse_arguments()
    try:
        quantise_set(args)
    except InputError as e:
        print(f"{PROGRAM}: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
