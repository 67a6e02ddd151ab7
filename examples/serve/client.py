#!/usr/bin/env python3
"""A hyperopt-rx serve client in plain Python (urllib, no requests): asks for
hyperparameters, trains a scikit-learn SVM on the digits data set, and tells
the validation error. Run the server first:

    npx hyperopt-rx serve --space examples/serve/space.json --journal svm.jsonl
    python3 examples/serve/client.py 30

Start several clients at once to evaluate in parallel: each ask is a trial in
flight. HYPEROPT_RX_URL (default http://127.0.0.1:8350/) and HYPEROPT_RX_TOKEN
(a bearer token, when the server listens beyond loopback) configure it.
"""
import json
import os
import sys
import urllib.error
import urllib.request

from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

URL = os.environ.get("HYPEROPT_RX_URL", "http://127.0.0.1:8350/")
TOKEN = os.environ.get("HYPEROPT_RX_TOKEN")


def call(path, body):
    headers = {"content-type": "application/json"}
    if TOKEN:
        headers["authorization"] = "Bearer " + TOKEN
    request = urllib.request.Request(URL + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def main(trials):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    for _ in range(trials):
        try:
            asked = call("api/ask", {})
        except urllib.error.HTTPError as error:
            if error.code == 410:  # the server's plan is used up
                break
            raise
        params = asked["params"]
        try:
            model = SVC(C=params["C"], gamma=params["gamma"], kernel=params["kernel"])
            accuracy = cross_val_score(model, X, y, cv=3).mean()
        except Exception as error:  # a failed fit is a failed trial, not a lost one
            call("api/tell", {"id": asked["id"], "status": "failed", "error": str(error)})
            continue
        call("api/tell", {"id": asked["id"], "value": 1.0 - accuracy})
        print(f"trial {asked['id']}: C={params['C']:.4g} gamma={params['gamma']:.3g} {params['kernel']}: error {1.0 - accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
