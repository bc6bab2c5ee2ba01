"""The engine's models (src/engine/models) in torch, with the same parameter names, order and init.

Inputs are NHWC, as the engine's batches; conv models turn them to NCHW inside. Kernels are
stored in torch layout (conv [out, in, kh, kw]); dense kernels in the engine's [in, out].
`weights.py` converts to and from the engine's layouts. He-normal kernels (std sqrt(2/fan_in)),
zero biases, BatchNorm gamma 1, beta 0, running mean 0 and variance 1.

BatchNorm follows the engine's ForwardMode: 'train-record' (batch statistics, running statistics
updated with momentum 0.1 and the unbiased variance: the first forward of a step only), 'train'
(batch statistics, running statistics untouched), 'eval' (running statistics).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

MODEL_NAMES = ["cnn-bn", "cnn", "mlp", "linear", "conv", "resnet8", "resnet20"]
BN_MOMENTUM = 0.1
BN_EPSILON = 1e-5


class Builder:
    """Creates named parameters in the engine's order, drawn from one torch generator."""

    def __init__(self, generator: torch.Generator):
        self.g = generator
        self.params: list[tuple[str, torch.Tensor]] = []
        self.state: list[tuple[str, torch.Tensor]] = []

    def _param(self, name: str, value: torch.Tensor) -> torch.Tensor:
        p = value.requires_grad_(True)
        self.params.append((name, p))
        return p

    def _he(self, shape: tuple[int, ...], fan_in: int) -> torch.Tensor:
        return torch.randn(shape, generator=self.g, dtype=torch.float32) * math.sqrt(2.0 / fan_in)

    def dense(self, name: str, inputs: int, outputs: int) -> dict:
        return {
            "kernel": self._param(f"{name}/kernel", self._he((inputs, outputs), inputs)),
            "bias": self._param(f"{name}/bias", torch.zeros(outputs)),
        }

    def conv(self, name: str, size: int, inputs: int, outputs: int, stride: int = 1, bias: bool = True) -> dict:
        return {
            "kernel": self._param(f"{name}/kernel", self._he((outputs, inputs, size, size), size * size * inputs)),
            "bias": self._param(f"{name}/bias", torch.zeros(outputs)) if bias else None,
            "stride": stride,
        }

    def batch_norm(self, name: str, channels: int) -> dict:
        layer = {
            "gamma": self._param(f"{name}/gamma", torch.ones(channels)),
            "beta": self._param(f"{name}/beta", torch.zeros(channels)),
            "runningMean": torch.zeros(channels),
            "runningVar": torch.ones(channels),
        }
        self.state.append((f"{name}/runningMean", layer["runningMean"]))
        self.state.append((f"{name}/runningVar", layer["runningVar"]))
        return layer


def dense(x: torch.Tensor, layer: dict) -> torch.Tensor:
    return x @ layer["kernel"] + layer["bias"]


def conv(x: torch.Tensor, layer: dict) -> torch.Tensor:
    """tfjs 'same' padding: for stride 2 on an even size the extra row and column go after."""
    k = layer["kernel"]
    size, stride = k.shape[-1], layer["stride"]
    h, w = x.shape[-2:]
    pad_h = max((math.ceil(h / stride) - 1) * stride + size - h, 0)
    pad_w = max((math.ceil(w / stride) - 1) * stride + size - w, 0)
    if pad_h or pad_w:
        x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
    return F.conv2d(x, k, layer["bias"], stride=stride)


def batch_norm(x: torch.Tensor, layer: dict, mode: str) -> torch.Tensor:
    if mode == "eval":
        return F.batch_norm(x, layer["runningMean"], layer["runningVar"], layer["gamma"], layer["beta"], False, 0.0, BN_EPSILON)
    if mode == "train-record":
        return F.batch_norm(x, layer["runningMean"], layer["runningVar"], layer["gamma"], layer["beta"], True, BN_MOMENTUM, BN_EPSILON)
    return F.batch_norm(x, None, None, layer["gamma"], layer["beta"], True, 0.0, BN_EPSILON)


def gap(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=(2, 3))


class Model:
    """Named params and state, and a forward pass `apply(x_nhwc, mode)` to logits."""

    def __init__(self, name: str, builder: Builder, forward):
        self.name = name
        self.params = builder.params
        self.state = builder.state
        self._forward = forward

    def apply(self, x: torch.Tensor, mode: str) -> torch.Tensor:
        return self._forward(x, mode)

    def tensors(self) -> list[torch.Tensor]:
        return [p for _, p in self.params]

    def to(self, device: torch.device) -> "Model":
        """Moves every tensor in place (layers hold references to the same tensors)."""
        for group in (self.params, self.state):
            for _, t in group:
                t.data = t.data.to(device)
        return self


