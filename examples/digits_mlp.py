"""What examples/pytorch_mlp.py and examples/keras_mlp.py share: the command line, each trial's settings, and the
digits data without scikit-learn: the copy embedded in hpo's Swift sources (the same 1,797 8×8 images the built-in
`mlp` objective trains on) or a CSV file (64 pixel values then the label per row, optionally gzip-compressed).
Standard library only; each example turns the lists into its framework's arrays."""
import argparse
import base64
import gzip
import os
import random
import re

EMBEDDED = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "HPOTrainer", "Data", "BundledDigitsData.swift")


def load(path=None):
    """(features, labels): rows of 64 floats and their int labels, from `path` or the embedded copy."""
    if path:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as file:
            text = file.read()
    else:
        with open(EMBEDDED, encoding="utf-8") as file:
            literal = re.search(r'digitsGzipBase64: StaticString = "([^"]+)"', file.read()).group(1)
        text = gzip.decompress(base64.b64decode(literal)).decode()
    rows = [[float(v) for v in line.split(",")] for line in text.splitlines() if line.strip()]
    return [row[:-1] for row in rows], [int(row[-1]) for row in rows]


def split(features, labels, validation_fraction=0.2, seed=0):
    """A stratified split, standardized on the training part: (x_train, y_train, x_valid, y_valid) as lists."""
    rng = random.Random(seed)
    validation = set()
    for label in sorted(set(labels)):
        members = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(members)
        validation.update(members[:max(1, round(validation_fraction * len(members)))])
    training = [i for i in range(len(labels)) if i not in validation]
    columns = list(zip(*(features[i] for i in training)))
    mean = [sum(c) / len(c) for c in columns]
    std = [(sum((v - m) ** 2 for v in c) / len(c)) ** 0.5 or 1.0 for c, m in zip(columns, mean)]

    def standardize(rows):
        return [[(v - m) / s for v, m, s in zip(features[i], mean, std)] for i in rows]

    ordered = sorted(validation)
    return standardize(training), [labels[i] for i in training], standardize(ordered), [labels[i] for i in ordered]


def command_line(description):
    """The defaults of every setting (a trial's parameter of the same name wins) and the data file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", help="a digits CSV (.gz) instead of the copy embedded in hpo's sources")
    return parser.parse_args()


def settings(params, defaults):
    """The trial's settings: its parameters, else the command line's values."""
    return argparse.Namespace(
        lr=float(params.get("lr", defaults.lr)), batch_size=int(params.get("batch_size", defaults.batch_size)),
        momentum=float(params.get("momentum", defaults.momentum)), epochs=int(params.get("epochs", defaults.epochs)),
        seed=int(params.get("seed", defaults.seed)))
