"""The exported dataset (docs/dataset-export.md) and the run's data pipeline, as src/data/pipeline.ts.

- subset: the first trainSize / testSize images of a seeded shuffle of each split; mean and std
  recomputed over the chosen training images (src/data/stats.ts: population std, at least 1e-3).
- label noise: round(fraction * count) images, chosen at random, get a uniformly random class.
- batches: (byte/255 - mean) / std, NHWC float32; optional crop (4-pixel black padding) + flip.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np

from rng import stream

MIN_STD = 1e-3
CROP_PAD = 4


@dataclass
class Split:
    images: np.ndarray  # uint8 [n, h, w, c]
    labels: np.ndarray  # int64 [n]

    @property
    def count(self) -> int:
        return int(self.labels.shape[0])


@dataclass
class Dataset:
    name: str
    seed: int | None
    class_names: list[str]
    train: Split
    test: Split
    mean: np.ndarray  # float64 [c]
    std: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.train.images.shape[1:])  # type: ignore[return-value]


def read_manifest(folder: str) -> dict:
    with open(os.path.join(folder, "dataset.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("format") != "esam-playground/dataset@1":
        raise ValueError(f"{folder}/dataset.json: not an esam-playground/dataset@1 manifest")
    return meta


def manifest_name(folder: str) -> str:
    """The dataset name an export holds, without reading its images."""
    return read_manifest(folder)["name"]


def load_export(folder: str) -> Dataset:
    """Reads a folder written by `npm run export:dataset`."""
    meta = read_manifest(folder)
    shape = (meta["height"], meta["width"], meta["channels"])

    def split(which: str) -> Split:
        m = meta[which]
        images = np.fromfile(os.path.join(folder, m["images"]), dtype=np.uint8)
        labels = np.fromfile(os.path.join(folder, m["labels"]), dtype=np.uint8)
        if images.size != m["count"] * int(np.prod(shape)) or labels.size != m["count"]:
            raise ValueError(f"{folder}: {which} files do not hold {m['count']} images of {shape}")
        return Split(images.reshape((m["count"], *shape)), labels.astype(np.int64))

    return Dataset(
        name=meta["name"],
        seed=meta.get("seed"),
        class_names=list(meta["classNames"]),
        train=split("train"),
        test=split("test"),
        mean=np.asarray(meta["mean"], dtype=np.float64),
        std=np.asarray(meta["std"], dtype=np.float64),
    )


def channel_stats(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and population std of NHWC bytes on the 0..1 scale."""
    c = images.shape[-1]
    flat = images.reshape(-1, c)
    if flat.shape[0] == 0:
        return np.zeros(c), np.ones(c)
    hist = np.stack([np.bincount(flat[:, k], minlength=256) for k in range(c)]).astype(np.float64)
    values = np.arange(256) / 255.0
    n = flat.shape[0]
    mean = hist @ values / n
    var = (hist * (values[None, :] - mean[:, None]) ** 2).sum(axis=1) / n
    return mean, np.maximum(MIN_STD, np.sqrt(var))


def prepare(dataset: Dataset, train_size: int, test_size: int, label_noise: float, seed: int) -> Dataset:
    """The run's data: its seeded subsets (0 = all) and label noise on the training split."""

    def pick(split: Split, size: int, label: str) -> Split:
        if size <= 0 or size >= split.count:
            return split
        idx = stream(seed, label).permutation(split.count)[:size]
        return Split(split.images[idx], split.labels[idx])

    train = pick(dataset.train, train_size, "subset-train")
    test = pick(dataset.test, test_size, "subset-test")
    mean, std = (dataset.mean, dataset.std) if train is dataset.train else channel_stats(train.images)
    if label_noise > 0:
        r = stream(seed, "label-noise")
        labels = train.labels.copy()
        n = int(np.floor(label_noise * train.count + 0.5))
        chosen = r.permutation(train.count)[:n]
        labels[chosen] = r.integers(0, len(dataset.class_names), size=n)
        train = Split(train.images, labels)
    return Dataset(dataset.name, dataset.seed, dataset.class_names, train, test, mean, std)


class Normaliser:
    """byte -> (byte/255 - mean)/std per channel, by table lookup (as normalisationTable)."""

    def __init__(self, mean: np.ndarray, std: np.ndarray):
        values = np.arange(256, dtype=np.float64) / 255.0
        self.table = ((values[None, :] - mean[:, None]) / std[:, None]).astype(np.float32)  # [c, 256]

    def __call__(self, images: np.ndarray) -> np.ndarray:
        c = images.shape[-1]
        out = np.empty(images.shape, dtype=np.float32)
        for k in range(c):
            out[..., k] = self.table[k][images[..., k]]
        return out


def augment(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random crop with 4-pixel black padding, then random horizontal flip, per image (bytes)."""
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (CROP_PAD, CROP_PAD), (CROP_PAD, CROP_PAD), (0, 0)))
    out = np.empty_like(images)
    dy = rng.integers(0, 2 * CROP_PAD + 1, size=n)
    dx = rng.integers(0, 2 * CROP_PAD + 1, size=n)
    flip = rng.random(n) < 0.5
    for i in range(n):
        crop = padded[i, dy[i] : dy[i] + h, dx[i] : dx[i] + w]
        out[i] = crop[:, ::-1] if flip[i] else crop
    return out


def batch_count(count: int, batch_size: int) -> int:
    """Training batches per epoch: the ragged last batch is dropped."""
    return count // batch_size
