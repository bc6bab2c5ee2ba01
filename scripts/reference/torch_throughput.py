"""PyTorch training throughput of the app's `cnn` and `cnn-bn` models on this CPU, for `npm run bench`.

The same models as src/engine/models/cnn.ts (three conv 3x3 'same' -> ReLU -> max-pool 2x2 blocks
of width, 2*width, 4*width channels, the conv with bias in `cnn` and bias-free followed by
BatchNorm in `cnn-bn`; global average pool; dense), the same batch of
CIFAR-shaped float32 images, softmax cross-entropy and SGD with momentum 0.9 and weight decay
5e-4, as `npm run bench` times the tfjs engine. Prints one JSON object on stdout:

    {"torch": "2.x", "threads": 2, "imagesPerSec": [...one per sample...]}

    python3 scripts/reference/torch_throughput.py --batch 32 --warmup 1 --steps 2 --samples 3
"""
import argparse
import json
import time

import torch
from torch import nn


def cnn(width: int, channels: int, classes: int, batch_norm: bool) -> nn.Module:
    widths = [width, 2 * width, 4 * width]
    layers: list[nn.Module] = []
    inputs = channels
    for w in widths:
        if batch_norm:
            layers += [nn.Conv2d(inputs, w, 3, padding=1, bias=False), nn.BatchNorm2d(w, eps=1e-5, momentum=0.1)]
        else:
            layers += [nn.Conv2d(inputs, w, 3, padding=1)]
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
        inputs = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(widths[-1], classes))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="cnn", choices=["cnn", "cnn-bn"])
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--steps", type=int, default=2)
    p.add_argument("--samples", type=int, default=3)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    args = p.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = cnn(args.width, 3, 10, batch_norm=args.model == "cnn-bn")
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    # Four distinct batches, cycled, as the tfjs benchmark does (NCHW is PyTorch's layout).
    batches = [(torch.randn(args.batch, 3, 32, 32), torch.randint(0, 10, (args.batch,))) for _ in range(4)]
    cursor = 0

    def run(steps: int) -> None:
        nonlocal cursor
        for _ in range(steps):
            x, y = batches[cursor % len(batches)]
            cursor += 1
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        if not torch.isfinite(loss):
            raise SystemExit(f"the loss became {loss.item()}")

    run(args.warmup)
    rates = []
    for _ in range(args.samples):
        start = time.perf_counter()
        run(args.steps)
        rates.append(args.steps * args.batch / (time.perf_counter() - start))
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "imagesPerSec": rates}))


if __name__ == "__main__":
    main()
