"""Runs an ONNX graph of the model contract with PyTorch operators, to observe its intermediate tensors.

The quantiser needs the range of every activation it quantises, measured on real inputs. There is no onnxruntime
Python package here and onnx 1.12 has no reference evaluator, so this executes the graph node by node with
torch.nn.functional. It knows the operators that the demo and full-size backbones use and names any other one
rather than guessing its meaning.
"""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

ONNX_TO_TORCH = {
    onnx.TensorProto.FLOAT: torch.float32,
    onnx.TensorProto.INT64: torch.int64,
    onnx.TensorProto.INT32: torch.int32,
    onnx.TensorProto.BOOL: torch.bool,
}


class UnsupportedGraph(Exception):
    """The graph uses an operator or an attribute this runner does not implement."""


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _spatial_padding(node, pads, fill):
    """ONNX pads are [top, left, bottom, right]; symmetric ones go to the operator, others to F.pad first."""
    if not pads or len(pads) != 4:
        return None, (0, 0)
    top, left, bottom, right = pads
    if top == bottom and left == right:
        return None, (top, left)
    return (lambda x: F.pad(x, (left, right, top, bottom), value=fill)), (0, 0)


def _conv(node, x, weight, bias=None):
    a = attributes(node)
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedGraph(f"Conv {node.name}: auto_pad is not supported")
    pre, padding = _spatial_padding(node, a.get("pads"), 0.0)
    if pre:
        x = pre(x)
    return F.conv2d(x, weight, bias, stride=tuple(a.get("strides", (1, 1))), padding=padding,
                    dilation=tuple(a.get("dilations", (1, 1))), groups=a.get("group", 1))


def _max_pool(node, x):
    a = attributes(node)
    pre, padding = _spatial_padding(node, a.get("pads"), float("-inf"))
    if pre:
        x = pre(x)
    return F.max_pool2d(x, tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])), padding,
                        tuple(a.get("dilations", (1, 1))), ceil_mode=bool(a.get("ceil_mode", 0)))


def _average_pool(node, x):
    a = attributes(node)
    pre, padding = _spatial_padding(node, a.get("pads"), 0.0)
    if pre:
        if a.get("count_include_pad", 0) == 0:
            raise UnsupportedGraph(f"AveragePool {node.name}: asymmetric pads without count_include_pad")
        x = pre(x)
    return F.avg_pool2d(x, tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])), padding,
                        ceil_mode=bool(a.get("ceil_mode", 0)),
                        count_include_pad=bool(a.get("count_include_pad", 0)))


def _pad(node, x, pads, value=None):
    mode = attributes(node).get("mode", b"constant")
    if mode not in (b"constant", "constant"):
        raise UnsupportedGraph(f"Pad {node.name}: mode {mode} is not supported")
    pads = [int(p) for p in pads.tolist()]
    rank = x.dim()
    begins, ends = pads[:rank], pads[rank:]
    torch_order = []
    for axis in reversed(range(rank)):
        torch_order += [begins[axis], ends[axis]]
    return F.pad(x, torch_order, value=0.0 if value is None else float(value))


def _reduce_mean(node, x, axes=None):
    a = attributes(node)
    dims = a.get("axes") if axes is None else axes.tolist()
    return x.mean(dim=tuple(dims), keepdim=bool(a.get("keepdims", 1)))


def _hard_sigmoid(node, x):
    a = attributes(node)
    return torch.clamp(a.get("alpha", 0.2) * x + a.get("beta", 0.5), 0, 1)


OPERATORS = {
    "Conv": _conv,
    "MaxPool": _max_pool,
    "AveragePool": _average_pool,
    "Pad": _pad,
    "ReduceMean": _reduce_mean,
    "HardSigmoid": _hard_sigmoid,
    "Relu": lambda node, x: torch.relu(x),
    "Sigmoid": lambda node, x: torch.sigmoid(x),
    "HardSwish": lambda node, x: x * torch.clamp(x / 6 + 0.5, 0, 1),
    "GlobalAveragePool": lambda node, x: x.mean(dim=(2, 3), keepdim=True),
    "Transpose": lambda node, x: x.permute(*attributes(node)["perm"]),
    "Identity": lambda node, x: x,
    "Add": lambda node, x, y: x + y,
    "Sub": lambda node, x, y: x - y,
    "Mul": lambda node, x, y: x * y,
    "Div": lambda node, x, y: x / y,
    "MatMul": lambda node, x, y: x @ y,
    "Greater": lambda node, x, y: x > y,
    "Cast": lambda node, x: x.to(ONNX_TO_TORCH[attributes(node)["to"]]),
    "Constant": lambda node: torch.from_numpy(numpy_helper.to_array(attributes(node)["value"]).copy()),
}


def unsupported_operators(model):
    """The graph's operator types this runner cannot execute, sorted; checking them costs no constant copies."""
    return sorted({n.op_type for n in model.graph.node if n.op_type not in OPERATORS})


class GraphRunner:
    """Executes one ONNX model on torch tensors and hands every tensor it computes to an observer."""

    def __init__(self, model):
        unsupported = unsupported_operators(model)
        if unsupported:
            raise UnsupportedGraph(f"operators not supported by the calibration runner: {', '.join(unsupported)}")
        self.model = model
        self.constants = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
                          for i in model.graph.initializer}

    def run(self, inputs, observe=None):
        """inputs: graph input name -> tensor. observe(name, tensor) sees each node output; returns the graph
        outputs by name."""
        values = dict(self.constants)
        values.update(inputs)
        with torch.inference_mode():
            for node in self.model.graph.node:
                arguments = [values[name] if name else None for name in node.input]
                while arguments and arguments[-1] is None:
                    arguments.pop()
                outputs = OPERATORS[node.op_type](node, *arguments)
                outputs = outputs if isinstance(outputs, tuple) else (outputs,)
                for name, value in zip(node.output, outputs):
                    values[name] = value
                    if observe:
                        observe(name, value)
        return {o.name: values[o.name] for o in self.model.graph.output}


def as_numpy(tensor):
    return tensor.detach().cpu().numpy().astype(np.float32)
