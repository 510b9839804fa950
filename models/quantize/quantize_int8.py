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
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "models" / "training"))
import graph_runner  # noqa: E402
import phantoms  # noqa: E402
from export import sha256  # noqa: E402

CALIBRATION_SEED = 4242
CALIBRATION_CASES = 64
BATCH = 16
WEIGHT_MAX = 127


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
    missing = [name for name, (low, _) in ranges.items() if not np.isfinite(low)]
    if missing:
        raise SystemExit(f"calibration never computed {missing[:3]}")
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
        raise SystemExit(f"{source}: a convolution reads the graph input directly; the contract's input is raw "
                         "0..255 intensities and is expected to be normalised inside the graph first")
    ranges = calibrate(model, set(chosen.values()), images)
    normalisation_as_gemm(model)
    QdqWriter(model, convs, chosen, ranges).write()
    model.producer_name = "ccs models/quantize/quantize_int8.py"
    onnx.checker.check_model(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    return len(convs), len(chosen)


def calibration_images(folder, seed, count):
    """Preprocessed NHWC images of the case folders (0.png, 1.png, 2.png) below `folder`, or of phantoms."""
    if folder is None:
        slices, _ = phantoms.load(phantoms.generate(seed, count, lambda message: print(message, flush=True)))
    else:
        cases = sorted(p.parent for p in folder.rglob("1.png") if (p.parent / "0.png").exists())
        if not cases:
            raise SystemExit(f"{folder}: no case folder (0.png, 1.png, 2.png) found for calibration")
        slices = phantoms.load_slices(cases)
    return phantoms.preprocess(slices).permute(0, 2, 3, 1).contiguous()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True, help="folder with the FP32 manifest.json")
    parser.add_argument("--out", type=Path, required=True, help="folder for the INT8 files and manifest")
    parser.add_argument("--calibration", type=Path,
                        help="folder of case folders (8-bit 224 x 112 slices) to calibrate on instead of phantoms")
    parser.add_argument("--calibration-seed", type=int, default=CALIBRATION_SEED)
    parser.add_argument("--calibration-cases", type=int, default=CALIBRATION_CASES)
    args = parser.parse_args()
    if args.out.resolve() == args.models.resolve():
        raise SystemExit("--out must be another folder than --models")
    manifest = json.loads((args.models / "manifest.json").read_text())
    images = calibration_images(args.calibration, args.calibration_seed, args.calibration_cases)
    calibration = (f"{len(images)} cases from {args.calibration}" if args.calibration
                   else f"{len(images)} phantom cases (seed {args.calibration_seed})")
    print(f"calibration: {calibration}", flush=True)
    for backbone in manifest["backbones"]:
        for fold in backbone["folds"]:
            started = time.perf_counter()
            source, target = args.models / fold["file"], args.out / fold["file"]
            convs, tensors = quantise_model(source, target, images)
            fold["sha256"] = sha256(target)
            print(f"  {fold['file']}: {convs} convolutions, {tensors} activations quantised, "
                  f"{source.stat().st_size / 1e6:.1f} -> {target.stat().st_size / 1e6:.1f} MB "
                  f"in {time.perf_counter() - started:.1f} s", flush=True)
    manifest["name"] = f"{manifest['name']}-int8"
    manifest["version"] = f"{manifest['version']}-int8"
    manifest["provenance"] = (
        f"{manifest['provenance']} Quantised to INT8 by models/quantize/quantize_int8.py: per-channel symmetric "
        f"int8 convolution weights, uint8 activations calibrated on {calibration}; the input normalisation, "
        "hard-swish, the head and cam_weights stay float32.")
    manifest["precision"] = "int8"
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
