"""A per-district theme classifier learned from reviewer-confirmed codes.

Plain Python with no Flask import. Features that work the same way in all six languages:
character n-grams (2-4, inside word boundaries) of the normalised comment, hashed so that
no vocabulary is stored, plus the codebook's own matches. One logistic regression per
theme (scikit-learn). A theme with too few reviewed examples keeps the codebook's decision.

The model is saved as a NumPy .npz file of plain arrays (no pickle), loaded with
allow_pickle=False; only weights of hashed n-grams are stored, never comment text.
NumPy, SciPy and scikit-learn are imported on first use, so a process without a model
(or a form submit before the model is needed) pays nothing for them.
Reviewer codes are never touched here: the store writes the model's codes as automatic
rows, which a reviewer's manual rows always override.
"""

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from engagement.themes import text as txt

N_FEATURES = 2**18
NGRAMS = (2, 4)
CODEBOOK_WEIGHT = 1.0  # value of a codebook-match feature (the n-gram part is L2-normalised)
MIN_POSITIVES = 4  # a theme needs this many reviewed examples (and as many without it)
THRESHOLD = 0.5
FORMAT = 1


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    codebook_themes: tuple[str, ...]
    themes: tuple[str, ...]  # the reviewer-confirmed codes


def normalise(text: str, lang: str) -> str:
    """Lower case, accents folded, Arabic letter forms unified: one spelling per word."""
    text = text.lower()
    if lang == "ar":
        return txt.normalize_arabic(text)
    return txt.fold_accents(text)


_vectorizer_lock = threading.Lock()
_vectorizer = None


def _hasher():
    global _vectorizer
    with _vectorizer_lock:
        if _vectorizer is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            _vectorizer = HashingVectorizer(
                analyzer="char_wb",
                ngram_range=NGRAMS,
                n_features=N_FEATURES,
                alternate_sign=False,
                norm="l2",
                lowercase=False,
            )
        return _vectorizer


def features(items: list[tuple[str, str, tuple[str, ...]]], codes: list[str]):
    """Sparse feature rows for (text, lang, codebook codes) items: n-grams + codebook flags."""
    import numpy as np
    import scipy.sparse as sp

    grams = _hasher().transform([normalise(text, lang) for text, lang, _ in items])
    index = {code: i for i, code in enumerate(codes)}
    rows, cols = [], []
    for r, (_, _, found) in enumerate(items):
        for code in found:
            if code in index:
                rows.append(r)
                cols.append(index[code])
    flags = sp.csr_matrix(
        (np.full(len(rows), CODEBOOK_WEIGHT), (rows, cols)), shape=(len(items), len(codes))
    )
    return sp.hstack([grams, flags], format="csr")


@dataclass
class ThemeModel:
    """Weights per learned theme; `codes` name the codebook-flag features and the rows."""

    codes: list[str]  # every codebook code, in the order of the flag features
    learned: list[str]  # codes with a classifier (rows of `weights`)
    weights: object  # scipy CSR matrix, len(learned) x (N_FEATURES + len(codes))
    intercepts: object  # numpy array, one per learned code
    meta: dict = field(default_factory=dict)

    def probabilities(self, text: str, lang: str, codebook_themes) -> dict[str, float]:
        """{learned code: probability} for one comment."""
        import numpy as np

        x = features([(text, lang, tuple(codebook_themes))], self.codes)
        scores = (self.weights @ x.T).toarray().ravel() + self.intercepts
        return dict(zip(self.learned, (1 / (1 + np.exp(-scores))).tolist(), strict=True))

    def combine(self, text: str, lang: str, codebook_themes: list[str]) -> list[str]:
        """The codes for one comment: the classifier's where it has one, else the codebook's.
        Codes come back in codebook order."""
        probs = self.probabilities(text, lang, codebook_themes)
        chosen = {c for c in codebook_themes if c not in probs}
        chosen.update(c for c, p in probs.items() if p >= THRESHOLD)
        return [c for c in self.codes if c in chosen]

    def save(self, path: str | Path) -> None:
        """Write the model atomically (a half-written file is never loaded)."""
        import numpy as np

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez_compressed(
                f,
                data=self.weights.data.astype(np.float32),
                indices=self.weights.indices.astype(np.int32),
                indptr=self.weights.indptr.astype(np.int64),
                shape=np.array(self.weights.shape, dtype=np.int64),
                intercepts=self.intercepts.astype(np.float64),
                codes=np.array(self.codes, dtype=np.str_),
                learned=np.array(self.learned, dtype=np.str_),
                meta=np.array(json.dumps({**self.meta, "format": FORMAT})),
            )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | Path) -> "ThemeModel":
        """Read a model written by `save` (plain arrays only: allow_pickle=False)."""
        import numpy as np
        import scipy.sparse as sp

        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"unknown theme model format {meta.get('format')!r}")
            weights = sp.csr_matrix(
                (z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"].tolist())
            )
            return cls(
                codes=z["codes"].tolist(),
                learned=z["learned"].tolist(),
                weights=weights,
                intercepts=z["intercepts"],
                meta=meta,
            )


def train(examples: list[Example], codes: list[str], c: float = 4.0) -> ThemeModel:
    """Fit one logistic regression per theme that has enough reviewed examples either way."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    if not examples:
        raise ValueError("no reviewed comments to learn from")
    x = features([(e.text, e.lang, e.codebook_themes) for e in examples], codes)
    learned, rows, intercepts, positives = [], [], [], {}
    for code in codes:
        y = np.array([code in e.themes for e in examples], dtype=int)
        positives[code] = int(y.sum())
        if y.sum() < MIN_POSITIVES or len(y) - y.sum() < MIN_POSITIVES:
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear")
        clf.fit(x, y)
        learned.append(code)
        rows.append(sp.csr_matrix(clf.coef_))
        intercepts.append(float(clf.intercept_[0]))
    weights = sp.vstack(rows, format="csr") if rows else sp.csr_matrix((0, x.shape[1]))
    weights.eliminate_zeros()
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "examples": len(examples),
        "positives": positives,
        "languages": sorted({e.lang for e in examples}),
    }
    return ThemeModel(codes, learned, weights, np.array(intercepts), meta)


_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, ThemeModel | None]] = {}


def cached_model(path: str | Path | None) -> ThemeModel | None:
    """The model at `path`, loaded once per process and again only when the file changes;
    None when there is no model (or no path)."""
    if not path:
        return None
    path = str(path)
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None
    with _cache_lock:
        hit = _cache.get(path)
        if hit is None or hit[0] != mtime:
            _cache[path] = hit = (mtime, ThemeModel.load(path))
        return hit[1]
