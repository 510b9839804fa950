"""Compact members of the four backbone families, each with the study's classification head.

Every net takes NCHW float images on the raw 0..255 scale and returns (features, logit), where features is the
last convolutional activation that the head averages and Grad-CAM weighs.
"""
from functools import partial

import torch
from torch import nn
from torchvision.models.efficientnet import FusedMBConv, FusedMBConvConfig, MBConv, MBConvConfig
from torchvision.models.mobilenetv3 import InvertedResidual, InvertedResidualConfig
from torchvision.models.resnet import Bottleneck
from torchvision.ops.misc import Conv2dNormActivation

HIDDEN = 64
DROPOUT = 0.3

# Phantom slices average about 90 with a spread of about 60 on the 0..255 scale.
PIXEL_MEAN = 90.0
PIXEL_STD = 60.0


class Head(nn.Module):
    """Global average pool, dropout, dense + ReLU, batch norm, dropout, dense to one logit."""

    def __init__(self, channels, hidden=HIDDEN):
        super().__init__()
        self.drop1 = nn.Dropout(DROPOUT)
        self.dense1 = nn.Linear(channels, hidden)
        self.norm = nn.BatchNorm1d(hidden)
        self.drop2 = nn.Dropout(DROPOUT)
        self.dense2 = nn.Linear(hidden, 1)

    def forward_pooled(self, pooled):
        hidden = self.norm(torch.relu(self.dense1(self.drop1(pooled))))
        return self.dense2(self.drop2(hidden))

    def forward(self, features):
        return self.forward_pooled(features.mean(dim=(2, 3)))


class CcsNet(nn.Module):
    def __init__(self, backbone, channels, architecture):
        super().__init__()
        self.backbone = backbone
        self.head = Head(channels)
        self.channels = channels
        self.architecture = architecture

    @staticmethod
    def normalise(image_nchw):
        """Standardise, and halve the resolution: on a shared 2-core CPU the twelve demo models only train in
        the time allowed at 112 x 56, where a stenotic cord indentation is still 2 or more pixels deep."""
        return nn.functional.avg_pool2d((image_nchw - PIXEL_MEAN) / PIXEL_STD, 2)

    def forward(self, image_nchw):
        features = self.backbone(self.normalise(image_nchw))
        return features, self.head(features)


def resnet():
    def stage(inplanes, planes, stride, blocks):
        out = planes * Bottleneck.expansion
        down = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride, bias=False), nn.BatchNorm2d(out))
        rest = [Bottleneck(out, planes) for _ in range(blocks - 1)]
        return nn.Sequential(Bottleneck(inplanes, planes, stride, down), *rest)

    backbone = nn.Sequential(
        Conv2dNormActivation(3, 12, 3, stride=2, activation_layer=nn.ReLU),
        nn.MaxPool2d(3, 2, 1),
        stage(12, 6, 1, 1),
        stage(24, 12, 2, 1),
        stage(48, 24, 2, 1),
        stage(96, 32, 1, 2),
    )
    return CcsNet(backbone, 128, "Compact ResNet: 3x3 stem and max pool, then four stages of torchvision ResNet "
                  "bottleneck blocks (1-1-1-2 blocks, expansion 4, widths 24-48-96-128), stride 16 on the "
                  "half-resolution input; the study head "
                  "on top.")


def vgg():
    def convs(inputs, outputs, count):
        layers = []
        for i in range(count):
            layers.append(Conv2dNormActivation(inputs if i == 0 else outputs, outputs, 3, activation_layer=nn.ReLU))
        return layers

    pool = partial(nn.MaxPool2d, 2, 2, ceil_mode=True)
    backbone = nn.Sequential(
        *convs(3, 8, 1), pool(),
        *convs(8, 16, 1), pool(),
        *convs(16, 32, 2), pool(),
        *convs(32, 64, 2), pool(),
        *convs(64, 128, 1),
    )
    return CcsNet(backbone, 128, "Compact VGG: plain 3x3 convolution stacks with batch norm (1-1-2-2-1 convs, "
                  "widths 8 to 128) and four 2x2 max pools, stride 16 on the half-resolution input; "
                  "the study head on top.")


def mobilenet():
    def block(inputs, kernel, expanded, outputs, se, activation, stride):
        config = InvertedResidualConfig(inputs, kernel, expanded, outputs, se, activation, stride, 1, 1.0)
        return InvertedResidual(config, nn.BatchNorm2d)

    backbone = nn.Sequential(
        Conv2dNormActivation(3, 8, 3, stride=2, activation_layer=nn.Hardswish),
        block(8, 3, 8, 8, False, "RE", 2),
        block(8, 3, 32, 16, False, "RE", 1),
        block(16, 3, 48, 16, False, "RE", 1),
        block(16, 5, 48, 32, True, "RE", 2),
        block(32, 5, 96, 32, True, "HS", 1),
        block(32, 3, 128, 64, True, "HS", 2),
        block(64, 3, 192, 64, True, "HS", 1),
        Conv2dNormActivation(64, 128, 1, activation_layer=nn.Hardswish),
    )
    return CcsNet(backbone, 128, "Compact MobileNetV3-Large: hard-swish stem, seven torchvision inverted residual "
                  "blocks (squeeze-excitation in the last four, ReLU then hard-swish), 1x1 hard-swish conv to 128 "
                  "channels, stride 16 on the half-resolution input; the study head on top.")


def efficientnet():
    configs = [
        FusedMBConvConfig(1, 3, 2, 8, 16, 1),
        FusedMBConvConfig(4, 3, 1, 16, 24, 1),
        MBConvConfig(4, 3, 2, 24, 40, 1),
        MBConvConfig(6, 3, 2, 40, 64, 2),
    ]
    layers = [Conv2dNormActivation(3, 8, 3, stride=2, activation_layer=nn.SiLU)]
    for config in configs:
        for i in range(config.num_layers):
            config_i = config
            if i > 0:
                config_i = type(config)(**{**vars(config), "input_channels": config.out_channels, "stride": 1})
            layers.append(config_i.block(config_i, 0.0, nn.BatchNorm2d))
    layers.append(Conv2dNormActivation(64, 128, 1, activation_layer=nn.SiLU))
    return CcsNet(nn.Sequential(*layers), 128, "Compact EfficientNetV2-S: SiLU stem, two torchvision fused-MBConv "
                  "stages then two MBConv stages with squeeze-excitation, 1x1 SiLU conv to 128 channels, stride 16 "
                  "on the half-resolution input; the study head on top.")


BACKBONES = {
    "resnet50": ("ResNet50", resnet),
    "vgg16": ("VGG16", vgg),
    "mobilenet_v3_large": ("MobileNetV3-Large", mobilenet),
    "efficientnet_v2_s": ("EfficientNetV2-S", efficientnet),
}
