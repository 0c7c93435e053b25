"""SciPy's mean, sd, 95% interval and Welch test on fixed samples, once, for
Tests/MedAugExperimentTests/Fixtures/stats.json (run with the parity venv)."""
import json
import os

import numpy as np
from scipy import stats

SAMPLES = {
    "study-original": [84.17, 84.83, 84.80],
    "study-gan10": [82.51, 84.68, 85.83],
    "tight": [0.91, 0.9105, 0.9098, 0.9102],
    "wide": [0.5, 0.9, 0.7, 0.65, 0.8, 0.55, 0.95, 0.6, 0.72, 0.81],
    "two": [0.7, 0.8],
    "ten-repeats": [0.846, 0.851, 0.839, 0.848, 0.855, 0.842, 0.85, 0.844, 0.847, 0.853],
}
PAIRS = [("study-gan10", "study-original"), ("wide", "tight"), ("two", "study-original"), ("ten-repeats", "wide")]

out = {"samples": {}, "welch": []}
for name, x in SAMPLES.items():
    a = np.array(x)
    lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    out["samples"][name] = {"x": x, "mean": a.mean(), "sd": a.std(ddof=1), "ci95": [lo, hi]}
for a, b in PAIRS:
    r = stats.ttest_ind(SAMPLES[a], SAMPLES[b], equal_var=False)
    va, vb = np.var(SAMPLES[a], ddof=1) / len(SAMPLES[a]), np.var(SAMPLES[b], ddof=1) / len(SAMPLES[b])
    df = (va + vb) ** 2 / (va ** 2 / (len(SAMPLES[a]) - 1) + vb ** 2 / (len(SAMPLES[b]) - 1))
    out["welch"].append({"a": a, "b": b, "t": r.statistic, "p": r.pvalue, "df": df})

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugExperimentTests", "Fixtures", "stats.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("wrote", path)
