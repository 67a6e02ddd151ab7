#!/usr/bin/env python3
"""The GP-EI reference of the hyperopt-rx benchmark suite (scikit-learn).

Gaussian-process Bayesian optimisation with expected improvement, built
the way scikit-optimize's gp_minimize builds it, on Debian's python3-sklearn:

- kernel ConstantKernel * Matern(nu=2.5, one length scale per dimension)
  + WhiteKernel, fitted by GaussianProcessRegressor (normalize_y=True,
  L-BFGS-B on the log marginal likelihood, n_restarts_optimizer=2);
- inputs scaled to the unit cube, 10 uniform random initial points;
- EI (minimisation, xi = 0) maximised over 2,000 uniform random points,
  then scipy.optimize.minimize(method="L-BFGS-B") from the best 5.

Continuous problems only: branin on [-5, 10] x [0, 15] and hartmann6 on
[0, 1]^6 (problems.md's continuous form). Prints one JSON object on
stdout; the Node side (bench/sections/35-gp.ts) calls it with

    /usr/bin/python3 bench/sklearn/gpAnchor.py '{"jobs": [{"problem": "branin", "seeds": [1, 2], "trials": 100}]}'

Each result: {"job": job, "seeds": [{"seed", "best": [best-so-far value
after each trial], "seconds" (wall), "cpuSeconds" (this process's CPU time)}]}.
"""

import json
import os
import sys
import time
import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "problems"))
from problems import branin, hartmann6  # noqa: E402 (after the path it is found on)

warnings.filterwarnings("ignore", category=ConvergenceWarning)
warnings.filterwarnings("ignore", category=RuntimeWarning)


PROBLEMS = {
    "branin": (branin, np.array([[-5.0, 10.0], [0.0, 15.0]])),
    "hartmann6": (hartmann6, np.array([[0.0, 1.0]] * 6)),
}


def expected_improvement(gp, X, best):
    mu, sd = gp.predict(X, return_std=True)
    sd = np.maximum(sd, 1e-12)
    z = (best - mu) / sd
    return (best - mu) * norm.cdf(z) + sd * norm.pdf(z)


def run(problem, seed, trials, n_initial=10, n_points=2000, n_restarts=5):
    f, bounds = PROBLEMS[problem]
    d = len(bounds)
    lo, width = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    rng = np.random.RandomState(seed)
    X, y, best = [], [], []
    t0 = time.perf_counter()
    c0 = time.process_time()
    for k in range(trials):
        if k < n_initial:
            u = rng.uniform(size=d)
        else:
            kernel = ConstantKernel(1.0) * Matern(length_scale=np.ones(d), nu=2.5) + WhiteKernel()
            gp = GaussianProcessRegressor(kernel=kernel, normalize_y=True, n_restarts_optimizer=2, random_state=rng)
            gp.fit(np.array(X), np.array(y))
            y_best = min(y)
            cand = rng.uniform(size=(n_points, d))
            ei = expected_improvement(gp, cand, y_best)
            u, u_ei = cand[np.argmax(ei)], ei.max()
            for x0 in cand[np.argsort(-ei)[:n_restarts]]:
                res = minimize(lambda x: -expected_improvement(gp, x.reshape(1, -1), y_best)[0], x0, method="L-BFGS-B", bounds=[(0.0, 1.0)] * d)
                if -res.fun > u_ei:
                    u, u_ei = np.clip(res.x, 0.0, 1.0), -res.fun
        value = f(list(lo + u * width))
        X.append(list(u))
        y.append(value)
        best.append(min(value, best[-1]) if best else value)
    return {"seed": seed, "best": best, "seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0}


def main():
    text = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    spec = json.loads(text)
    jobs = spec["jobs"] if "jobs" in spec else [spec]
    results = []
    for job in jobs:
        seeds = job["seeds"] if isinstance(job["seeds"], list) else list(range(1, job["seeds"] + 1))
        results.append({"job": job, "seeds": [run(job["problem"], s, job["trials"]) for s in seeds]})
    import sklearn

    # On a line of its own: scipy's L-BFGS-B (Fortran) may print its own lines to the same stdout.
    sys.stdout.write("\n" + json.dumps({"sklearn": sklearn.__version__, "results": results}) + "\n")


if __name__ == "__main__":
    main()