def _cnn(b: Builder, shape, classes: int, width: int, bn: bool):
    widths = [width, 2 * width, 4 * width]
    blocks = []
    for i, w in enumerate(widths):  # conv0, bn0, conv1, bn1, ...: the engine's parameter order
        layer = b.conv(f"conv{i}", 3, shape[2] if i == 0 else widths[i - 1], w, bias=not bn)
        blocks.append((layer, b.batch_norm(f"bn{i}", w) if bn else None))
    out = b.dense("dense0", widths[2], classes)

    def forward(x, mode):
        h = x.permute(0, 3, 1, 2)
        for layer, norm in blocks:
            h = conv(h, layer)
            if norm is not None:
                h = batch_norm(h, norm, mode)
            h = F.max_pool2d(F.relu(h), 2, 2)
        return dense(gap(h), out)

    return forward


def _mlp(b: Builder, dims: list[int]):
    layers = [b.dense(f"dense{i}", dims[i], o) for i, o in enumerate(dims[1:])]

    def forward(x, mode):
        h = x.reshape(x.shape[0], dims[0])  # NHWC flattening, as the engine's reshape
        for i, layer in enumerate(layers):
            h = dense(h, layer)
            if i < len(layers) - 1:
                h = F.relu(h)
        return h

    return forward


def _conv(b: Builder, shape, classes: int, filters: int):
    conv0 = b.conv("conv0", 3, shape[2], filters)
    out = b.dense("dense0", filters, classes)
    return lambda x, mode: dense(gap(F.relu(conv(x.permute(0, 3, 1, 2), conv0))), out)


def _resnet(b: Builder, shape, classes: int, blocks_per_stage: int, multiplier: int):
    widths = [w * multiplier for w in (16, 32, 64)]
    stem = b.conv("conv0", 3, shape[2], widths[0], bias=False)
    stem_bn = b.batch_norm("bn0", widths[0])
    blocks = []
    inputs = widths[0]
    for stage, w in enumerate(widths):
        for i in range(blocks_per_stage):
            stride = 2 if stage > 0 and i == 0 else 1
            p = f"stage{stage + 1}/block{i}"
            block = {
                "conv1": b.conv(f"{p}/conv1", 3, inputs, w, stride=stride, bias=False),
                "bn1": b.batch_norm(f"{p}/bn1", w),
                "conv2": b.conv(f"{p}/conv2", 3, w, w, bias=False),
                "bn2": b.batch_norm(f"{p}/bn2", w),
                "shortcut": None,
            }
            if stride != 1 or inputs != w:
                block["shortcut"] = (
                    b.conv(f"{p}/shortcut", 1, inputs, w, stride=stride, bias=False),
                    b.batch_norm(f"{p}/shortcutBn", w),
                )
            blocks.append(block)
            inputs = w
    out = b.dense("dense0", inputs, classes)

    def forward(x, mode):
        h = F.relu(batch_norm(conv(x.permute(0, 3, 1, 2), stem), stem_bn, mode))
        for blk in blocks:
            y = F.relu(batch_norm(conv(h, blk["conv1"]), blk["bn1"], mode))
            y = batch_norm(conv(y, blk["conv2"]), blk["bn2"], mode)
            skip = h if blk["shortcut"] is None else batch_norm(conv(h, blk["shortcut"][0]), blk["shortcut"][1], mode)
            h = F.relu(y + skip)
        return dense(gap(h), out)

    return forward


def create_model(name: str, shape: tuple[int, int, int], classes: int, seed: int) -> Model:
    """The model `name` for images of shape (height, width, channels), initialised from `seed`."""
    g = torch.Generator().manual_seed(seed & 0xFFFFFFFF)
    b = Builder(g)
    features = shape[0] * shape[1] * shape[2]
    if name == "cnn":
        forward = _cnn(b, shape, classes, 16, bn=False)
    elif name == "cnn-bn":
        forward = _cnn(b, shape, classes, 16, bn=True)
    elif name == "mlp":
        forward = _mlp(b, [features, 256, classes])
    elif name == "linear":
        forward = _mlp(b, [features, classes])
    elif name == "conv":
        forward = _conv(b, shape, classes, 16)
    elif name == "resnet8":
        forward = _resnet(b, shape, classes, 1, 1)
    elif name == "resnet20":
        forward = _resnet(b, shape, classes, 3, 1)
    else:
        raise ValueError(f"unknown model {name!r} (expected {', '.join(MODEL_NAMES)})")
    return Model(name, b, forward)
