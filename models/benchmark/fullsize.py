"""The four full-size torchvision backbones at 224 x 112 with the study head, in the product's model contract.

Shared by export_fullsize.py (writes the ONNX files) and torch_eager.py (times the same nets in PyTorch eager), so
both sides run the same weights. The weights are random: these nets exist to measure speed and memory, and know
nothing about stenosis.
"""
import sys
from pathlib import Path

import torch
from torch import nn
from torchvision import models

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))
from backbones import Head  # noqa: E402  (the study head the demo models use, wider here)

HEIGHT, WIDTH, CHANNELS = 224, 112, 3
HIDDEN = 256
FOLDS = (1, 2, 3)
CALIBRATION_IMAGES = 8

# ImageNet statistics on the 0..255 scale, applied inside the model.
MEAN = torch.tensor([0.485, 0.456, 0.406]) * 255
STD = torch.tensor([0.229, 0.224, 0.225]) * 255


def _resnet50():
    net = models.resnet50()
    body = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3, net.layer4)
    return body, 2048


def _vgg16():
    # The whole convolution stack, fifth max pool included: the study's Keras head reads block5_pool (7 x 3 here).
    return models.vgg16().features, 512


def _mobilenet_v3_large():
    return models.mobilenet_v3_large().features, 960


def _efficientnet_v2_s():
    return models.efficientnet_v2_s().features, 1280


BACKBONES = {
    "resnet50": ("ResNet50", _resnet50,
                 "torchvision resnet50 up to layer4 (no avgpool, no fc); the study head on top."),
    "vgg16": ("VGG16", _vgg16,
              "torchvision vgg16 features (13 convolutions and 5 max pools, features = block5_pool) without the "
              "4096-wide fully connected layers; the study head on top."),
    "mobilenet_v3_large": ("MobileNetV3-Large", _mobilenet_v3_large,
                           "torchvision mobilenet_v3_large features (to the 960-channel hard-swish 1x1 conv); "
                           "the study head on top."),
    "efficientnet_v2_s": ("EfficientNetV2-S", _efficientnet_v2_s,
                          "torchvision efficientnet_v2_s features (to the 1280-channel SiLU 1x1 conv); "
                          "the study head on top."),
}


def fold_seed(backbone_id, fold):
    return 100 * list(BACKBONES).index(backbone_id) + fold


class FullSizeNet(nn.Module):
    """NHWC 0..255 image in; logit, NHWC last-conv features and Grad-CAM weights out.

    In eval mode dropout is the identity and batch norm is an affine map bn = relu(z) * s + t, so with
    g = GAP(features) and z = W1 g + b1 the gradient d logit / d g is ((z > 0) * s * w2) @ W1, computed here in
    closed form instead of by autograd.
    """

    def __init__(self, backbone_id):
        super().__init__()
        _, build, _ = BACKBONES[backbone_id]
        self.backbone, self.channels = build()
        self.head = Head(self.channels, hidden=HIDDEN)
        self.register_buffer("mean", MEAN.reshape(1, 3, 1, 1).clone())
        self.register_buffer("std", STD.reshape(1, 3, 1, 1).clone())

    def features_nchw(self, image_nhwc):
        return self.backbone((image_nhwc.permute(0, 3, 1, 2) - self.mean) / self.std)

    def forward(self, image_nhwc):
        features = self.features_nchw(image_nhwc)
        pooled = features.mean(dim=(2, 3))
        dense1, norm, dense2 = self.head.dense1, self.head.norm, self.head.dense2
        scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
        shift = norm.bias - norm.running_mean * scale
        z = pooled @ dense1.weight.t() + dense1.bias
        logit = (torch.relu(z) * scale + shift) @ dense2.weight.t() + dense2.bias
        cam_weights = ((z > 0).to(z.dtype) * scale * dense2.weight) @ dense1.weight
        return logit, features.permute(0, 2, 3, 1), cam_weights


def build(backbone_id, fold):
    """A fold's net with seeded random weights and batch-norm statistics taken from seeded noise images.

    Random weights with the default running statistics (mean 0, variance 1) let activations grow or shrink layer
    after layer in eval mode; statistics measured on real forward passes keep them at the scale a trained net has,
    so the timing does not depend on overflowing or denormal values.
    """
    torch.manual_seed(fold_seed(backbone_id, fold))
    net = FullSizeNet(backbone_id).eval()
    norms = [m for m in net.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None
        norm.train()
    images = torch.rand(CALIBRATION_IMAGES, HEIGHT, WIDTH, CHANNELS) * 255
    with torch.no_grad():
        net.head.forward_pooled(net.features_nchw(images).mean(dim=(2, 3)))
    for norm in norms:
        norm.momentum = 0.1
    return net.eval()


def autograd_difference(net, images_nhwc):
    """Largest |cam_weights - d logit / d GAP(features)| with the gradient from autograd through the head's own
    modules, and the largest |logit| difference between the closed form and those modules."""
    net = net.eval()
    with torch.no_grad():
        logit, _, cam_weights = net(images_nhwc)
        pooled = net.features_nchw(images_nhwc).mean(dim=(2, 3))
    pooled = pooled.detach().requires_grad_(True)
    reference = net.head.forward_pooled(pooled)
    gradient, = torch.autograd.grad(reference.sum(), pooled)
    return {
        "logit": (logit - reference.detach()).abs().max().item(),
        "cam_weights": (cam_weights - gradient).abs().max().item(),
        "cam_weights_scale": gradient.abs().max().item(),
    }


def count_flops(net):
    """FLOPs of one image (batch 1): 2 x the multiply-accumulates of every convolution and dense layer of the
    backbone, plus the head's three matrix products. Batch norm, activations, pooling and additions are left out;
    ONNX Runtime folds the batch norms into the convolutions and the rest is under 1 % of the work."""
    macs = []

    def on_conv(module, _, output):
        kernel = module.kernel_size[0] * module.kernel_size[1]
        macs.append(output.numel() * kernel * module.in_channels // module.groups)

    def on_linear(module, _, output):
        macs.append(output.numel() * module.in_features)

    hooks = [m.register_forward_hook(on_conv) for m in net.backbone.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(on_linear) for m in net.backbone.modules() if isinstance(m, nn.Linear)]
    try:
        with torch.no_grad():
            net.features_nchw(torch.zeros(1, HEIGHT, WIDTH, CHANNELS))
    finally:
        for hook in hooks:
            hook.remove()
    head = net.channels * HIDDEN + HIDDEN + HIDDEN * net.channels
    return 2 * (sum(macs) + head)
