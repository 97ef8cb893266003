#!/usr/bin/env python3
"""PyTorch peer of `hpo-bench trainer`: the same network, split and settings, one thread, the same table.

Run through the dispatcher (it makes a venv with torch and sets one BLAS/OpenMP thread):
    scripts/bench-peers trainer [--batch-sizes 32,128] [--seeds 5] [--epochs 50]

The digits data is read from the base64 literal embedded in the Swift sources (so both sides train on
the very same bytes), and the 80/20 stratified split is rebuilt with a port of HPOTrainer's seeded
generator (xoshiro256** + Lemire's bounded draw); the "validation checksum" line must match the one
`hpo-bench trainer` prints, which proves the split is identical. Epoch time = one pass over the
training part (shuffled by torch.randperm, mini-batches by tensor indexing, the fastest plain PyTorch
loop) + evaluation of the validation part under no_grad.
"""
import argparse
import base64
import gzip
import pathlib
import re
import statistics
import time

import torch

MASK = (1 << 64) - 1
ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBEDDED = ROOT / "Sources/HPOTrainer/Data/BundledDigitsData.swift"


class TrainerRandom:
    """Port of HPOTrainer's TrainerRandom: xoshiro256** seeded by SplitMix64."""

    def __init__(self, seed):
        state = seed & MASK
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            words.append(z ^ (z >> 31))
        self.s = words

    def next(self):
        s0, s1, s2, s3 = self.s
        x = (s1 * 5) & MASK
        result = ((((x << 7) & MASK) | (x >> 57)) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) & MASK) | (s3 >> 19)
        self.s = [s0, s1, s2, s3]
        return result

    def index_below(self, bound):
        product = self.next() * bound
        if (product & MASK) < bound:
            threshold = ((1 << 64) - bound) % bound
            while (product & MASK) < threshold:
                product = self.next() * bound
        return product >> 64

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.index_below(i + 1)
            items[i], items[j] = items[j], items[i]


def load_digits(path):
    if path:
        text = gzip.open(path, "rt").read()
    else:
        literal = re.search(r'digitsGzipBase64: StaticString = "([^"]+)"', EMBEDDED.read_text()).group(1)
        text = gzip.decompress(base64.b64decode(literal)).decode()
    rows = [[float(v) for v in line.split(",")] for line in text.splitlines() if line.strip()]
    features = torch.tensor([r[:-1] for r in rows], dtype=torch.float32)
    labels = torch.tensor([int(r[-1]) for r in rows], dtype=torch.int64)
    return features, labels


def stratified_split(labels, fraction, seed):
    """Same as HPOTrainer's DatasetSplit(stratifying:validationFraction:seed:)."""
    rng = TrainerRandom(seed ^ 0x5EED59717A11D0E5)
    validation = set()
    labels = labels.tolist()
    for label in range(max(labels) + 1):
        members = [i for i, y in enumerate(labels) if y == label]
        if not members:
            continue
        rng.shuffle(members)
        take = min(max(int(fraction * len(members) + 0.5), 1), len(members) - 1)
        validation.update(members[:take])
    validation = sorted(validation)
    training = [i for i in range(len(labels)) if i not in set(validation)]
    return training, validation


def standardize(train, valid):
    mean = train.double().mean(0)
    std = train.double().std(0, unbiased=False)
    std[std <= 1e-12] = 1
    return ((train.double() - mean) / std).float(), ((valid.double() - mean) / std).float()


def run(x_train, y_train, x_valid, y_valid, widths, batch, epochs, lr, momentum, seed, clock=time.perf_counter):
    torch.manual_seed(seed)
    sizes = [x_train.shape[1]] + widths
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    epoch_times, accuracies = [], []
    start = time.perf_counter()
    previous = clock()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch):
            index = order[first:first + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracies.append((model(x_valid).argmax(1) == y_valid).float().mean().item())
        now = clock()
        epoch_times.append((now - previous) * 1000)
        previous = now
    return epoch_times, accuracies, (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument("--hidden", default="64-32")
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="epoch time: wall (elapsed) or cpu (the process's CPU time, robust on a shared machine)")
    parser.add_argument("--data", help="digits.csv.gz to use instead of the data embedded in the Swift sources")
    args = parser.parse_args()
    torch.set_num_threads(1)
    widths = [int(w) for w in args.hidden.split("-")]
    batches = [int(b) for b in args.batch_sizes.split(",")]

    load_start = time.perf_counter()
    features, labels = load_digits(args.data)
    training, validation = stratified_split(labels, 0.2, args.split_seed)
    x_train, x_valid = standardize(features[training], features[validation])
    y_train, y_valid = labels[training], labels[validation]
    load_ms = (time.perf_counter() - load_start) * 1000
    checksum = sum((k + 1) * i for k, i in enumerate(validation))

    print(f"scripts/peers/trainer.py — PyTorch {torch.__version__} (float32, {torch.get_num_threads()} thread)")
    print(f"network 64→{'→'.join(map(str, widths))}→10 relu, SGD lr {args.learning_rate} momentum {args.momentum}, "
          f"{args.epochs} epochs, {args.seeds} seeds")
    print(f"digits {len(training)} train / {len(validation)} validation, split seed {args.split_seed}, "
          f"validation checksum {checksum}")
    print(f"data decode + split + standardize: {load_ms:.1f} ms")
    print()
    print(f"epoch time: {'process CPU time' if args.clock == 'cpu' else 'wall time'}")
    print("batch | epoch ms median (min–max) | val acc last, median (min–max) | val acc best, median | 50-epoch run ms, median")
    print("------|---------------------------|--------------------------------|---------------------|-----------------------")
    for batch in batches:
        times, lasts, bests, runs = [], [], [], []
        for seed in range(args.seeds):
            epoch_times, accuracies, run_ms = run(x_train, y_train, x_valid, y_valid, widths, batch, args.epochs,
                                                  args.learning_rate, args.momentum, seed,
                                                  time.process_time if args.clock == "cpu" else time.perf_counter)
            times += epoch_times
            lasts.append(accuracies[-1])
            bests.append(max(accuracies))
            runs.append(run_ms)
        print(f"{batch:5d} | {statistics.median(times):.3f} ({min(times):.3f}–{max(times):.3f}) | "
              f"{statistics.median(lasts):.4f} ({min(lasts):.4f}–{max(lasts):.4f}) | "
              f"{statistics.median(bests):.4f} | {statistics.median(runs):.1f}")
    print()
    print("epoch time = one pass over the training part + evaluation of the validation part")


if __name__ == "__main__":
    main()
