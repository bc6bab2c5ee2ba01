"""run@1 / runs@1 records (src/engine/run-record.ts, README "Run JSON")."""

from __future__ import annotations

import datetime
import math
import platform
import uuid

import torch

RUN_FORMAT = "esam-playground/run@1"
RUNS_FORMAT = "esam-playground/runs@1"
EPOCH_KEYS = [
    "epoch", "seconds", "imagesPerSec", "lr", "trainLoss", "trainAcc", "testLoss", "testAcc",
    "lossBPlus", "lossBMinus", "lossBPlusPerturbed", "lossBMinusPerturbed",
    "cosBPlus", "cosBMinus", "cosRandom", "sharpness",
]
OPTIONAL_EPOCH_KEYS = ["linearity", "linearityBPlus", "linearityBMinus"]


def new_record(name: str, config: dict, device: str, world: int) -> dict:
    return {
        "format": RUN_FORMAT,
        "id": str(uuid.uuid4()),
        "name": name,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "status": "running",
        "error": None,
        "config": config,
        "environment": environment(device, world),
        "epochs": [],
        "summary": summarize([], 0),
    }


def environment(device: str, world: int) -> dict:
    kind = device.split(":")[0]
    adapter = torch.cuda.get_device_name(torch.device(device)) if kind == "cuda" else None
    procs = f"; {world} processes" if world > 1 else ""
    return {
        "backend": f"pytorch-{kind}",
        "adapter": adapter,
        # run@1 names this field after tfjs; the twin records the torch version there.
        "tfjsVersion": f"none (torch {torch.__version__})",
        "agent": f"python {platform.python_version()} ({platform.system().lower()} {platform.machine()}){procs}",
    }


def summarize(epochs: list[dict], images_per_epoch: int) -> dict:
    """As summarize(): throughput leaves out the first epoch unless it is the only one."""
    accs = [e["testAcc"] for e in epochs]
    timed = epochs[1:] if len(epochs) > 1 else epochs
    seconds = sum(e["seconds"] for e in timed)
    return {
        "finalTestAcc": accs[-1] if accs else None,
        "bestTestAcc": max(accs) if accs else None,
        "imagesPerSec": len(timed) * images_per_epoch / seconds if timed and seconds > 0 else None,
        "totalSeconds": sum(e["seconds"] for e in epochs),
    }


def finite_epoch(e: dict) -> bool:
    return all(math.isfinite(e[k]) for k in EPOCH_KEYS) and all(k not in e or math.isfinite(e[k]) for k in OPTIONAL_EPOCH_KEYS)


def runs_document(records: list[dict]) -> dict:
    return {"format": RUNS_FORMAT, "runs": records}
