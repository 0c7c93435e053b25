"""Computes scikit-learn 1.7.2's evaluation metrics (ranking, rates,
calibration) once for the cases in
Tests/MedAugTrainTests/Fixtures/eval_metrics.json, which
Tests/MedAugTrainTests/EvaluationMetricsTests.swift checks the pure-Swift
metrics in Sources/MedAugTrain/Metrics against. Run with the parity venv:

    ~/.cache/medaug/parity-imgaug-0.4.0/bin/python parity/make_eval_fixtures.py

scikit-learn has no DeLong variance, so the reference for it is written out
below; Youden's J and the sensitivity-target threshold are computed in numpy
from sklearn's own roc_curve(drop_intermediate=False).

Every input is written into the JSON (the Swift side never regenerates it),
and non-finite numbers (roc_curve's leading +inf threshold) are written as
the strings "Infinity" / "NaN", since JSON has no literal for them.
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from scipy.special import expit, logit
from scipy.stats import norm, rankdata
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, balanced_accuracy_score, brier_score_loss, confusion_matrix,
                             precision_recall_curve, roc_auc_score, roc_curve)

assert sklearn.__version__ == "1.7.2", sklearn.__version__

N_BINS = 10
LEVEL = 0.95
SENSITIVITY_TARGET = 0.95


def delong(scores, positive):
    """AUC and its DeLong variance by the fast algorithm of Sun & Xu (2014),
    "Fast Implementation of DeLong's Algorithm for Comparing the Areas Under
    Correlated Receiver Operating Characteristic Curves", IEEE Signal
    Processing Letters 21(11):1389-1393. Ties get midranks, which makes the
    AUC the Mann-Whitney statistic (a tie counts one half)."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    x = scores[positive]     # positives, m of them
    y = scores[~positive]    # negatives, n of them
    m, n = len(x), len(y)
    tx = rankdata(x)                       # midranks among the positives
    ty = rankdata(y)                       # midranks among the negatives
    tz = rankdata(np.concatenate([x, y]))  # midranks among everything
    auc = (tz[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (tz[:m] - tx) / n       # each positive's placement among the negatives
    v01 = 1 - (tz[m:] - ty) / m   # each negative's placement among the positives
    s10 = np.var(v10, ddof=1)
    s01 = np.var(v01, ddof=1)
    return float(auc), float(s10 / m + s01 / n)


def logit_interval(auc, variance, level=LEVEL):
    """The interval on the logit scale, back-transformed, so it stays in [0, 1]."""
    if auc <= 0 or auc >= 1:
        return auc, auc
    z = norm.ppf((1 + level) / 2)
    half = z * math.sqrt(variance) / (auc * (1 - auc))
    centre = logit(auc)
    return float(expit(centre - half)), float(expit(centre + half))


def operating_points(scores, positive):
    """Youden's J and the highest threshold reaching the sensitivity target,
    from roc_curve(drop_intermediate=False) over its finite thresholds."""
    fpr, tpr, thr = roc_curve(positive, scores, drop_intermediate=False)
    fpr, tpr, thr = fpr[1:], tpr[1:], thr[1:]   # drop the leading +inf
    j = tpr - fpr
    youden = float(thr[int(np.argmax(j))])      # argmax: first maximum = highest threshold
    reach = np.nonzero(tpr >= SENSITIVITY_TARGET)[0]
    sens = float(thr[reach[0]]) if len(reach) else None
    return youden, sens


def reliability(confidences, outcomes):
    """calibration_curve(strategy="uniform") plus the bin counts and edges it
    does not return, assigned the way sklearn 1.7.2 assigns them
    (np.searchsorted(bins[1:-1], p), side "left": a value on an edge goes to
    the lower bin, so bins are (lower, upper] except the first, [0, 0.1])."""
    confidences = np.asarray(confidences, dtype=np.float64)
    outcomes = np.asarray(outcomes, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob_true, prob_pred = calibration_curve(outcomes, confidences, n_bins=N_BINS, strategy="uniform", pos_label=1)
    edges = np.linspace(0.0, 1.0, N_BINS + 1)
    ids = np.searchsorted(edges[1:-1], confidences)
    counts = np.bincount(ids, minlength=len(edges))
    nonzero = np.nonzero(counts)[0]
    assert len(nonzero) == len(prob_true)
    ece = float(np.sum(counts[nonzero] / len(confidences) * np.abs(prob_true - prob_pred)))
    return {"lower": edges[nonzero].tolist(), "upper": edges[nonzero + 1].tolist(), "count": counts[nonzero].tolist(),
            "observed": prob_true.tolist(), "mean_confidence": prob_pred.tolist(), "ece": ece}


def binary_block(scores, positive):
    """Everything computed for one score column against one positive class."""
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(positive, dtype=int)
    out = {"scores": scores.tolist(), "positive": [bool(v) for v in y]}
    for drop in (True, False):
        fpr, tpr, thr = roc_curve(y, scores, drop_intermediate=drop)
        out["roc_drop" if drop else "roc_full"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr.tolist()}
    precision, recall, thr = precision_recall_curve(y, scores)
    out["pr"] = {"precision": precision.tolist(), "recall": recall.tolist(), "thresholds": thr.tolist()}
    out["roc_auc"] = float(roc_auc_score(y, scores))
    out["average_precision"] = float(average_precision_score(y, scores))
    auc, var = delong(scores, y.astype(bool))
    out["delong_auc"], out["delong_variance"] = auc, var
    out["delong_interval"] = list(logit_interval(auc, var))
    out["youden"], out["sensitivity_threshold"] = operating_points(scores, y)
    return out


def argmax_first(p):
    return [int(np.argmax(row)) for row in p]   # numpy's argmax: the first of equal maxima


def case(name, probabilities, truth, predicted=None):
    p = np.asarray(probabilities, dtype=np.float64)
    truth = np.asarray(truth, dtype=int)
    k = p.shape[1]
    labels = list(range(k))
    pred = np.asarray(predicted if predicted is not None else argmax_first(p), dtype=int)
    cm = confusion_matrix(truth, pred, labels=labels)
    tp = np.diag(cm)
    fn = cm.sum(axis=1) - tp
    fp = cm.sum(axis=0) - tp
    tn = cm.sum() - tp - fn - fp
    out = {"name": name, "classes": k, "probabilities": p.tolist(), "truth": truth.tolist(), "pred": pred.tolist(),
           "confusion": cm.tolist(),
           "balanced_accuracy": float(balanced_accuracy_score(truth, pred)),
           "sensitivity": (tp / (tp + fn)).tolist(), "specificity": (tn / (tn + fp)).tolist(),
           # one-vs-rest: column c against truth == c
           "per_class": [binary_block(p[:, c], truth == c) for c in labels],
           # positive: c, i.e. brier_score_loss(truth == c, p[:, c]), half-scaled as every 1-d call is
           "brier_per_class": [float(brier_score_loss(truth == c, p[:, c])) for c in labels]}
    if k == 2:
        # The binary case proper: positive class 1, reliability of its probability.
        out["binary"] = binary_block(p[:, 1], truth == 1)
        out["brier"] = float(brier_score_loss(truth, p[:, 1]))
        out["brier_matrix"] = float(brier_score_loss(truth, p, labels=labels))   # (n, 2): still half-scaled
        out["reliability"] = reliability(p[:, 1], truth == 1)
    else:
        out["macro_roc_auc"] = float(roc_auc_score(truth, p, multi_class="ovr", average="macro"))
        onehot = np.eye(k, dtype=int)[truth]   # label_binarize(truth, classes=range(k))
        out["macro_average_precision"] = float(average_precision_score(onehot, p, average="macro"))
        out["brier_matrix"] = float(brier_score_loss(truth, p, labels=labels))   # 3+ columns: not halved
        out["reliability"] = reliability(p.max(axis=1), pred == truth)
    return out


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


cases = []

# Binary with ties: several identical scores on both sides, and scores that sit
# exactly on calibration bin edges (0, 0.2, 0.5, 0.7, 1.0).
tie_scores = [0.9, 0.9, 0.7, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5, 0.35, 0.35, 0.2, 0.2, 0.2, 0.1, 1.0, 0.0, 0.65, 0.65, 0.3]
tie_truth = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0]
cases.append(case("binary-ties", [[1 - s, s] for s in tie_scores], tie_truth,
                  predicted=[int(s >= 0.5) for s in tie_scores]))

# Binary, imbalanced: 6 positives in 60, scores rounded to two decimals (ties).
rng = np.random.default_rng(20240611)
imb_truth = np.array([1] * 6 + [0] * 54)
rng.shuffle(imb_truth)
imb_scores = np.round(np.clip(np.where(imb_truth == 1, rng.beta(4, 2, 60), rng.beta(2, 5, 60)), 0, 1), 2)
cases.append(case("binary-imbalanced", [[1 - s, s] for s in imb_scores], imb_truth.tolist(),
                  predicted=[int(s >= 0.5) for s in imb_scores]))

# Three classes, tied rows, and a class (2) that argmax never picks: its
# column is never the largest, though it is present in the truth.
three_rows = [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.2, 0.5, 0.3], [0.2, 0.5, 0.3],
              [0.45, 0.1, 0.45], [0.6, 0.1, 0.3], [0.3, 0.4, 0.3], [0.5, 0.3, 0.2], [0.4, 0.4, 0.2],
              [0.25, 0.45, 0.3], [0.35, 0.35, 0.3], [0.5, 0.2, 0.3], [0.2, 0.6, 0.2], [0.4, 0.3, 0.3]]
three_truth = [0, 1, 0, 1, 2, 2, 0, 2, 0, 1, 2, 2, 0, 1, 2]
assert 2 not in argmax_first(three_rows)
cases.append(case("three-ties-never-predicted", three_rows, three_truth))

# Three classes with softmax rows from noisy logits.
rng = np.random.default_rng(7)
soft_truth = rng.integers(0, 3, 40)
logits = rng.normal(0, 1, (40, 3))
logits[np.arange(40), soft_truth] += 1.2
cases.append(case("three-softmax", softmax(logits), soft_truth.tolist()))

# numpy.percentile (linear), which the bootstrap's interval reproduces.
prng = np.random.default_rng(3)
percentile_cases = []
for values in ([0.5], [0.2, 0.9], prng.random(7).tolist(), prng.random(40).tolist(), [1, 1, 2, 3, 3, 3, 10]):
    qs = [0, 2.5, 25, 50, 97.5, 100, 33.3]
    percentile_cases.append({"values": [float(v) for v in values], "q": qs,
                             "result": [float(np.percentile(values, q)) for q in qs]})

ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.02425, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.45,
      0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.925, 0.95, 0.975, 0.97575, 0.99, 0.999, 1 - 1e-5, 1 - 1e-10, 1 - 1e-15]
xs = [-38.0, -10.0, -5.0, -3.0, -1.959963984540054, -1.0, -0.5, -1e-8, 0.0, 0.3, 1.0, 1.6448536269514722, 2.5, 6.0,
      9.0]
normal = {"p": ps, "quantile": [float(norm.ppf(p)) for p in ps], "x": xs, "cdf": [float(norm.cdf(x)) for x in xs]}


def finite(v):
    """JSON has no infinities: write them as strings the Swift decoder converts."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, dict):
        return {key: finite(x) for key, x in v.items()}
    if isinstance(v, list):
        return [finite(x) for x in v]
    return v


doc = {"sklearn": sklearn.__version__, "bins": N_BINS, "level": LEVEL, "sensitivity_target": SENSITIVITY_TARGET,
       "cases": cases, "percentile": percentile_cases, "normal": normal}
path = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugTrainTests", "Fixtures", "eval_metrics.json")
with open(path, "w") as fh:
    json.dump(finite(doc), fh, indent=1, allow_nan=False)
    fh.write("\n")
print("wrote", path)
