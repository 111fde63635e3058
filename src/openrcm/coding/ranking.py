"""Order a note's candidate codes with a scoring function learned from a coded corpus.

Why: the pipeline's confidence says how sure the lexicon match is, not how likely a coder is
to report the code. A ranked list is judged by that second question (CodiEsp MAP), so a small
logistic model weighs what is known about each candidate: the pipeline's verdict (final, set
aside, negated), its confidence and evidence, how often the code is reported at all and how
often the pipeline was right when it proposed it, and the codes of similar coded notes
(:mod:`openrcm.coding.neighbours`), and how much of the code's title the note's words cover.
Codes that only the neighbours or a category sibling
propose join the ranked list, never the final suggestions: those need evidence in the note.

The weights and the code statistics are data (``data/codiesp_ranker.json.xz``), fitted
offline by :mod:`openrcm.coding.eval.learn_ranker` on the CodiEsp train split only.
"""

from __future__ import annotations

import json
import lzma
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from openrcm.coding.cues import CodeCues, cued, cues_from_json, cues_to_json, read
from openrcm.coding.model import CodingResult, Suggestion
from openrcm.coding.terminology import Terminology
from openrcm.coding.text import tokens

FEATURES = (
    "bias",
    "final",
    "set_aside_present",
    "set_aside_absent",
    "confidence",
    "learned_phrase",
    "log_evidence",
    "vote_wide",
    "vote_wide_sqrt",
    "log_code_prior",
    "log_category_prior",
    "category_sibling",
    "symptom_chapter",
    "status_chapter",
    "listed_times_vote",
    "history_only",
    "subsumed",
    "never_reported",
    "vote_near",
    "log_code_precision",
    "phrase_precision",
    "log_phrase_count",
    "title_cover",
    "title_covered",
    "cue_known",
    "cue_present",
    "cue_share_with",
    "cue_share_without",
    "cue_log_probability",
    "listed_child",
    "listed_child_confidence",
    "listed_child_final",
    "listed_parent",
    "listed_parent_confidence",
    "annotated_precision",
    "log_annotated_count",
)
_CROSSED = (
    "confidence",
    "vote_wide_sqrt",
    "log_code_prior",
    "vote_near",
    "log_code_precision",
    "phrase_precision",
    "log_phrase_count",
    "title_cover",
)
INTERACTIONS = tuple((a, b) for i, a in enumerate(_CROSSED) for b in _CROSSED[i:])
_LEFT = [FEATURES.index(a) for a, _ in INTERACTIONS]
_RIGHT = [FEATURES.index(b) for _, b in INTERACTIONS]
WIDTH = len(FEATURES) + len(INTERACTIONS)
# a code only its word cue proposes is ranked when this share of the corpus notes holding
# the cue report it
CUE_SHARE = 0.3
# a code only an annotated phrase proposes is ranked when that phrase is its annotated
# evidence in this share of the corpus notes holding it
ANNOTATED_SHARE = 0.5

if TYPE_CHECKING:
    import numpy as np
    from lightgbm import Booster
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Signals:
    """What the training corpus says about a note beyond the pipeline's candidates, and the
    note's words.

    Attributes:
        near, wide: neighbour votes (:meth:`NeighbourIndex.votes`) with a small and a large k.
        phrases: code -> (best precision of a phrase of the note for the code, number of such
            phrases), from :func:`openrcm.coding.associations.phrase_votes`.
        annotated: the same for the phrases annotators marked as a code's evidence in the
            corpus (:mod:`openrcm.coding.eval.alignment`).
        stems: the note's word stems (:func:`stems`), for the title cover features (empty:
            no code's title is covered).
    """

    near: Mapping[str, float]
    wide: Mapping[str, float]
    phrases: Mapping[str, tuple[float, int]]
    annotated: Mapping[str, tuple[float, int]]
    stems: frozenset[str] = frozenset()


STEM = 5
_GENERIC = frozenset({"specified"})


def stems(text: str) -> frozenset[str]:
    """Stems (first ``STEM`` letters) of the content words of ``text``.

    Why stems: a code's title and a note name the same thing with other endings ("pleural
    effusion" / "effusions", "diabetic" / "diabetes"); five letters is the stem the
    association filter (:mod:`openrcm.coding.eval.learn`) uses too.
    """
    return frozenset(t.norm[:STEM] for t in tokens(text) if t.norm not in _GENERIC)


