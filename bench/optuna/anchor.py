#!/usr/bin/env python3
"""The Optuna anchor of the hyperopt-rx benchmark suite.

Runs Optuna on the problems of bench/problems (defined in
../shared/bench/problems.md, ported here a second time) and prints one JSON
object on stdout. The Node driver (bench/run.ts) calls it; run by hand with

    /usr/bin/python3 bench/optuna/anchor.py '{"problem": "branin", "sampler": "tpe", "seeds": 3, "trials": 50}'

Input (argv[1] or stdin): one job, or {"jobs": [job, ...]} to pay Python's
start-up once. A job:

    problem   branin | hartmann6 | hyperoptjl | counting_ones | training_curve (pruning only)
    sampler   random | tpe | tpe_multivariate | qmc | tpe_constant_liar (TPE with trials in flight counted as bad)
    mode      quality (default) | overhead | memory | parallel | hyperband | pruning | curve
    seeds     a count n (seeds 1..n) or a list of seeds (never 0 for qmc: Optuna 3.1 reads 0 as "random")
    trials    trials per seed (hyperband: the cap on configurations)
    budget    hyperband only: stop once this many full-budget (729) equivalents are spent
    pruner    hyperband only: hyperband (default) | none (every trial at budget 729)
    sleepMs, concurrency   parallel only
    concurrency   quality: trials in flight (default 1): ask/tell, each result told in asking order
              once `concurrency` trials are pending, as a pool of equal workers would
    pruner    pruning: none | median | successive_halving | hyperband, on the training curve
    prunerOptions   pruning: the pruner's keyword arguments (default: Optuna's defaults)
    points    curve only: [{"v": [log_lr, log_reg, optimizer index, batch index], "seed", "trial"}, ...];
              gives each point's noise-free and noisy curve (no sampler, no study)

Search space. The problems use the grid form (1000 points per continuous
dimension, numpy.linspace semantics). Each grid dimension is
suggest_int(name, 0, 999), an index into the grid, and categoricals are
suggest_categorical over the choice list. The index keeps the grid's order,
so TPE's Parzen estimators, QMC's Sobol points and the pruned samplers treat
it as an ordinal axis. A suggest_categorical over 1000 values would throw that
order away: TPE's categorical kernel puts weight only on values already seen,
so a good value would tell it nothing about its neighbours. The
hyperoptjl c grid is log-spaced, so a uniform index is log-uniform in c
(suggest_float(..., log=True) in problems.md's continuous form).

Output: {"optuna": version, "scipy": version or null, "results": [...]},
one result per job, in order, each {"job": job, ...} with per-seed records.
A job that cannot run here (QMC without scipy) gives {"job": job, "skipped": reason}.
"""

import collections
import gc
import json
import math
import os
import sys
import threading
import time
import tracemalloc
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
# Multivariate TPE and QMC are experimental in 3.1 and say so once per study.
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
# scipy's Sobol warns when n is not a power of 2: irrelevant for a benchmark of any n.
warnings.filterwarnings("ignore", category=UserWarning)

try:
    import scipy  # QMCSampler needs scipy.stats.qmc

    SCIPY = scipy.__version__
except ImportError:
    SCIPY = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "problems"))
from problems import branin, hartmann6  # noqa: E402 (after the path it is found on)


# ---- problems (a second port of problems.md; checked against reference.json at start-up) ----


def grid(lo, hi, n=1000):
    # numpy.linspace semantics: i * step + lo, last point exactly hi.
    step = (hi - lo) / (n - 1)
    g = [i * step + lo for i in range(n)]
    g[n - 1] = hi
    return g


def hyperoptjl(v):
    da = v[0] - 3.0
    dc = v[2] - 100.0
    return 100.0 + da * da + (10.0 if v[1] == 0 else 20.0) + dc * dc


def counting_ones(v):
    y = 0.0
    for i in range(16):
        y = y + v[i]
    return -y


