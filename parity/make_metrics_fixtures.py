"""Computes scikit-learn's report and confusion matrix once for the cases in
Tests/MedAugTrainTests/Fixtures/metrics.json (run with the parity venv)."""
import json
import os

from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support

CASES = [
    {"name": "binary", "classes": ["benign", "malignant"],
     "truth": [0, 0, 0, 1, 1, 1, 1, 0, 1, 0], "pred": [0, 1, 0, 1, 1, 0, 1, 0, 1, 0]},
    {"name": "three-with-a-class-never-predicted", "classes": ["Covid", "Normal", "Viral Pneumonia"],
     "truth": [0, 0, 0, 1, 1, 2, 2, 2, 0, 1], "pred": [0, 0, 1, 1, 1, 0, 0, 1, 0, 1]},
    {"name": "imbalanced-long-names", "classes": ["a", "a very long class name", "Ödem"],
     "truth": [0] * 17 + [1] * 3 + [2] * 5, "pred": [0] * 15 + [1, 2] + [1, 0, 1] + [2, 2, 2, 0, 1]},
    {"name": "single-class-predicted", "classes": ["x", "y"],
     "truth": [0, 1, 1, 1], "pred": [1, 1, 1, 1]},
]

out = []
for c in CASES:
    labels = list(range(len(c["classes"])))
    report = classification_report(c["truth"], c["pred"], labels=labels, target_names=c["classes"], digits=2,
                                   zero_division="warn")
    p, r, f, s = precision_recall_fscore_support(c["truth"], c["pred"], labels=labels, zero_division=0)
    cm = confusion_matrix(c["truth"], c["pred"], labels=labels)
    out.append({**c, "report": report, "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
                "support": s.tolist(), "confusion": cm.tolist()})

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugTrainTests", "Fixtures", "metrics.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
print("wrote", path)
