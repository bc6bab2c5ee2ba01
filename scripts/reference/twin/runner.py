"""One training run, as src/engine/runner.ts: epochs of steps, evaluation, diagnostics, record."""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import ddp
from data import Normaliser, augment, batch_count, prepare
from diagnostics import measure, probe_selected_count
from models import create_model
from record import finite_epoch, new_record, summarize
from rng import stream
from schedule import learning_rate_at
from step import SharpnessAwareOptimizer, draw_swp_mask, step_rule_for

DIVERGED = "the loss became NaN or infinite in epoch {}; try a lower learning rate or ρ"


def run_training(config: dict, dataset, name: str, device: str, log=None, init_weights=None) -> dict:
    """Trains one run; returns its run@1 record (on every process; rank 0 writes it)."""
    rank, world = (torch.distributed.get_rank(), torch.distributed.get_world_size()) if ddp.active() else (0, 1)
    seed = config["seed"]
    ds = config["dataset"]
    data = prepare(dataset, ds["trainSize"], ds["testSize"], ds["labelNoise"], seed)
    bs = config["batchSize"]
    steps = batch_count(data.train.count, bs)
    if steps < 1:
        raise ValueError(f"the training set has {data.train.count} images, fewer than one batch of {bs}")
    if bs % world != 0:
        raise ValueError(f"batch size {bs} does not split evenly over {world} processes")
    shard = bs // world

    cfg = {**config, "dataset": {**ds, "trainSize": data.train.count, "testSize": data.test.count}}
    record = new_record(name, cfg, device, world)
    dev = torch.device(device)
    model = create_model(config["model"], data.shape, len(data.class_names), int(stream(seed, "init").integers(0, 2**31)))
    if init_weights is not None:
        init_weights(model)
    model.to(dev)
    rule = step_rule_for(config["optimizer"])
    opt = SharpnessAwareOptimizer(model, rule, config["momentum"], config["weightDecay"])
    norm = Normaliser(data.mean, data.std)
    to_x = lambda images: torch.from_numpy(norm(images)).to(dev)
    to_y = lambda labels: torch.from_numpy(labels).to(dev)

    probe_idx = stream(seed, "probe").permutation(data.train.count)[:bs]
    probe_x, probe_y = to_x(data.train.images[probe_idx]), to_y(data.train.labels[probe_idx])
    order_rng, aug_rng, swp_rng = stream(seed, "order"), stream(seed, "augment"), stream(seed, "swp")
    diag_rng, lin_rng = stream(seed, "diagnostics"), stream(seed, "linearity")
    total_steps = steps * config["epochs"]
    done = 0
    n_params = len(model.params)

    try:
        for epoch in range(1, config["epochs"] + 1):
            order = order_rng.permutation(data.train.count)
            epoch_lr = learning_rate_at(config["schedule"], config["lr"], done, total_steps)
            start = time.perf_counter()
            loss_sum = torch.zeros((), dtype=torch.float64, device=dev)
            correct = torch.zeros((), dtype=torch.float64, device=dev)
            diverged = False
            for s in range(steps):
                idx = order[s * bs : (s + 1) * bs]
                images = data.train.images[idx]
                if ds["augment"]:
                    images = augment(images, aug_rng)  # drawn for the whole batch on every rank: same stream
                mine = slice(rank * shard, (rank + 1) * shard)
                x, y = to_x(images[mine]), to_y(data.train.labels[idx][mine])
                mask = draw_swp_mask(n_params, rule.beta if rule.kind == "sharpness" else 1.0, swp_rng)
                out = opt.step(x, y, learning_rate_at(config["schedule"], config["lr"], done, total_steps), mask)
                ddp.sync_state(model.state)
                step_loss = ddp.total(out.loss_before.sum().double())
                loss_sum += step_loss
                correct += ddp.total(out.correct.double())
                done += 1
                if (s % 10 == 9 or s == steps - 1) and not math.isfinite(step_loss.item()):
                    diverged = True
                    break
            if device.startswith("cuda"):
                torch.cuda.synchronize(dev)
            seconds = time.perf_counter() - start
            if diverged:
                record["status"], record["error"] = "diverged", DIVERGED.format(epoch)
                break
            test_loss, test_acc = evaluate(model, data.test, bs, to_x, to_y)
            gamma = rule.gamma if rule.kind == "sharpness" and rule.gamma < 0.99 else 0.5
            k = probe_selected_count(gamma, bs)
            random_subset = diag_rng.permutation(bs)[:k]
            linearity = None
            if config.get("linearity"):
                beta = rule.beta if rule.kind == "sharpness" else 1.0
                linearity = {"beta": beta, "adaptive": rule.kind == "sharpness" and rule.adaptive, "swpMask": draw_swp_mask(n_params, beta, lin_rng)}
            diag = measure(model, probe_x, probe_y, config["optimizer"]["rho"], gamma, random_subset, linearity)
            images_seen = steps * bs
            e = {
                "epoch": epoch,
                "seconds": seconds,
                "imagesPerSec": images_seen / seconds,
                "lr": epoch_lr,
                "trainLoss": loss_sum.item() / images_seen,
                "trainAcc": correct.item() / images_seen,
                "testLoss": test_loss,
                "testAcc": test_acc,
                **diag,
            }
            if not finite_epoch(e):
                record["status"], record["error"] = "diverged", DIVERGED.format(epoch)
                break
            record["epochs"].append(e)
            record["summary"] = summarize(record["epochs"], images_seen)
            if log:
                log(epoch_line(e, config["epochs"]))
        if record["status"] == "running":
            record["status"] = "completed"
    except Exception as exc:  # as the engine: a failure ends the run, its record says why
        record["status"], record["error"] = "failed", str(exc)
        print(f"train.py: {exc!r}", file=sys.stderr)
    return record


@torch.no_grad()
def evaluate(model, split, bs: int, to_x, to_y) -> tuple[float, float]:
    """Loss and accuracy over every test image, BatchNorm on running statistics."""
    if split.count == 0:
        return math.nan, math.nan
    loss, correct = 0.0, 0
    for start in range(0, split.count, bs):
        x = to_x(split.images[start : start + bs])
        y = to_y(split.labels[start : start + bs])
        logits = model.apply(x, "eval")
        loss += F.cross_entropy(logits, y, reduction="sum").item()
        correct += int((logits.argmax(dim=1) == y).sum().item())
    return loss / split.count, correct / split.count


def epoch_line(e: dict, epochs: int) -> str:
    return (
        f"epoch {e['epoch']:>{len(str(epochs))}}/{epochs}  train loss {e['trainLoss']:.4f} acc {100 * e['trainAcc']:.1f}%  "
        f"test loss {e['testLoss']:.4f} acc {100 * e['testAcc']:.1f}%  {e['imagesPerSec']:.1f} img/s  {e['seconds']:.1f} s"
    )