M32 = 0xFFFFFFFF


def imul(a, b):
    # Math.imul: the low 32 bits of the product, as a signed int32.
    r = (a * b) & M32
    return r - 0x100000000 if r & 0x80000000 else r


def noise_key(seed, trial, budget):
    return (imul(seed, 0x9E3779B1) + imul(trial, 0x85EBCA77) + imul(budget, 0xC2B2AE3D)) & M32


def mulberry32(seed):
    state = [seed & M32]

    def rnd():
        a = (state[0] + 0x6D2B79F5) & M32
        state[0] = a
        t = a
        t = imul(t ^ (t >> 15), t | 1) & M32
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return rnd


def counting_ones_noisy(v, budget, seed, trial):
    rnd = mulberry32(noise_key(seed, trial, budget))
    y = 0.0
    for i in range(8):
        y = y + v[i]
    for j in range(8):
        x = v[8 + j]
        cnt = 0
        for _ in range(budget):
            if rnd() < x:
                cnt += 1
        y = y + cnt / budget
    return -y


# ---- the training curve of the pruning benchmark (bench/problems/trainingCurve.ts, ported line for line) ----

TC_EPOCHS = 27
TC_L0 = 2.3
TC_LR_BEST = [-1.0, -1.6, -2.6]
TC_SPEED = [0.22, 0.3, 0.45]
TC_FLOOR = [0.0, -0.01, 0.02]
TC_BATCH_LR = [-0.15, 0.0, 0.15, 0.3]
TC_BATCH_SPEED = [1.3, 1.0, 0.75, 0.55]
TC_BATCH_FLOOR = [0.0, 0.01, 0.02, 0.035]
TC_BATCH_NOISE = [0.04, 0.028, 0.02, 0.014]
TC_REG_BEST = -3.5


def tc_shape(v):
    """(rho, floor, over) of loss(t) = floor + (L0 - floor) rho^t + over (1 - rho^t) t^2 / E^2."""
    o, b = v[2], v[3]
    d = v[0] - (TC_LR_BEST[o] + TC_BATCH_LR[b])
    z = 2.0 * (d + 0.5)
    s = 0.5 + (0.5 * z) / math.sqrt(1.0 + z * z)
    rho = 1.0 - TC_SPEED[o] * TC_BATCH_SPEED[b] * s
    floor = 0.2 + TC_FLOOR[o] + TC_BATCH_FLOOR[b] + (0.15 if d > 0.0 else 0.03) * (d * d)
    over = 0.0
    u = TC_REG_BEST - v[1]
    if u < 0.0:
        floor = floor + 0.06 * (u * u)
    else:
        floor = floor - 0.02 * u
        over = 0.05 * u
    return rho, floor, over


def tc_noise(b, epoch, seed, trial):
    rnd = mulberry32(noise_key(seed, trial, epoch))
    r = rnd() + rnd() + rnd()
    return TC_BATCH_NOISE[b] * (r - 1.5)


def tc_clean(v, epochs=TC_EPOCHS):
    rho, floor, over = tc_shape(v)
    out = []
    power = 1.0
    for t in range(1, epochs + 1):
        power = power * rho
        out.append(floor + (TC_L0 - floor) * power + (over * (1.0 - power) * (t * t)) / (TC_EPOCHS * TC_EPOCHS))
    return out


def tc_curve(v, seed, trial, epochs=TC_EPOCHS):
    return [loss + tc_noise(v[3], k + 1, seed, trial) for k, loss in enumerate(tc_clean(v, epochs))]


def load_reference():
    with open(os.path.join(HERE, "..", "reference.json")) as fh:
        return json.load(fh)


REF = load_reference()

