"""Generate ``data/codiesp_ranker.json.xz``: the candidate ranker fitted on CodiEsp **train**.

Usage: ``python -m openrcm.coding.eval.learn_ranker [HOME]`` (HOME holds the compiled code
sets; default ``$OPENRCM_HOME`` or ``./var``). Run it after ``learn.py``. The dev split is
never read here; dev scores were only looked at to choose among feature sets.

It also writes ``data/codiesp_phrase_votes.json.xz``, the unfiltered phrase -> code
associations of train that feed the ranker's phrase features, and
``data/codiesp_annotated_votes.json.xz``, the phrases annotators marked as each code's evidence
(:mod:`openrcm.coding.eval.alignment`), for its annotated-phrase features.

The features must look on train as they will on unseen notes, so every train note is described
without its own labels: the learned associations, phrase votes and annotated phrases come from
the other four fifths of train (5-fold cross-fitting), the neighbour votes leave the note out,
and the code statistics (prior, pipeline precision) are counted without its fold (not just
without the note: a leave-one-out count is one lower exactly when the code is gold, a leak the
model can learn), and the word cues are learned from the other folds too. A logistic regression
with an L2 penalty (base features, their pairwise products, and a weight per code reported in
at least five train notes; each note weighted as MAP weighs it, see :func:`fit_ranker`) is then
fitted by Newton's method with NumPy, and a LightGBM tree ensemble on the same inputs (plus an
indicator per such code) for the second stage; the commit threshold reads the trees'
out-of-fold scores. About five minutes on one core.
"""

from __future__ import annotations

import json
import lzma
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from openrcm.coding.associations import (
    MAX_ANNOTATED,
    Associations,
    learn,
    ngram_keys,
    phrase_votes,
    to_json,
)
from openrcm.coding.cues import learn_cues
from openrcm.coding.eval.alignment import AnnotatedNote, annotate, glossary, learn_annotated
from openrcm.coding.eval.codiesp import Document, GoldMapping
from openrcm.coding.eval.learn import train_associations
from openrcm.coding.neighbours import build_index
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.ranking import (
    FEATURES,
    WIDTH,
    Listed,
    Ranker,
    Signals,
    TitleStems,
    candidate_features,
    code_stats,
    expand,
    indicators,
    listed,
    ranker_to_json,
    rescored,
    sigmoid,
    stems,
)

if TYPE_CHECKING:
    from lightgbm import Booster

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "codiesp_ranker.json.xz"
VOTES_OUTPUT = OUTPUT.with_name("codiesp_phrase_votes.json.xz")
ANNOTATED_OUTPUT = OUTPUT.with_name("codiesp_annotated_votes.json.xz")
FOLDS = 5
KS = (10, 80)
POWER = 3.0
MIN_VOTE = 0.02
MIN_CODE_NOTES = 5
L2 = 3.0
NOTE_WEIGHT = 10.0
SETTING = "inpatient"
RERANK = 30
# the tree ensemble: small trees, slow learning, row and column subsampling (chosen on
# train-fitted, dev-scored runs among 100-600 rounds of 7-31 leaves)
BOOSTER = {
    "objective": "binary",
    "num_leaves": 15,
    "learning_rate": 0.03,
    "min_data_in_leaf": 50,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.5,
    "lambda_l2": 5.0,
    "seed": 0,
    "deterministic": True,
    "num_threads": 2,
    "verbose": -1,
}
ROUNDS = 600


def phrase_vote_associations(docs: Sequence[Document], mapping: GoldMapping) -> Associations:
    """Every frequent (3 notes), fairly precise (0.3) phrase -> code pair of ``docs``."""
    return learn(
        ((ngram_keys(d.text, 3), mapping.mapped.get(d.doc_id, set()), set()) for d in docs),
        min_support=3,
        min_precision=0.3,
        name="codiesp-train-votes",
    )


Votes = dict[str, tuple[float, int]]


def annotated_notes(docs: Sequence[Document], mapping: GoldMapping) -> list[AnnotatedNote]:
    """Each train note's annotated phrases (its evidence spans found in the translation)."""
    words = glossary()
    return [annotate(d, mapping.mapped.get(d.doc_id, set()), words) for d in docs]


def cross_fitted(
    docs: Sequence[Document],
    mapping: GoldMapping,
    engine: Engine,
    annotated: Sequence[AnnotatedNote],
) -> list[tuple[list[Listed], Votes, Votes]]:
    """Each train note's pipeline candidates, phrase votes and annotated-phrase votes, learned
    without its fold."""
    out: list[tuple[list[Listed], Votes, Votes]] = [([], {}, {}) for _ in docs]
    for fold in range(FOLDS):
        rest = [d for i, d in enumerate(docs) if i % FOLDS != fold]
        fold_engine = replace(engine, learned=train_associations(rest, mapping, engine.terminology))
        votes = phrase_vote_associations(rest, mapping)
        marked = learn_annotated(a for i, a in enumerate(annotated) if i % FOLDS != fold)
        for i, doc in enumerate(docs):
            if i % FOLDS == fold:
                result = suggest(NoteInput(doc.text, setting=SETTING), fold_engine)
                out[i] = (
                    listed(result),
                    phrase_votes(votes, doc.text),
                    phrase_votes(marked, doc.text, MAX_ANNOTATED),
                )
    return out


