"""Weights in the engine's layouts (src/engine/weights.ts TensorData: name, shape, row-major data).

Conv kernels are [kh, kw, in, out] in the engine and [out, in, kh, kw] in the twin; everything
else has the same layout in both.
"""

from __future__ import annotations

import torch


def to_twin(name: str, shape: list[int], data) -> torch.Tensor:
    t = torch.tensor(data, dtype=torch.float32).reshape(shape)
    return t.permute(3, 2, 0, 1).contiguous() if t.dim() == 4 else t


def to_engine(t: torch.Tensor) -> torch.Tensor:
    t = t.detach().cpu()
    return t.permute(2, 3, 1, 0).contiguous() if t.dim() == 4 else t


@torch.no_grad()
def load(model, params: list[dict], state: list[dict]) -> None:
    """Assigns engine-layout tensors to the model's params and state, matched by name."""
    for group, stored in ((model.params, params), (model.state, state)):
        by_name = {d["name"]: d for d in stored}
        for name, t in group:
            if name not in by_name:
                raise ValueError(f"stored weights do not fit the model: {name} is missing")
            d = by_name[name]
            value = to_twin(name, d["shape"], d["data"])
            if value.shape != t.shape:
                raise ValueError(f"{name}: shape {list(value.shape)} does not fit {list(t.shape)}")
            t.copy_(value)