class TitleStems:
    """code -> stems of its tabular title, read once per code from a terminology.

    Why: a code only the neighbours or a sibling propose has no evidence span, but the note
    may still hold the words of its title (scattered, or with other endings, so the lexicon
    did not match them); the share of its title the note covers is a ranking feature.
    """

    def __init__(self, terminology: Terminology) -> None:
        self._terminology = terminology
        self._stems: dict[str, frozenset[str]] = {}

    def __call__(self, code: str) -> frozenset[str]:
        hit = self._stems.get(code)
        if hit is None:
            facts = self._terminology.facts(code)
            hit = stems(facts.title) if facts is not None else frozenset()
            self._stems[code] = hit
        return hit


def expand(features: Sequence[Sequence[float]]) -> NDArray[np.float64]:
    """Rows of features (order of ``FEATURES``) followed by the products of ``INTERACTIONS``:
    the models' inputs, one row per candidate.

    NumPy is imported where it is used: the default (rules) path never ranks, and its cold start
    should not pay for the import.
    """
    import numpy as np

    base = np.asarray(features, dtype=np.float64).reshape(-1, len(FEATURES))
    return np.hstack([base, base[:, _LEFT] * base[:, _RIGHT]])


@dataclass(frozen=True, slots=True)
class Listed:
    """One candidate of the pipeline as the ranker sees it."""

    code: str
    confidence: float
    status: str
    learned: bool
    evidence: int
    reason: str


def not_present(s: Suggestion) -> bool:
    """Set aside because the note says the condition is absent or only hypothetical."""
    reason = s.warnings[-1] if s.warnings else ""
    return reason.startswith(("negated", "hypothetical"))


def listed(result: CodingResult) -> list[Listed]:
    """The pipeline's candidates, final ones first, each code once."""
    out: dict[str, Listed] = {}
    for s in (*result.suggestions, *result.set_aside):
        if s.code in out:
            continue
        if s.final:
            status, reason = "final", ""
        else:
            status = "absent" if not_present(s) else "present"
            reason = s.warnings[-1] if s.warnings else ""
        out[s.code] = Listed(
            s.code,
            s.confidence,
            status,
            s.derivation.startswith("Learned"),
            len(s.evidence),
            reason,
        )
    return list(out.values())


@dataclass(frozen=True, slots=True)
class CodeStats:
    """How a coded corpus uses codes, and how the pipeline fared on it.

    Attributes:
        notes: notes counted.
        codes: notes reporting each code.
        categories: notes reporting a code of each 3-character category.
        proposed: notes where the pipeline listed the code as present (final or set aside).
        confirmed: of those, notes that report the code.
    """

    notes: int
    codes: dict[str, int]
    categories: dict[str, int]
    proposed: dict[str, int]
    confirmed: dict[str, int]

    def siblings(self, category: str) -> tuple[str, ...]:
        """Reported codes of a 3-character category."""
        return _siblings(self).get(category, ())


_SIBLINGS: dict[int, tuple[CodeStats, dict[str, tuple[str, ...]]]] = {}


def _siblings(stats: CodeStats) -> dict[str, tuple[str, ...]]:
    hit = _SIBLINGS.get(id(stats))
    if hit is None or hit[0] is not stats:
        grouped: dict[str, list[str]] = {}
        for code in sorted(stats.codes):
            grouped.setdefault(code[:3], []).append(code)
        hit = (stats, {k: tuple(v) for k, v in grouped.items()})
        _SIBLINGS[id(stats)] = hit
    return hit[1]


def code_stats(
    examples: Iterable[tuple[Iterable[str], Iterable[str]]],
) -> CodeStats:
    """Statistics from ``(gold codes, codes the pipeline listed as present)`` per note."""
    notes = 0
    codes: dict[str, int] = {}
    categories: dict[str, int] = {}
    proposed: dict[str, int] = {}
    confirmed: dict[str, int] = {}
    for gold, listed_codes in examples:
        notes += 1
        gold_set = set(gold)
        for code in gold_set:
            codes[code] = codes.get(code, 0) + 1
        for cat in {c[:3] for c in gold_set}:
            categories[cat] = categories.get(cat, 0) + 1
        for code in set(listed_codes):
            proposed[code] = proposed.get(code, 0) + 1
            if code in gold_set:
                confirmed[code] = confirmed.get(code, 0) + 1
    return CodeStats(notes, codes, categories, proposed, confirmed)