# (name, choices or None for a grid dimension, grid)
SPACES = {
    "branin": [("x1", None, grid(-5, 10)), ("x2", None, grid(0, 15))],
    "hartmann6": [("x%d" % (j + 1), None, grid(0, 1)) for j in range(6)],
    "hyperoptjl": [("a", None, grid(1, 5)), ("b", [True, False], None), ("c", None, REF["hyperoptjl_grid_c"])],
    "counting_ones": [("c%d" % i, [0, 1], None) for i in range(8)] + [("x%d" % j, None, grid(0, 1)) for j in range(8)],
    "training_curve": [
        ("log_lr", None, grid(-4, 0)),
        ("log_reg", None, grid(-6, -1)),
        ("optimizer", ["sgd", "momentum", "adam"], None),
        ("batch", [32, 64, 128, 256], None),
    ],
}
FUNCTIONS = {"branin": branin, "hartmann6": hartmann6, "hyperoptjl": hyperoptjl, "counting_ones": counting_ones}
RUNGS = [9, 27, 81, 243, 729]


def suggest(trial, problem):
    """The candidate vector of a trial: grid dims by index, categoricals by choice index."""
    v = []
    for name, choices, g in SPACES[problem]:
        if choices is None:
            v.append(g[trial.suggest_int(name, 0, len(g) - 1)])
        else:
            v.append(choices.index(trial.suggest_categorical(name, choices)))
    return v


def self_test():
    """This port must reproduce the reference vectors before its numbers mean anything."""
    tv = REF["test_vectors"]
    bad = []
    for name, f, rel in [("branin", branin, 1e-15), ("hartmann6", hartmann6, 1e-15), ("hyperoptjl", hyperoptjl, 0.0)]:
        for t in tv[name]:
            got = f(t["v"])
            if abs(got - t["f"]) > rel * abs(t["f"]):
                bad.append((name, t["v"], got, t["f"]))
    for t in tv["counting_ones_true"]:
        if counting_ones(t["v"]) != t["f"]:
            bad.append(("counting_ones", t["v"]))
    for t in tv["counting_ones_noisy"]:
        if counting_ones_noisy(t["v"], t["budget"], t["seed"], t["trial"]) != t["f"]:
            bad.append(("counting_ones_noisy", t))
    for t in tv["noise_key"]:
        if noise_key(t["seed"], t["trial"], t["budget"]) != t["key"]:
            bad.append(("noise_key", t))
    for t in tv["mulberry32"]:
        rnd = mulberry32(t["key"])
        if [rnd() for _ in t["first5"]] != t["first5"]:
            bad.append(("mulberry32", t))
    if grid(1, 5) != REF["hyperoptjl_grid_a"] or grid(-1, 3) != REF["hyperoptjl_grid_c_exponent"]:
        bad.append(("grid",))
    if bad:
        sys.stderr.write("anchor.py: the Python port does not reproduce reference.json: %r\n" % (bad[:5],))
        sys.exit(3)


# ---- samplers ----


def make_sampler(name, seed):
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "tpe_constant_liar":
        return optuna.samplers.TPESampler(seed=seed, constant_liar=True)
    if name == "tpe_multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, warn_independent_sampling=False)
    if name == "qmc":
        if not seed:
            raise ValueError("QMCSampler in Optuna 3.1 treats seed 0 as no seed: use seeds >= 1")
        # Scrambled, so that seeds give different Sobol sequences; unscrambled all seeds would coincide.
        # QMC leaves categoricals (hyperoptjl b, counting ones c_i) to its independent RandomSampler.
        return optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed, warn_independent_sampling=False)
    raise ValueError("unknown sampler %r" % (name,))


def unavailable(sampler):
    if sampler == "qmc" and SCIPY is None:
        return "QMCSampler needs scipy (apt-get install -y python3-scipy)"
    return None


def seed_list(seeds):
    # A count n means seeds 1..n: Optuna 3.1's QMCSampler takes seed 0 for "no seed" (`seed or random`).
    return list(range(1, seeds + 1)) if isinstance(seeds, int) else list(seeds)


