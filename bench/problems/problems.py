"""The two continuous test functions of ../shared/bench/problems.md in Python,
for the Optuna anchor (bench/optuna/anchor.py) and the GP-EI reference
(bench/sklearn/gpAnchor.py). The TypeScript port is bench/problems."""

import math

PI = math.pi
B = 5.1 / (4.0 * PI * PI)
C = 5.0 / PI
T = 1.0 / (8.0 * PI)


def branin(v):
    x1, x2 = v[0], v[1]
    u = x2 - B * x1 * x1 + C * x1 - 6.0
    return u * u + 10.0 * (1.0 - T) * math.cos(x1) + 10.0


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
]
P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(v):
    total = 0.0
    for i in range(4):
        s = 0.0
        for j in range(6):
            d = v[j] - P[i][j]
            s = s + A[i][j] * (d * d)
        total = total + ALPHA[i] * math.exp(-s)
    return -total