def candidate_features(
    candidates: Sequence[Listed],
    signals: Signals,
    stats: CodeStats,
    min_vote: float,
    titles: Callable[[str], frozenset[str]],
    cues: Mapping[str, CodeCues],
) -> list[tuple[str, tuple[float, ...]]]:
    """Every code worth ranking for a note, with its feature vector (order of ``FEATURES``).

    Args:
        candidates: the pipeline's candidates (:func:`listed`).
        signals: neighbour and phrase votes for the note, and its word stems.
        stats: code statistics of the coded corpus.
        min_vote: a code only the neighbours propose needs at least this wide vote.
        titles: code -> stems of its title (:class:`TitleStems`).
        cues: word cues of the corpus's codes (:mod:`openrcm.coding.cues`).
    """
    near, wide = signals.near, signals.wide
    by_code = {c.code: c for c in candidates}
    codes = dict.fromkeys(by_code)
    for c in candidates:
        for sibling in stats.siblings(c.code[:3]):
            if stats.codes.get(sibling, 0) > 0:
                codes.setdefault(sibling)
    for code, share in sorted(wide.items()):
        if share >= min_vote:
            codes.setdefault(code)
    for code in cued(cues, signals.stems, CUE_SHARE):
        codes.setdefault(code)
    for code, (precision, _) in sorted(signals.annotated.items()):
        if precision >= ANNOTATED_SHARE:
            codes.setdefault(code)
    categories = {c[:3] for c in by_code}
    family = _Family([c for c in candidates if c.status != "absent"])
    out: list[tuple[str, tuple[float, ...]]] = []
    for code in codes:
        cand = by_code.get(code)
        children, parents = family.children(code), family.parents(code)
        status = cand.status if cand else "none"
        vote = wide.get(code, 0.0)
        reported = stats.codes.get(code, 0)
        precision = 0.0
        if cand is not None and status != "absent":
            precision = math.log(
                (stats.confirmed.get(code, 0) + 1) / (stats.proposed.get(code, 0) + 2)
            )
        reason = cand.reason if cand else ""
        phrase_precision, phrase_count = signals.phrases.get(code, (0.0, 0))
        annotated_precision, annotated_count = signals.annotated.get(code, (0.0, 0))
        title = titles(code)
        covered = len(title & signals.stems) / len(title) if title else 0.0
        code_cues = cues.get(code)
        cue = read(code_cues, signals.stems) if code_cues is not None else None
        out.append(
            (
                code,
                (
                    1.0,
                    float(status == "final"),
                    float(status == "present"),
                    float(status == "absent"),
                    cand.confidence if cand else 0.0,
                    float(cand.learned) if cand else 0.0,
                    math.log1p(cand.evidence) if cand else 0.0,
                    vote,
                    math.sqrt(vote),
                    math.log((reported + 1) / (stats.notes + 1)),
                    math.log((stats.categories.get(code[:3], 0) + 1) / (stats.notes + 1)),
                    float(cand is None and code[:3] in categories),
                    float(code.startswith("R")),
                    float(code.startswith("Z")),
                    vote if cand else 0.0,
                    float("history" in reason),
                    float(any(k in reason for k in ("integral", "combination", "less specific"))),
                    float(reported == 0),
                    near.get(code, 0.0),
                    precision,
                    phrase_precision,
                    math.log1p(phrase_count),
                    covered,
                    float(covered == 1.0),
                    float(cue is not None),
                    float(cue is not None and cue.present),
                    cue.log_share if cue is not None and cue.present else 0.0,
                    cue.log_share if cue is not None and not cue.present else 0.0,
                    cue.log_probability if cue is not None else 0.0,
                    float(bool(children)),
                    max((c.confidence for c in children), default=0.0),
                    float(any(c.status == "final" for c in children)),
                    float(bool(parents)),
                    max((c.confidence for c in parents), default=0.0),
                    annotated_precision,
                    math.log1p(annotated_count),
                ),
            )
        )
    return out


class _Family:
    """The present candidates of a note by their place in the code hierarchy.

    Why: the 2018 edition CodiEsp follows reports some codes that are headers now (R05, M54.5),
    and coders report a header or its child, not both; whether a more or less specific code
    of a candidate is itself a candidate tells the ranker about both.
    """

    def __init__(self, present: Sequence[Listed]) -> None:
        self._codes = {c.code.replace(".", ""): c for c in present}
        self._below: dict[str, list[Listed]] = {}
        for bare, c in self._codes.items():
            for end in range(3, len(bare)):
                self._below.setdefault(bare[:end], []).append(c)

    def children(self, code: str) -> list[Listed]:
        """Present candidates more specific than ``code`` (below it in the hierarchy)."""
        return self._below.get(code.replace(".", ""), [])

    def parents(self, code: str) -> list[Listed]:
        """Present candidates less specific than ``code`` (above it)."""
        bare = code.replace(".", "")
        return [c for end in range(3, len(bare)) if (c := self._codes.get(bare[:end]))]