def study_for(sampler, seed, pruner=None):
    # A fixed name: HyperbandPruner assigns brackets by a hash of the study name and trial number.
    return optuna.create_study(
        study_name="anchor-%s-%d" % (sampler, seed),
        direction="minimize",
        sampler=make_sampler(sampler, seed),
        pruner=pruner,
    )


# ---- modes ----


def run_quality(job):
    problem, f = job["problem"], FUNCTIONS[job["problem"]]
    out = []
    for seed in seed_list(job["seeds"]):
        study = study_for(job["sampler"], seed)
        t0 = time.perf_counter()
        concurrency = job.get("concurrency", 1)
        if concurrency == 1:
            study.optimize(lambda trial: f(suggest(trial, problem)), n_trials=job["trials"])
        else:
            # `concurrency` workers finishing in the order they started: every ask sees all but the
            # last concurrency - 1 results, as the library's runs at the same concurrency do.
            pending = collections.deque()
            for _ in range(job["trials"]):
                if len(pending) == concurrency:
                    study.tell(*pending.popleft())
                trial = study.ask()
                pending.append((trial, f(suggest(trial, problem))))
            while pending:
                study.tell(*pending.popleft())
        seconds = time.perf_counter() - t0
        best, acc = [], math.inf
        for t in study.trials:  # in trial-number order, i.e. sampling order
            acc = min(acc, t.value)
            best.append(acc)
        out.append({"seed": seed, "best": best, "seconds": seconds})
    return {"seeds": out}


def run_overhead(job):
    # The objective is the problem itself (branin: ~1 us), so the time is Optuna's.
    problem, f = job["problem"], FUNCTIONS[job["problem"]]
    out = []
    for seed in seed_list(job.get("seeds", 1)):
        study = study_for(job["sampler"], seed)
        t0 = time.perf_counter()
        study.optimize(lambda trial: f(suggest(trial, problem)), n_trials=job["trials"])
        seconds = time.perf_counter() - t0
        out.append({"seed": seed, "seconds": seconds, "usPerTrial": seconds * 1e6 / job["trials"]})
    return {"seeds": out}


def run_memory(job):
    # Bytes Python holds per finished trial in the in-memory storage, after a full GC.
    problem, f = job["problem"], FUNCTIONS[job["problem"]]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    study = study_for(job["sampler"], 0)
    study.optimize(lambda trial: f(suggest(trial, problem)), n_trials=job["trials"])
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    kept = len(study.trials)
    return {"trials": kept, "bytes": after - before, "bytesPerTrial": (after - before) / kept}


def run_parallel(job):
    # A sleeping objective on n_jobs threads (sleep releases the GIL): what scheduling costs in wall time.
    problem, f = job["problem"], FUNCTIONS[job["problem"]]
    sleep_s = job["sleepMs"] / 1000.0
    busy = [0.0]
    lock = threading.Lock()

    def objective(trial):
        v = suggest(trial, problem)
        t0 = time.perf_counter()
        time.sleep(sleep_s)
        dt = time.perf_counter() - t0
        with lock:
            busy[0] += dt
        return f(v)

    study = study_for(job["sampler"], 0)
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=job["trials"], n_jobs=job["concurrency"])
    wall = time.perf_counter() - t0
    return {
        "trials": len(study.trials),
        "wallSeconds": wall,
        "busySeconds": busy[0],
        "utilisation": busy[0] / (wall * job["concurrency"]),
    }


