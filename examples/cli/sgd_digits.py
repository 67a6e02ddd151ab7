#!/usr/bin/python3
"""Trains a linear classifier on scikit-learn's digits one epoch at a time and
prints the validation error after each epoch as a step line:

    {"step": 1, "value": 0.183}
    {"step": 2, "value": 0.121}
    ...

hyperopt-rx reads each line as it is printed, so `--pruner median` (or `sh`,
or Hyperband) can stop a poor configuration after a few epochs: the program
then gets SIGTERM. The last step's value is the trial's value.

    npx hyperopt-rx run --space examples/cli/sgd_space.json --iterations 20 --pruner median \\
      -- /usr/bin/python3 examples/cli/sgd_digits.py --alpha {alpha} --eta0 {eta0} --epochs 30

Under --hyperband, pass `--epochs {resources}`.
"""

import argparse
import json
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--alpha", type=float, default=1e-4, help="L2 regularisation strength")
parser.add_argument("--eta0", type=float, default=0.01, help="constant learning rate")
parser.add_argument("--epochs", type=int, default=30, help="passes over the training set")
parser.add_argument("--seed", type=int, default=0, help="seed of the split and of the shuffling")
args = parser.parse_args()

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

model = SGDClassifier(loss="log_loss", alpha=args.alpha, learning_rate="constant", eta0=args.eta0, random_state=args.seed)
classes = np.unique(y)
rng = np.random.default_rng(args.seed)
for epoch in range(1, args.epochs + 1):
    order = rng.permutation(len(y_train))
    model.partial_fit(X_train[order], y_train[order], classes=classes)
    error = 1.0 - model.score(X_val, y_val)
    # One line per epoch, flushed: the tuner sees it while this process trains on.
    print(json.dumps({"step": epoch, "value": round(float(error), 6)}), flush=True)
    print(f"epoch {epoch}: validation error {error:.4f}", file=sys.stderr)
