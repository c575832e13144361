#!/usr/bin/env python3
"""PyTorch's parameter counts of digits CNNs of several shapes, for test/nn/cnn-arch.test.ts.

Run from the repository root with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 scripts/cnn-param-counts.py
It writes test/fixtures/torch/cnn-params.json (or the path given as the first argument). Each network is the one
src/nn/models.ts builds for `--filters F1,F2,... --pool P1,P2,...`: per layer a 3x3 convolution without padding
(with bias), ReLU, and max pooling of size P (none when P is 1), then flatten and a dense layer to 10 classes.
The count is PyTorch's own: the sum of numel() over the trainable parameters, found by running a 28x28 digit
through the network (not by eds's formula).
"""
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "torch", "cnn-params.json")

# (filters per conv layer, max-pool size after each): the default, the small ones a student tries, deep, wide,
# uneven pooling, no pooling.
SHAPES = [
    ([8, 16], [2, 2]),
    ([4, 8], [2, 2]),
    ([8, 8], [2, 2]),
    ([2, 4], [2, 3]),
    ([16], [1]),
    ([4, 8, 16], [2, 2, 1]),
    ([8, 16, 32], [1, 2, 2]),
    ([3, 5, 7, 9, 11], [1, 1, 2, 1, 2]),
    ([6], [4]),
    ([1, 1], [3, 2]),
]


def cnn(filters, pool):
    layers = []
    channels = 1
    for f, p in zip(filters, pool):
        layers += [nn.Conv2d(channels, f, 3), nn.ReLU()]
        if p > 1:
            layers.append(nn.MaxPool2d(p))
        channels = f
    body = nn.Sequential(*layers, nn.Flatten())
    with torch.no_grad():
        flat = body(torch.zeros(1, 1, 28, 28)).shape[1]
    return nn.Sequential(body, nn.Linear(flat, 10)), flat


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    rows = []
    for filters, pool in SHAPES:
        model, flat = cnn(filters, pool)
        params = sum(p.numel() for p in model.parameters() if p.requires_grad)
        rows.append({"filters": filters, "pool": pool, "flatten": flat, "params": params})
    doc = {
        "generator": "scripts/cnn-param-counts.py",
        "torch": torch.__version__,
        "networks": rows,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"wrote {out}: {len(rows)} networks")


if __name__ == "__main__":
    main()
