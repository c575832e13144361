#!/usr/bin/env python3
"""Packs the 22 NCEDC windows of the PhaseNet repository into datasets/phases-ncedc/ (NumPy only).

Each ../shared/data/phases/NAME.npz (float64 data [9001, 3], itp, its, channels; zip entries stored, 217 kB) is
written to datasets/phases-ncedc/NAME.npz with the same keys and layout, `data` as little-endian float32 and
the archive deflated (np.savez_compressed): 22 files in 0.98 MB instead of 4.8 MB. PhaseNet's own readers and
eds's read them unchanged. float32 keeps every sample to better than 0.01 count: the counts are integers minus
a per-channel mean, at most 255,406 in magnitude (below 2^24).

Run from the repository root:  python3 scripts/pack-ncedc-windows.py
"""
import glob
import os

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SOURCE = os.path.join(ROOT, "..", "shared", "data", "phases")
OUT = os.path.join(ROOT, "datasets", "phases-ncedc")

os.makedirs(OUT, exist_ok=True)
files = sorted(glob.glob(os.path.join(SOURCE, "*.npz")))
before = after = 0
worst = 0.0
for path in files:
    z = np.load(path)
    data = z["data"].astype("<f4")
    worst = max(worst, float(np.max(np.abs(data.astype(np.float64) - z["data"]))))
    target = os.path.join(OUT, os.path.basename(path))
    np.savez_compressed(target, data=data, itp=z["itp"], its=z["its"], channels=z["channels"])
    before += os.path.getsize(path)
    after += os.path.getsize(target)
print(f"{len(files)} windows: {before:,} bytes -> {after:,} bytes; largest float32 rounding {worst:.4g} counts")