@dataclass(frozen=True, slots=True)
class Ranker:
    """A fitted scoring function and the statistics its features read.

    Two stages: a logistic model scores every candidate; then, when a boosted tree ensemble
    is fitted, the ``rerank`` best of them are scored again by the mean of the two log-odds
    (the trees see interactions the logistic model cannot, and scoring only the top of the
    list keeps a note's cost low: MAP is decided there).

    Attributes:
        weights: one per name of ``FEATURES``, then one per pair of ``INTERACTIONS``.
        code_weights: per-code corrections for codes the corpus reports often enough.
        threshold: score from which a listed, present candidate is committed to (chosen on
            the training notes for the best micro F1).
        ks: neighbourhood sizes of the near and wide votes.
        power: similarity exponent of the votes.
        min_vote: wide vote a neighbour-only code needs to be ranked at all.
        stats: code statistics of the training corpus.
        cues: word cues of the training corpus's codes.
        booster: the tree ensemble (LightGBM), reading the logistic model's inputs followed by
            one indicator per code of ``code_weights`` (sorted); None for the logistic alone.
        rerank: how many of the logistic model's best candidates the trees score again.
    """

    weights: tuple[float, ...]
    code_weights: dict[str, float]
    threshold: float
    ks: tuple[int, int]
    power: float
    min_vote: float
    stats: CodeStats
    cues: dict[str, CodeCues] = field(default_factory=dict)
    booster: Booster | None = None
    rerank: int = 0

    def rank(
        self,
        result: CodingResult,
        signals: Signals,
        titles: Callable[[str], frozenset[str]],
    ) -> list[tuple[str, float]]:
        """Candidate codes of a coded note with their scores (0-1), best first.

        Args:
            result: the pipeline's result for the note.
            signals: neighbour and phrase votes, word stems of the note.
            titles: code -> stems of its title (:class:`TitleStems`).
        """
        return self.rank_listed(listed(result), signals, self.stats, titles)

    def rank_listed(
        self,
        candidates: Sequence[Listed],
        signals: Signals,
        stats: CodeStats,
        titles: Callable[[str], frozenset[str]],
    ) -> list[tuple[str, float]]:
        """:meth:`rank` over already listed candidates and given statistics."""
        features = candidate_features(candidates, signals, stats, self.min_vote, titles, self.cues)
        codes = [code for code, _ in features]
        inputs = expand([f for _, f in features])
        logits = self.combined(codes, inputs, self.logits(codes, inputs))
        scored = [(code, sigmoid(float(z))) for code, z in zip(codes, logits, strict=True)]
        return sorted(scored, key=lambda item: (-item[1], item[0]))

    def logits(self, codes: Sequence[str], inputs: NDArray[np.float64]) -> NDArray[np.float64]:
        """The logistic model's log-odds of ``codes`` with their model inputs (:func:`expand`)."""
        import numpy as np

        shift = np.fromiter((self.code_weights.get(c, 0.0) for c in codes), np.float64, len(codes))
        result: NDArray[np.float64] = inputs @ np.asarray(self.weights) + shift
        return result

    def score(self, code: str, features: Sequence[float]) -> float:
        """Probability, by the logistic model alone, that ``code`` (``features`` in the order
        of ``FEATURES``) is reported."""
        return sigmoid(float(self.logits([code], expand([features]))[0]))

    def combined(
        self, codes: Sequence[str], inputs: NDArray[np.float64], logits: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The log-odds of each candidate after the trees rescore the ``rerank`` best: the
        mean of the two models' log-odds there, the logistic model's elsewhere."""
        if self.booster is None:
            return logits.copy()
        return rescored(
            codes,
            logits,
            lambda top: self.boost([codes[i] for i in top], inputs[top]),
            self.rerank,
        )

    def boost(self, codes: Sequence[str], inputs: NDArray[np.float64]) -> NDArray[np.float64]:
        """The trees' log-odds of ``codes`` with their model inputs."""
        import numpy as np

        if self.booster is None:
            raise ValueError("this ranker has no tree ensemble")
        raw = self.booster.predict(
            np.hstack([inputs, indicators(codes, sorted(self.code_weights))]),
            raw_score=True,
            num_threads=1,
        )
        return np.asarray(raw, dtype=np.float64).ravel()

    def committed(
        self, candidates: Sequence[Listed], ranked: Sequence[tuple[str, float]]
    ) -> frozenset[str]:
        """Codes to commit to: listed with evidence, not absent, scored at the threshold."""
        present = {c.code for c in candidates if c.status != "absent"}
        return frozenset(
            code for code, score in ranked if code in present and score >= self.threshold
        )


def indicators(codes: Sequence[str], columns: Sequence[str]) -> NDArray[np.float64]:
    """One row per code, one column per code of ``columns``: 1 where they are the same."""
    import numpy as np

    index = {c: i for i, c in enumerate(columns)}
    out = np.zeros((len(codes), len(columns)))
    for row, code in enumerate(codes):
        column = index.get(code)
        if column is not None:
            out[row, column] = 1.0
    return out


def rescored(
    codes: Sequence[str],
    logits: NDArray[np.float64],
    second: Callable[[list[int]], NDArray[np.float64]],
    rerank: int,
) -> NDArray[np.float64]:
    """``logits`` with the ``rerank`` best (ties by code) replaced by the mean of their
    log-odds and the ``second`` model's for those positions; the ranker at run time and its
    fitting (with out-of-fold trees) share this one definition of the second stage."""
    out = logits.copy()
    top = sorted(range(len(codes)), key=lambda i: (-logits[i], codes[i]))[:rerank]
    if top:
        out[top] = (logits[top] + second(top)) / 2.0
    return out


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large negative ``z``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def ranker_to_json(ranker: Ranker) -> dict[str, Any]:
    """Plain JSON form of a ranker (the shipped data file)."""
    s = ranker.stats
    return {
        "features": list(FEATURES),
        "interactions": [list(p) for p in INTERACTIONS],
        "weights": [round(w, 6) for w in ranker.weights],
        "code_weights": {k: round(v, 6) for k, v in sorted(ranker.code_weights.items())},
        "threshold": round(ranker.threshold, 4),
        "ks": list(ranker.ks),
        "power": ranker.power,
        "min_vote": ranker.min_vote,
        "stats": {
            "notes": s.notes,
            "codes": s.codes,
            "categories": s.categories,
            "proposed": s.proposed,
            "confirmed": s.confirmed,
        },
        "cues": cues_to_json(ranker.cues),
        "booster": ranker.booster.model_to_string() if ranker.booster is not None else None,
        "rerank": ranker.rerank,
    }


def ranker_from_json(data: dict[str, Any]) -> Ranker:
    """Inverse of :func:`ranker_to_json`; a stale or malformed file raises ValueError."""
    try:
        crossed = tuple((str(a), str(b)) for a, b in data["interactions"])
        if tuple(data["features"]) != FEATURES or crossed != INTERACTIONS:
            raise ValueError("its features differ from this version's; regenerate it")
        s = data["stats"]
        stats = CodeStats(
            int(s["notes"]),
            {str(k): int(v) for k, v in s["codes"].items()},
            {str(k): int(v) for k, v in s["categories"].items()},
            {str(k): int(v) for k, v in s["proposed"].items()},
            {str(k): int(v) for k, v in s["confirmed"].items()},
        )
        weights = tuple(float(w) for w in data["weights"])
        if len(weights) != WIDTH:
            raise ValueError(f"{len(weights)} weights for {WIDTH} features")
        near, wide = (int(k) for k in data["ks"])
        code_weights = {str(k): float(v) for k, v in data["code_weights"].items()}
        booster = _booster(data["booster"], WIDTH + len(code_weights))
        return Ranker(
            weights,
            code_weights,
            float(data["threshold"]),
            (near, wide),
            float(data["power"]),
            float(data["min_vote"]),
            stats,
            cues_from_json(data["cues"]),
            booster,
            int(data["rerank"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"ranker: malformed document ({exc})") from exc


def _booster(text: str | None, width: int) -> Booster | None:
    """The tree ensemble of a ranker document, checked to read ``width`` inputs."""
    if text is None:
        return None
    from lightgbm import Booster
    from lightgbm.basic import LightGBMError

    try:
        booster = Booster(model_str=text)
    except LightGBMError as exc:
        raise ValueError(f"its tree ensemble does not load ({exc})") from exc
    if booster.num_feature() != width:
        raise ValueError(f"its tree ensemble reads {booster.num_feature()} inputs, not {width}")
    return booster


@lru_cache(maxsize=1)
def codiesp_ranker() -> Ranker:
    """The ranker fitted on the CodiEsp train split (generated by ``eval/learn_ranker.py``)."""
    path = resources.files("openrcm.coding").joinpath("data/codiesp_ranker.json.xz")
    with path.open("rb") as raw:
        return ranker_from_json(json.loads(lzma.decompress(raw.read()).decode("utf-8")))
