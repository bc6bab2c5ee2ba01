"""Seeded random streams: one run seed, independent named streams (like src/engine/random.ts fork).

The twin does not reproduce the engine's mulberry32 numbers; it draws the same kinds of things
(subset, label noise, order, SWP masks, probe batch, augmentation) from its own seeded streams,
so runs are statistically equal to the engine's, and reproducible for a given seed.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, label: str) -> np.random.Generator:
    """The stream named `label` of run seed `seed`."""
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(label.encode())])