def fit_logistic(
    rows: NDArray[np.float64],
    labels: Sequence[bool],
    l2: float,
    weights: Sequence[float] | None = None,
) -> list[float]:
    """L2-penalised logistic regression by Newton's method (the bias is penalised too).

    Args:
        rows, labels: the examples.
        l2: penalty.
        weights: per-example weights (default 1).
    """
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    s = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = l2 * np.eye(x.shape[1])
    for _ in range(50):
        p = 0.5 * (1.0 + np.tanh(0.5 * (x @ w)))
        grad = x.T @ (s * (p - y)) + l2 * w
        hess = (x * (s * p * (1.0 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-7:
            break
    return [float(v) for v in w]


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
    docs: Sequence[Document],
    mapping: GoldMapping,
    notes: Sequence[tuple[Sequence[Listed], Votes, Votes]],
    vocabulary: Collection[str],
    titles: Callable[[str], frozenset[str]],
) -> Ranker:
    """Fit the ranker on train notes, their cross-fitted candidates and votes.

    Each note's candidates weigh ``NOTE_WEIGHT`` over the number of its gold codes among
    them, so every note counts about as much as MAP counts it (one average precision per
    note), not in proportion to its number of codes.

    Args:
        docs, mapping: the train notes and their gold codes.
        notes: their cross-fitted candidates, phrase votes and annotated-phrase votes
            (:func:`cross_fitted`).
        vocabulary: the words the neighbour index compares (the lexicon's).
        titles: code -> stems of its title.
    """
    golds = [mapping.mapped.get(d.doc_id, set()) for d in docs]
    presents = [[c.code for c in cands if c.status != "absent"] for cands, _, _ in notes]
    stats = code_stats(zip(golds, presents, strict=True))
    fold_stats = [
        code_stats((golds[i], presents[i]) for i in range(len(docs)) if i % FOLDS != fold)
        for fold in range(FOLDS)
    ]
    index = build_index(((d.text, g) for d, g in zip(docs, golds, strict=True)), vocabulary)
    note_stems = [stems(d.text) for d in docs]
    cues = learn_cues(zip(note_stems, golds, strict=True))
    fold_cues = [
        learn_cues((note_stems[i], golds[i]) for i in range(len(docs)) if i % FOLDS != fold)
        for fold in range(FOLDS)
    ]
    frequent = sorted(c for c, n in stats.codes.items() if n >= MIN_CODE_NOTES)
    blocks: list[NDArray[np.float64]] = []
    labels: list[bool] = []
    example_weights: list[float] = []
    spans: list[tuple[int, int, list[str]]] = []
    for i, doc in enumerate(docs):
        near, wide = index.votes(doc.text, KS, POWER, exclude=i)
        own = fold_stats[i % FOLDS]
        cands, phrases, marked = notes[i]
        signals = Signals(near, wide, phrases, marked, note_stems[i])
        feats = candidate_features(cands, signals, own, MIN_VOTE, titles, fold_cues[i % FOLDS])
        codes = [code for code, _ in feats]
        blocks.append(np.hstack([expand([f for _, f in feats]), indicators(codes, frequent)]))
        first = len(labels)
        labels.extend(code in golds[i] for code in codes)
        positives = max(1, sum(labels[first:]))
        example_weights.extend([NOTE_WEIGHT / positives] * len(codes))
        spans.append((first, len(labels), codes))
    rows = np.vstack(blocks)
    weights = fit_logistic(rows, labels, L2, example_weights)
    logistic = Ranker(
        tuple(weights[:WIDTH]),
        {c: weights[WIDTH + k] for k, c in enumerate(frequent)},
        1.0,
        KS,
        POWER,
        MIN_VOTE,
        stats,
        cues,
    )
    fold_of = np.array(
        [i % FOLDS for i, (first, last, _) in enumerate(spans) for _ in range(first, last)]
    )
    y = np.asarray(labels, dtype=np.float64)
    w = np.asarray(example_weights, dtype=np.float64)
    out_of_fold = np.zeros(len(labels))
    for fold in range(FOLDS):
        rest, held = fold_of != fold, fold_of == fold
        out_of_fold[held] = _raw(fit_booster(rows[rest], y[rest], w[rest]), rows[held])
    scored = []
    for i, (first, last, codes) in enumerate(spans):
        trees: NDArray[np.float64] = out_of_fold[first:last]  # out of fold, by position
        logits = rescored(
            codes, logistic.logits(codes, rows[first:last, :WIDTH]), trees.__getitem__, RERANK
        )
        ranked = [(code, sigmoid(float(z))) for code, z in zip(codes, logits, strict=True)]
        scored.append((golds[i], set(presents[i]), ranked))
    booster = fit_booster(rows, y, w)
    return replace(logistic, threshold=best_threshold(scored), booster=booster, rerank=RERANK)


def fit_booster(
    rows: NDArray[np.float64], labels: NDArray[np.float64], weights: NDArray[np.float64]
) -> Booster:
    """The tree ensemble (``BOOSTER``, ``ROUNDS``) on model inputs and code indicators."""
    import lightgbm

    return lightgbm.train(BOOSTER, lightgbm.Dataset(rows, labels, weight=weights), ROUNDS)


def _raw(booster: Booster, rows: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(booster.predict(rows, raw_score=True), dtype=np.float64).ravel()


def _write(path: Path, document: dict[str, object]) -> None:
    payload = json.dumps(document, separators=(",", ":"), sort_keys=True)
    path.write_bytes(lzma.compress(payload.encode("utf-8"), preset=9))


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
    annotated = annotated_notes(docs, mapping)
    notes = cross_fitted(docs, mapping, base, annotated)
    titles = TitleStems(base.terminology)
    ranker = fit_ranker(docs, mapping, notes, base.lexicon.vocabulary(), titles)
    _write(OUTPUT, ranker_to_json(ranker))
    _write(VOTES_OUTPUT, to_json(phrase_vote_associations(docs, mapping)))
    _write(ANNOTATED_OUTPUT, to_json(learn_annotated(annotated)))
    named = ", ".join(f"{n}={w:.3f}" for n, w in zip(FEATURES, ranker.weights, strict=False))
    print(f"threshold {ranker.threshold:.3f}; {named} -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
