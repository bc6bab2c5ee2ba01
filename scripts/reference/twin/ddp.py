"""Data parallelism over torch.distributed processes (torchrun), without the DDP wrapper.

The step needs gradients of two different losses, for a subset of the tensors in the first
pass, so the twin averages gradients itself: every process computes the gradient of its shard's
mean loss and `average` all-reduces them (equal shard sizes, so the average is the whole batch's
gradient). BatchNorm uses each shard's own batch statistics (as PyTorch DDP without SyncBatchNorm);
`sync_state` averages the running statistics after each step so every process evaluates alike.
Outside torchrun every function is the identity.
"""

from __future__ import annotations

import os

import torch
import torch.distributed as dist


def init(device: str) -> tuple[int, int]:
    """Joins the process group when started by torchrun; returns (rank, world size)."""
    if "WORLD_SIZE" not in os.environ or int(os.environ["WORLD_SIZE"]) <= 1:
        return 0, 1
    dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    return dist.get_rank(), dist.get_world_size()


def active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def average(tensors) -> list[torch.Tensor]:
    tensors = list(tensors)
    if not active():
        return tensors
    n = dist.get_world_size()
    for t in tensors:
        dist.all_reduce(t)
        t.div_(n)
    return tensors


def total(t: torch.Tensor) -> torch.Tensor:
    """The sum over processes of a tensor (a copy)."""
    t = t.clone()
    if active():
        dist.all_reduce(t)
    return t


@torch.no_grad()
def sync_state(state) -> None:
    if active():
        average([t for _, t in state])


def gather_cat(t: torch.Tensor) -> torch.Tensor:
    """The shards' tensors concatenated in rank order (equal sizes)."""
    if not active():
        return t
    parts = [torch.empty_like(t) for _ in range(dist.get_world_size())]
    dist.all_gather(parts, t.contiguous())
    return torch.cat(parts)


def finish() -> None:
    if active():
        dist.destroy_process_group()
