"""ONNX export with the product's contract: image NHWC 0..255 in; logit, NHWC features and Grad-CAM weights out."""
import hashlib

import torch
from torch import nn

OPSET = 17


def sha256(path):
    """Lowercase hex SHA-256 of a model file, as the manifest lists it and the product checks it."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ExportedNet(nn.Module):
    """The trained net with its head written out, eval batch norm folded, so cam_weights is computed analytically:
    with g = GAP(features), z = W1 g + b1, logit = w2 . (relu(z) * s + t) + b2,
    d logit / d g = ((z > 0) * s * w2) @ W1."""

    def __init__(self, net):
        super().__init__()
        net = net.eval()
        head = net.head
        scale = head.norm.weight / torch.sqrt(head.norm.running_var + head.norm.eps)
        self.backbone = net.backbone
        self.normalise = net.normalise
        self.register_buffer("w1", head.dense1.weight.detach().clone())
        self.register_buffer("b1", head.dense1.bias.detach().clone())
        self.register_buffer("scale", scale.detach().clone())
        self.register_buffer("shift", (head.norm.bias - head.norm.running_mean * scale).detach().clone())
        self.register_buffer("w2", head.dense2.weight.detach().clone().reshape(-1, 1))
        self.register_buffer("b2", head.dense2.bias.detach().clone())

    def forward(self, image):
        features = self.backbone(self.normalise(image.permute(0, 3, 1, 2)))
        pooled = features.mean(dim=(2, 3))
        z = pooled @ self.w1.t() + self.b1
        logit = (torch.relu(z) * self.scale + self.shift) @ self.w2 + self.b2
        cam_weights = ((z > 0).to(z.dtype) * self.scale * self.w2.reshape(1, -1)) @ self.w1
        return logit, features.permute(0, 2, 3, 1), cam_weights


def check_against_autograd(net, images_nhwc):
    """Largest differences between the exported forward and the trained net: logit, and cam_weights against
    d logit / d GAP(features) from autograd."""
    net = net.eval()
    exported = ExportedNet(net).eval()
    with torch.no_grad():
        logit, features, cam_weights = exported(images_nhwc)
        features_nchw, reference_logit = net(images_nhwc.permute(0, 3, 1, 2))
    pooled = features_nchw.mean(dim=(2, 3)).detach().requires_grad_(True)
    gradient, = torch.autograd.grad(net.head.forward_pooled(pooled).sum(), pooled)
    return {
        "logit": (logit - reference_logit).abs().max().item(),
        "features": (features - features_nchw.permute(0, 2, 3, 1)).abs().max().item(),
        "cam_weights": (cam_weights - gradient).abs().max().item(),
    }


def export(net, path, example_nhwc):
    exported = ExportedNet(net).eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {}
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        extra["dynamo"] = False
    batch = {0: "N"}
    torch.onnx.export(
        exported, (example_nhwc,), str(path), opset_version=OPSET,
        input_names=["image"], output_names=["logit", "features", "cam_weights"],
        dynamic_axes={"image": batch, "logit": batch, "features": batch, "cam_weights": batch},
        do_constant_folding=True, **extra)
