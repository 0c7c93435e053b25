"""SciPy's mean, sd, 95% interval and Welch test on fixed samples, plus the
statistics that compare repeated runs of two variants (paired t, Wilcoxon
signed-rank, paired and Welch difference intervals, Holm adjustment, the
logit-scale interval of a mean proportion), once, for
Tests/MedAugExperimentTests/Fixtures/stats.json (run with the parity venv,
SciPy 1.11.4)."""
import json
import os
import warnings

import numpy as np
from scipy import special, stats

SAMPLES = {
    "study-original": [84.17, 84.83, 84.80],
    "study-gan10": [82.51, 84.68, 85.83],
    "tight": [0.91, 0.9105, 0.9098, 0.9102],
    "wide": [0.5, 0.9, 0.7, 0.65, 0.8, 0.55, 0.95, 0.6, 0.72, 0.81],
    "two": [0.7, 0.8],
    "ten-repeats": [0.846, 0.851, 0.839, 0.848, 0.855, 0.842, 0.85, 0.844, 0.847, 0.853],
}
PAIRS = [("study-gan10", "study-original"), ("wide", "tight"), ("two", "study-original"), ("ten-repeats", "wide")]

# Repeats of two variants on the same seeds (a[i] and b[i] share seed i).
# Each case names the SciPy 1.11 wilcoxon path it takes with method="auto".
PAIRED = {
    # n = 3, no zeros: exact distribution.
    "study-3": ([0.8417, 0.8483, 0.8480], [0.8251, 0.8468, 0.8583]),
    # n = 5, distinct |d|: exact.
    "five": ([0.81, 0.835, 0.802, 0.846, 0.829], [0.79, 0.84, 0.8, 0.83, 0.801]),
    # n = 6 with one zero difference: a zero switches "auto" to the normal
    # approximation, which drops the zero (n = 5 there).
    "six-zero": ([0.8, 0.85, 0.82, 0.84, 0.81, 0.83], [0.8, 0.83, 0.825, 0.80, 0.78, 0.79]),
    # n = 8, tied |d| (binary fractions, so the ties are exact in floating
    # point) and no zero: SciPy 1.11 stays exact and truncates the tied,
    # non-integer r+ with int().
    "eight-ties": ([0.75, 0.5, 0.625, 0.875, 0.5, 0.25, 0.75, 0.375],
                   [0.5, 0.75, 0.5, 0.625, 0.25, 0.5, 0.5, 0.5]),
    # n = 8, tied |d| and a zero: normal approximation with the tie correction.
    "eight-ties-zero": ([0.75, 0.5, 0.625, 0.875, 0.5, 0.25, 0.75, 0.5],
                        [0.5, 0.75, 0.5, 0.625, 0.25, 0.5, 0.5, 0.5]),
    # n = 10, distinct |d|: exact.
    "ten": ([0.846, 0.851, 0.839, 0.848, 0.855, 0.842, 0.85, 0.844, 0.847, 0.853],
            [0.831, 0.849, 0.842, 0.836, 0.851, 0.829, 0.846, 0.848, 0.83, 0.840]),
    # a > b in every pair: r- = 0, the smallest exact p, 2 / 2^n.
    "all-greater": ([0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96],
                    [0.8, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87]),
    # n = 12 with two zeros and ties: normal approximation, n = 10 after dropping.
    "twelve-approx": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                      [0, 2, 1, 6, 3, 6, 4, 10, 5, 13, 7, 9]),
}

HOLM = {
    "four": [0.01, 0.04, 0.03, 0.005],
    "ties": [0.02, 0.02, 0.02, 0.5, 0.001],
    "saturates": [0.35, 0.6, 0.01, 0.4],
    "single": [0.2],
    "with-missing": [0.04, None, 0.01, None, 0.03],
    "ordered-down": [0.9, 0.5, 0.2, 0.05, 0.01, 0.001],
}

