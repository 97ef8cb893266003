"""Peer comparison for `hpo-bench optimizer` table (b): scikit-optimize, Optuna's GPSampler and BoTorch (qLogNEI).

Prints the median and interquartile range of the final log10 simple regret over seeds, for batches of q = 4
(scikit-optimize: `Optimizer.ask(n_points=4, strategy="cl_min")`; Optuna: 4 trials asked before any is told;
BoTorch: qLogNoisyExpectedImprovement with q = 4 optimized jointly, see run_botorch),
on the same functions, domains and budgets as `hpo-bench optimizer`:

    Branin (60 evaluations), Hartmann-6, Ackley-5, Levy-10, Rosenbrock-4 (100 evaluations each).

Simple regret = best value found - known minimum, floored at 1e-12 before the log10 (as hpo-bench does).
Each finished run is appended to a JSON-lines cache (default .build/peers/optimizer.jsonl) and reused on the
next invocation, so an interrupted comparison resumes where it stopped. Run through `scripts/bench-peers optimizer`.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np

# ----------------------------------------------------------------------------------------------------------------
# Test functions: the same formulas, domains and minima as Sources/HPOOptimizer/TestFunctions/.


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


HARTMANN6_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN6_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
HARTMANN6_P = [
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN6_A[i][j] * (x[j] - HARTMANN6_P[i][j] * 1e-4) ** 2 for j in range(6))
        total += HARTMANN6_ALPHA[i] * math.exp(-inner)
    return -total


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x) / d
    s2 = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    head = math.sin(math.pi * w[0]) ** 2
    middle = sum((wi - 1) ** 2 * (1 + 10 * math.sin(math.pi * wi + 1) ** 2) for wi in w[:-1])
    tail = (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)
    return head + middle + tail


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(len(x) - 1))


# name -> (function, bounds, known minimum, evaluation budget)
PROBLEMS = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)], 0.39788735772973816, 60),
    "hartmann6": (hartmann6, [(0.0, 1.0)] * 6, -3.3223680114155147, 100),
    "ackley5": (ackley, [(-32.768, 32.768)] * 5, 0.0, 100),
    "levy10": (levy, [(-10.0, 10.0)] * 10, 0.0, 100),
    "rosenbrock4": (rosenbrock, [(-5.0, 10.0)] * 4, 0.0, 100),
}

REGRET_FLOOR = 1e-12

# ----------------------------------------------------------------------------------------------------------------
# Peers.


def run_skopt(function, bounds, budget, q, seed):
    from skopt import Optimizer

    optimizer = Optimizer(dimensions=bounds, base_estimator="GP", random_state=seed)
    best = math.inf
    evaluated = 0
    while evaluated < budget:
        count = min(q, budget - evaluated)
        points = optimizer.ask(n_points=count, strategy="cl_min")
        values = [function([float(v) for v in p]) for p in points]
        optimizer.tell(points, values)
        best = min(best, *values)
        evaluated += count
    return best


def run_optuna(function, bounds, budget, q, seed):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.GPSampler(seed=seed))
    best = math.inf
    evaluated = 0
    while evaluated < budget:
        count = min(q, budget - evaluated)
        trials = [study.ask() for _ in range(count)]
        points = [[t.suggest_float(f"x{i}", low, high) for i, (low, high) in enumerate(bounds)] for t in trials]
        values = [function(p) for p in points]
        for trial, value in zip(trials, values):
            study.tell(trial, value)
        best = min(best, *values)
        evaluated += count
    return best


def run_botorch_sequential(function, bounds, budget, q, seed):
    """BoTorch as in run_botorch, but the q points of a batch picked greedily one at a time (optimize_acqf's
    sequential=True: each new point maximizes qLogNEI with the batch's earlier points pending), as hpo picks them:
    isolates what the joint optimization over all q points adds."""
    return run_botorch(function, bounds, budget, q, seed, sequential=True)


def run_botorch(function, bounds, budget, q, seed, sequential=False):
    """BoTorch's qLogNoisyExpectedImprovement (q points optimized jointly) on a SingleTaskGP, BoTorch's defaults
    (Matern-5/2 ARD with its dimension-scaled priors, inputs normalized to the unit cube, outcomes standardized),
    optimize_acqf with 10 restarts from 512 raw samples. The same Sobol start-up size as hpo's default,
    min(10, max(4, d + 1)), counted in the budget."""
    import torch
    from botorch.acquisition.logei import qLogNoisyExpectedImprovement
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.models.transforms.outcome import Standardize
    from botorch.optim import optimize_acqf
    from gpytorch.mlls import ExactMarginalLogLikelihood
    from torch.quasirandom import SobolEngine

    torch.manual_seed(seed)
    d = len(bounds)
    low = torch.tensor([b[0] for b in bounds], dtype=torch.double)
    high = torch.tensor([b[1] for b in bounds], dtype=torch.double)
    unit = torch.stack([torch.zeros(d, dtype=torch.double), torch.ones(d, dtype=torch.double)])

    def evaluate(x):
        return torch.tensor([[-function((low + (high - low) * row).tolist())] for row in x], dtype=torch.double)

    x = SobolEngine(d, scramble=True, seed=seed).draw(min(budget, min(10, max(4, d + 1)))).to(torch.double)
    y = evaluate(x)
    while len(x) < budget:
        count = min(q, budget - len(x))
        model = SingleTaskGP(x, y, outcome_transform=Standardize(m=1))
        fit_gpytorch_mll(ExactMarginalLogLikelihood(model.likelihood, model))
        acquisition = qLogNoisyExpectedImprovement(model, X_baseline=x, prune_baseline=True)
        candidates, _ = optimize_acqf(
            acquisition, bounds=unit, q=count, num_restarts=10, raw_samples=512, sequential=sequential)
        x = torch.cat([x, candidates])
        y = torch.cat([y, evaluate(candidates)])
    return -float(y.max())


PEERS = {"skopt": run_skopt, "optuna-gp": run_optuna, "botorch": run_botorch, "botorch-seq": run_botorch_sequential}

# ----------------------------------------------------------------------------------------------------------------


def quantile(sorted_values, p):
    position = p * (len(sorted_values) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def optuna_speed(size, dimension, batch, repetitions):
    """Optuna's GPSampler side by side with `hpo-bench optimizer --tables speed`: after `size` completed trials at
    uniform random points of Levy-d (on the unit cube mapped to [-10, 10]), the time to ask `batch` trials one by
    one, the earlier ones still running (as hpo's q-batch). The asked trials are then marked failed, so every
    repetition sees the same completed trials. Returns the median CPU and wall seconds (first ask excluded: warm)."""
    import random
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = {f"x{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(dimension)}
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.GPSampler(seed=1))
    generator = random.Random(size * 1000 + dimension)
    for _ in range(size):
        params = {name: generator.random() for name in distributions}
        value = levy([-10 + 20 * params[f"x{i}"] for i in range(dimension)])
        study.add_trial(optuna.trial.create_trial(params=params, distributions=distributions, value=value))
    cpu, wall = [], []
    for repetition in range(repetitions + 1):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        trials = [study.ask() for _ in range(batch)]
        for trial in trials:
            for name in distributions:
                trial.suggest_float(name, 0.0, 1.0)
        if repetition > 0:
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
        for trial in trials:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return statistics.median(cpu), statistics.median(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", default=",".join(PROBLEMS), help="comma-separated, from: " + ",".join(PROBLEMS))
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated, from: " + ",".join(PEERS))
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 (default 20)")
    parser.add_argument("--batch", type=int, default=4, help="points asked before any is told (default 4)")
    parser.add_argument("--cache", default=".build/peers/optimizer.jsonl", help="JSON-lines cache of finished runs")
    parser.add_argument("--table-only", action="store_true", help="print the table from the cache without running")
    parser.add_argument("--speed", metavar="N,D", help="instead of regret: Optuna GPSampler's time to ask --speed-batch "
                        "trials after N completed trials of Levy-D (e.g. 100,6), as hpo-bench optimizer --tables speed")
    parser.add_argument("--speed-batch", type=int, default=8, help="trials asked per timed batch (default 8)")
    parser.add_argument("--repetitions", type=int, default=3, help="timed batches for --speed (median; default 3)")
    args = parser.parse_args()

    if args.speed:
        size, dimension = (int(v) for v in args.speed.split(","))
        cpu, wall = optuna_speed(size, dimension, args.speed_batch, args.repetitions)
        print(f"Optuna GPSampler: ask {args.speed_batch} after n = {size}, d = {dimension} (Levy): "
              f"{cpu * 1000:.1f} ms CPU, {wall * 1000:.1f} ms wall (median of {args.repetitions}; "
              f"torch threads {__import__('torch').get_num_threads()})")
        return

    functions = [f for f in args.functions.split(",") if f]
    peers = [p for p in args.peers.split(",") if p]
    for name in functions:
        if name not in PROBLEMS:
            sys.exit(f"unknown function '{name}'; pick from {', '.join(PROBLEMS)}")
    for name in peers:
        if name not in PEERS:
            sys.exit(f"unknown peer '{name}'; pick from {', '.join(PEERS)}")

    cache = {}
    if os.path.exists(args.cache):
        with open(args.cache) as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    cache[(row["peer"], row["function"], row["seed"], row["budget"], row["batch"])] = row
    os.makedirs(os.path.dirname(args.cache) or ".", exist_ok=True)

    for function_name in functions:
        function, bounds, minimum, budget = PROBLEMS[function_name]
        for peer in peers:
            for seed in range(args.seeds):
                key = (peer, function_name, seed, budget, args.batch)
                if key in cache or args.table_only:
                    continue
                start = time.perf_counter()
                best = PEERS[peer](function, bounds, budget, args.batch, seed)
                seconds = time.perf_counter() - start
                regret = max(best - minimum, REGRET_FLOOR)
                row = {"peer": peer, "function": function_name, "seed": seed, "budget": budget,
                       "batch": args.batch, "best": best, "log10_regret": math.log10(regret), "seconds": seconds}
                cache[key] = row
                with open(args.cache, "a") as f:
                    f.write(json.dumps(row) + "\n")
                print(f"{peer:10} {function_name:12} seed {seed:2}  log10 regret {row['log10_regret']:7.3f}  "
                      f"{seconds:6.1f} s", file=sys.stderr, flush=True)

    print(f"\nFinal log10 simple regret, batches of q = {args.batch}, seeds 0..{args.seeds - 1}: median [IQR] "
          f"(median seconds per run; n = runs if fewer than the seeds)")
    print(f"{'function':14}{'evals':>6}  " + "".join(f"{p + ' median [IQR]':>36}" for p in peers))
    for function_name in functions:
        budget = PROBLEMS[function_name][3]
        cells = []
        for peer in peers:
            rows = [cache[k] for s in range(args.seeds) if (k := (peer, function_name, s, budget, args.batch)) in cache]
            if not rows:
                cells.append("-")
                continue
            values = sorted(r["log10_regret"] for r in rows)
            seconds = statistics.median(r["seconds"] for r in rows)
            count = "" if len(rows) == args.seeds else f" n={len(rows)}"
            cells.append(f"{statistics.median(values):7.2f} [{quantile(values, 0.25):6.2f}, "
                         f"{quantile(values, 0.75):6.2f}] ({seconds:5.1f} s){count}")
        print(f"{function_name:14}{budget:>6}  " + "".join(f"{c:>36}" for c in cells))

if __name__ == "__main__":
    main()