def run_hyperband(job):
    """Counting ones with the noisy loss: under HyperbandPruner (min 9, max 729, eta 3), or at full budget only.

    With "pruner": "hyperband" (default) each trial is evaluated afresh at
    every rung 9, 27, ... it reaches (noise keyed by (seed, trial.number,
    budget)) and reports there, so its cost is the sum of those rungs: the
    accounting of the library's Hyperband, which calls the objective anew at
    each budget. With "pruner": "none" every trial costs one evaluation at 729.
    """
    out = []
    limit = job.get("budget", math.inf) * RUNGS[-1]
    hyperband = job.get("pruner", "hyperband") == "hyperband"
    rungs = RUNGS if hyperband else RUNGS[-1:]
    for seed in seed_list(job["seeds"]):
        evals = []  # [trial number, budget, noisy loss, noise-free loss], in evaluation order
        spent = [0]

        def objective(trial):
            v = suggest(trial, "counting_ones")
            test = counting_ones(v)
            value = None
            for b in rungs:
                value = counting_ones_noisy(v, b, seed, trial.number)
                evals.append([trial.number, b, value, test])
                spent[0] += b
                trial.report(value, b)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return value

        def stop_at_budget(study, _trial):
            if spent[0] >= limit:
                study.stop()

        if hyperband:
            pruner = optuna.pruners.HyperbandPruner(min_resource=RUNGS[0], max_resource=RUNGS[-1], reduction_factor=3)
        else:
            pruner = optuna.pruners.NopPruner()
        study = study_for(job["sampler"], seed, pruner)
        t0 = time.perf_counter()
        study.optimize(objective, n_trials=job["trials"], callbacks=[stop_at_budget])
        out.append({"seed": seed, "evals": evals, "seconds": time.perf_counter() - t0})
    return {"seeds": out}


PRUNERS = {
    "none": optuna.pruners.NopPruner,
    "median": optuna.pruners.MedianPruner,
    "successive_halving": optuna.pruners.SuccessiveHalvingPruner,
    "hyperband": optuna.pruners.HyperbandPruner,
}


def run_pruning(job):
    """The training curve, one trial.report per epoch 1..E and should_prune after each.

    "pruner" picks the class, "prunerOptions" are its keyword arguments
    (none: Optuna's defaults). Noise is keyed by (seed, trial.number, epoch).
    Per seed, one record per trial in trial-number (= sampling = finishing)
    order: [number, epochs it ran, 1 if complete / 0 if pruned, its last
    noisy loss, its noise-free loss after E epochs, its candidate vector]
    (the vector lets the Node side replay the same configurations).
    """
    out = []
    for seed in seed_list(job["seeds"]):
        records = []

        def objective(trial):
            v = suggest(trial, "training_curve")
            curve = tc_curve(v, seed, trial.number)
            record = [trial.number, 0, 0, None, tc_clean(v)[-1], v]
            records.append(record)
            for epoch, loss in enumerate(curve, start=1):
                record[1], record[3] = epoch, loss
                trial.report(loss, epoch)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            record[2] = 1
            return curve[-1]

        pruner = PRUNERS[job["pruner"]](**job.get("prunerOptions", {}))
        study = study_for(job["sampler"], seed, pruner)
        t0 = time.perf_counter()
        study.optimize(objective, n_trials=job["trials"])
        out.append({"seed": seed, "trials": records, "seconds": time.perf_counter() - t0})
    return {"seeds": out}


def run_curve(job):
    """The training curve at given points, for the cross-check with the TypeScript port."""
    curves = []
    for p in job["points"]:
        curves.append({"clean": tc_clean(p["v"]), "noisy": tc_curve(p["v"], p["seed"], p["trial"])})
    return {"curves": curves}


MODES = {
    "quality": run_quality,
    "overhead": run_overhead,
    "memory": run_memory,
    "parallel": run_parallel,
    "hyperband": run_hyperband,
    "pruning": run_pruning,
    "curve": run_curve,
}


def run_job(job):
    reason = unavailable(job.get("sampler", "random"))
    if reason:
        return {"job": job, "skipped": reason}
    result = MODES[job.get("mode", "quality")](job)
    result["job"] = job
    return result


def main():
    raw = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    spec = json.loads(raw) if raw.strip() else {"jobs": []}
    jobs = spec["jobs"] if "jobs" in spec else [spec]
    self_test()
    results = [run_job(job) for job in jobs]
    json.dump({"optuna": optuna.__version__, "scipy": SCIPY, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
