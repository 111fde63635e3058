"""Generate ``data/codiesp_ranker.json.xz``: the candidate ranker fitted on CodiEsp **train**.

Usage: ``python -m openrcm.coding.eval.learn_ranker [HOME]`` (HOME holds the compiled code
sets; default ``$OPENRCM_HOME`` or ``./var``). Run it after ``learn.py``. The dev split is
never read here; dev scores were only looked at to choose among feature sets.

The features must look on train as they will on unseen notes, so every train note is
described without its own labels: the learned associations come from the other four fifths
of train (5-fold cross-fitting), the neighbour votes leave the note out, and the code
statistics (prior, pipeline precision) are counted without it. A logistic regression with a
small L2 penalty is then fitted by Newton's method, in pure Python (twenty features).
"""

from __future__ import annotations

import json
import lzma
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from openrcm.coding.eval.codiesp import Document, GoldMapping
from openrcm.coding.eval.learn import train_associations
from openrcm.coding.neighbours import build_index
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.ranking import (
    FEATURES,
    Listed,
    Ranker,
    candidate_features,
    code_stats,
    listed,
    ranker_to_json,
)

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "codiesp_ranker.json.xz"
FOLDS = 5
KS = (10, 40)
POWER = 3.0
MIN_VOTE = 0.02
L2 = 1.0
SETTING = "inpatient"


def cross_fitted_candidates(
    docs: Sequence[Document], mapping: GoldMapping, engine: Engine
) -> list[list[Listed]]:
    """Each train note's pipeline candidates, its associations learned without its fold."""
    out: list[list[Listed]] = [[] for _ in docs]
    for fold in range(FOLDS):
        rest = [d for i, d in enumerate(docs) if i % FOLDS != fold]
        fold_engine = replace(engine, learned=train_associations(rest, mapping, engine.terminology))
        for i, doc in enumerate(docs):
            if i % FOLDS == fold:
                out[i] = listed(suggest(NoteInput(doc.text, setting=SETTING), fold_engine))
    return out


def fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float) -> list[float]:
    """L2-penalised logistic regression by Newton's method (the bias is penalised too)."""
    width = len(rows[0])
    weights = [0.0] * width
    for _ in range(50):
        grad = [l2 * w for w in weights]
        hess = [[l2 if i == j else 0.0 for j in range(width)] for i in range(width)]
        for x, y in zip(rows, labels, strict=True):
            z = sum(w * v for w, v in zip(weights, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            err, curv = p - float(y), p * (1.0 - p)
            for i, xi in enumerate(x):
                if xi == 0.0:
                    continue
                grad[i] += err * xi
                row = hess[i]
                cx = curv * xi
                for j in range(i, width):
                    row[j] += cx * x[j]
        for i in range(width):
            for j in range(i):
                hess[i][j] = hess[j][i]
        step = _solve(hess, grad)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return weights


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is positive definite)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            if factor:
                for c in range(col, n + 1):
                    m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def best_threshold(
    scored: Sequence[tuple[set[str], set[str], list[tuple[str, float]]]],
) -> float:
    """The commit threshold with the best micro F1 over (gold, present codes, ranked) notes."""
    gold_total = sum(len(g) for g, _, _ in scored)
    pairs = sorted(
        (
            (score, code in gold)
            for gold, present, ranked in scored
            for code, score in ranked
            if code in present
        ),
        reverse=True,
    )
    best, best_f1, tp = 1.0, 0.0, 0
    for n, (score, hit) in enumerate(pairs, start=1):
        tp += hit
        f1 = 2 * tp / (n + gold_total)
        if f1 > best_f1:
            best, best_f1 = score, f1
    return best


def fit_ranker(
    docs: Sequence[Document], mapping: GoldMapping, candidates: Sequence[Sequence[Listed]]
) -> Ranker:
    """Fit the ranker on train notes and their cross-fitted candidates."""
    golds = [mapping.mapped.get(d.doc_id, set()) for d in docs]
    presents = [[c.code for c in cands if c.status != "absent"] for cands in candidates]
    stats = code_stats(zip(golds, presents, strict=True))
    index = build_index((d.text, g) for d, g in zip(docs, golds, strict=True))
    rows: list[tuple[float, ...]] = []
    labels: list[bool] = []
    per_note: list[tuple[list[str], list[tuple[float, ...]]]] = []
    for i, doc in enumerate(docs):
        near, wide = index.votes(doc.text, KS, POWER, exclude=i)
        own = stats.leave_out(golds[i], presents[i])
        feats = candidate_features(candidates[i], (near, wide), own, MIN_VOTE)
        per_note.append(([c for c, _ in feats], [f for _, f in feats]))
        for code, f in feats:
            rows.append(f)
            labels.append(code in golds[i])
    weights = fit_logistic(rows, labels, L2)
    scored = []
    for i, (codes, feats_list) in enumerate(per_note):
        ranked = [
            (code, 1.0 / (1.0 + math.exp(-sum(w * x for w, x in zip(weights, f, strict=True)))))
            for code, f in zip(codes, feats_list, strict=True)
        ]
        scored.append((golds[i], set(presents[i]), ranked))
    return Ranker(tuple(weights), best_threshold(scored), KS, POWER, MIN_VOTE, stats)


def main(argv: list[str]) -> None:
    from openrcm.coding.codesets_adapter import codes_under
    from openrcm.coding.eval.run import gold_for
    from openrcm.config import Settings
    from openrcm.services.codesets import icd10cm
    from openrcm.services.coding import engine

    settings = Settings.from_env()
    if argv:
        settings = replace(settings, home=Path(argv[0]))
    cm = icd10cm(settings)
    base = engine(settings, learned=False)
    docs, mapping = gold_for("train", base.terminology, lambda c: codes_under(cm, c))
    ranker = fit_ranker(docs, mapping, cross_fitted_candidates(docs, mapping, base))
    payload = json.dumps(ranker_to_json(ranker), separators=(",", ":"), sort_keys=True)
    OUTPUT.write_bytes(lzma.compress(payload.encode("utf-8"), preset=9))
    named = ", ".join(f"{n}={w:.3f}" for n, w in zip(FEATURES, ranker.weights, strict=True))
    print(f"threshold {ranker.threshold:.3f}; {named} -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