# Proportions per repeat (accuracy on a test set); cases = test-set size.
PROPORTIONS = {
    "study": ([0.8417, 0.8483, 0.8480], None),
    "with-one": ([0.95, 1.0, 0.975], 40),
    "with-one-default": ([0.95, 1.0, 0.975], None),
    "with-zero": ([0.0, 0.025, 0.05, 0.025], 40),
    "spread": ([0.2, 0.9, 0.55], None),
    "ten": (SAMPLES["ten-repeats"], 1000),
}


def holm(p):
    """statsmodels multipletests(method="holm"): over the non-missing p sorted
    ascending, adjusted_(i) = max_{j<=i} min(1, (m - j) p_(j)) (j from 0),
    back in input order. scipy.stats.false_discovery_control is
    Benjamini-Hochberg, not Holm, so the adjustment is written out here."""
    idx = [i for i, v in enumerate(p) if v is not None]
    vals = np.array([p[i] for i in idx], dtype=float)
    m = len(vals)
    order = np.argsort(vals, kind="stable")
    raw = vals[order] * (m - np.arange(m))
    adj = np.minimum(1.0, np.maximum.accumulate(raw))
    out = [None] * len(p)
    for k, o in enumerate(order):
        out[idx[o]] = float(adj[k])
    # The same thing from its definition, as a check on the vectorised form.
    for k in range(m):
        direct = max(min(1.0, (m - j) * vals[order][j]) for j in range(k + 1))
        assert direct == adj[k], (p, k)
    return out


def wilcoxon_path(d):
    """Which branch SciPy 1.11's wilcoxon takes with method="auto"."""
    if len(d) <= 50 and not np.any(d == 0):
        return "exact"
    return "approx"


def t_interval(x, level=0.95):
    x = np.asarray(x, dtype=float)
    lo, hi = stats.t.interval(level, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    return float(lo), float(hi)


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

out["paired"] = {}
for name, (a, b) in PAIRED.items():
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    d = a - b
    t = stats.ttest_rel(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = stats.wilcoxon(a, b)
    ci = t.confidence_interval(0.95)
    # The paired interval is the one-sample t interval of the differences.
    lo, hi = t_interval(d)
    assert abs(lo - ci.low) < 1e-12 and abs(hi - ci.high) < 1e-12, name
    welch = stats.ttest_ind(a, b, equal_var=False)
    wci = welch.confidence_interval(0.95)
    wci90 = welch.confidence_interval(0.90)
    out["paired"][name] = {
        "a": a.tolist(), "b": b.tolist(),
        "t": float(t.statistic), "t_p": float(t.pvalue), "t_df": float(t.df),
        "wilcoxon": float(w.statistic), "wilcoxon_p": float(w.pvalue),
        "wilcoxon_path": wilcoxon_path(d),
        "mean_diff": float(d.mean()), "paired_ci95": [float(ci.low), float(ci.high)],
        "paired_ci90": list(t_interval(d, 0.90)),
        "welch_diff": float(a.mean() - b.mean()),
        "welch_ci95": [float(wci.low), float(wci.high)],
        "welch_ci90": [float(wci90.low), float(wci90.high)],
    }

out["holm"] = {name: {"p": p, "adjusted": holm(p)} for name, p in HOLM.items()}
# false_discovery_control (Benjamini-Hochberg) is a different, laxer adjustment.
assert not np.allclose(stats.false_discovery_control(HOLM["four"]), holm(HOLM["four"]))

out["proportions"] = {}
for name, (x, cases) in PROPORTIONS.items():
    v = np.array(x, dtype=float)
    if cases is not None:
        moved = np.where((v == 0) | (v == 1), (v * cases + 0.5) / (cases + 1), v)
    else:
        moved = np.where(v == 0, 1e-4, np.where(v == 1, 1 - 1e-4, v))
    lo, hi = t_interval(special.logit(moved))
    lo90, hi90 = t_interval(special.logit(moved), 0.90)
    out["proportions"][name] = {
        "x": x, "cases": cases,
        "ci95": [float(special.expit(lo)), float(special.expit(hi))],
        "ci90": [float(special.expit(lo90)), float(special.expit(hi90))],
    }

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugExperimentTests", "Fixtures", "stats.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("wrote", path)
