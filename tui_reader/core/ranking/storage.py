"""The model file: a numpy ``.npz`` (a zip of plain arrays, read with
``allow_pickle=False``: no code runs from a cache file) in the cache dir,
written atomically.  Its ``meta`` array holds JSON: the format name and
version, the decisions fingerprint, the tags' intercepts and the kept
papers' ids and titles; ``vocab`` holds the terms as one JSON list,
``pairs`` the bigrams as pairs of term columns.
Weights are stored sparse (only the nonzero ones).

:func:`load` never raises: a missing, damaged, foreign or too large file
gives ``(None, reason)``; staleness (another fingerprint) is the caller's
check, on ``model.fingerprint``."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tui_reader.core.fsutil import write_atomic
from tui_reader.core.ranking.features import Vocabulary
from tui_reader.core.ranking.model import Linear, Model

FORMAT = "tui-reader-rank-model"
FORMAT_VERSION = 2  # 2: English bigrams as pairs of term columns
FILE_NAME = "rank-model.npz"
MAX_BYTES = 64 * 1024 * 1024  # a bigger file is not ours
_ZIP_MAGIC = b"PK\x03\x04"


def model_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / FILE_NAME


def _json_array(data: object):
    import numpy as np

    return np.frombuffer(json.dumps(data, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def save(model: Model, path: Path) -> int:
    """Write the model atomically; returns the file's size.  Raises OSError."""
    import numpy as np

    names = sorted(model.linear)
    arrays: dict[str, object] = {}
    for number, name in enumerate(names):
        coef = model.linear[name].coef
        nonzero = np.flatnonzero(coef).astype(np.int32)
        arrays[f"w{number}_cols"] = nonzero
        arrays[f"w{number}_vals"] = coef[nonzero].astype(np.float32)
    kept = model.kept_vectors
    arrays.update(kept_data=kept.data.astype(np.float32), kept_indices=kept.indices.astype(np.int32),
                  kept_indptr=kept.indptr.astype(np.int64), idf=np.asarray(model.vocabulary.idf, dtype=np.float32),
                  pairs=model.vocabulary.pairs.astype(np.int32))
    meta = {
        "format": FORMAT, "version": FORMAT_VERSION, "fingerprint": model.fingerprint,
        "trained_at": model.trained_at, "decided": model.decided, "keeps": model.keeps, "seconds": model.seconds,
        "models": [{"name": n, "intercept": model.linear[n].intercept, "positives": model.linear[n].positives,
                    "negatives": model.linear[n].negatives} for n in names],
        "kept_ids": model.kept_ids, "kept_titles": model.kept_titles,
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=_json_array(meta), vocab=_json_array(model.vocabulary.terms), **arrays)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return len(data)


def load(path: Path) -> tuple[Model | None, str]:
    """The model at ``path``, or None and why not ("no model yet", "the model
    file is damaged (...)", "the model file is not a tui-reader model")."""
    try:
        size = path.stat().st_size
        if not path.is_file() or size > MAX_BYTES:
            return None, "the model file is not a tui-reader model"
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None, "no model yet"
    except OSError as error:
        return None, f"the model file cannot be read ({error.strerror or error})"
    if not data.startswith(_ZIP_MAGIC):
        return None, "the model file is not a tui-reader model"
    try:
        return _parse(data)
    except Exception as error:  # noqa: BLE001 - a cache file: anything wrong in it means rebuild
        return None, f"the model file is damaged ({type(error).__name__}: {str(error)[:120]})"


def _parse(data: bytes) -> tuple[Model | None, str]:
    import numpy as np
    from scipy import sparse

    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            return None, "the model file is not a tui-reader model"
        if meta.get("version") != FORMAT_VERSION:
            return None, f"the model file has format {meta.get('version')!r}, this version reads {FORMAT_VERSION}"
        terms = json.loads(arrays["vocab"].tobytes().decode("utf-8"))
        idf = arrays["idf"].astype(np.float32)
        pairs = arrays["pairs"].astype(np.int64).reshape(-1, 2)
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms) \
                or len(terms) + len(pairs) != len(idf):
            raise ValueError("vocabulary and idf disagree")
        if len(pairs) and (pairs.min() < 0 or pairs.max() >= len(terms)):
            raise ValueError("bigrams out of range")
        width = len(idf)
        linear = {}
        for number, entry in enumerate(meta["models"]):
            cols = arrays[f"w{number}_cols"].astype(np.int64)
            vals = arrays[f"w{number}_vals"].astype(np.float32)
            if len(cols) != len(vals) or (len(cols) and (cols.min() < 0 or cols.max() >= width)):
                raise ValueError(f"weights of model {number} out of range")
            coef = np.zeros(width, dtype=np.float32)
            coef[cols] = vals
            linear[str(entry["name"])] = Linear(coef, float(entry["intercept"]), int(entry.get("positives", 0)),
                                                int(entry.get("negatives", 0)))
        kept_ids = [str(i) for i in meta["kept_ids"]]
        kept_titles = [str(t) for t in meta["kept_titles"]]
        kept = sparse.csr_matrix((arrays["kept_data"].astype(np.float32), arrays["kept_indices"],
                                  arrays["kept_indptr"]), shape=(len(kept_ids), width))
        kept.check_format(full_check=True)
        if len(kept_titles) != len(kept_ids) or "" not in linear:
            raise ValueError("kept papers or the reader's model missing")
    model = Model(Vocabulary(terms, pairs, idf), linear, kept_ids, kept_titles, kept,
                  fingerprint=str(meta.get("fingerprint", "")), trained_at=str(meta.get("trained_at", "")),
                  decided=int(meta.get("decided", 0)), keeps=int(meta.get("keeps", 0)),
                  seconds=float(meta.get("seconds", 0.0)))
    return model, ""
