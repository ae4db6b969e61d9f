"""The model bundle: a folder that describes itself (pipeline.toml, meta.json, README.md card, models).

``load_bundle`` loads only our own bundles (pickles we made), warns on a library-version mismatch and
raises ModelBundleError on a missing file.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.config import AnalysisConfig, PipelineFiles, load_config
from nlp.errors import ModelBundleError

if TYPE_CHECKING:  # scikit-learn loads with it: the round step and the service's main process do without
    from nlp.classify.sentence_model import SentenceClassifier

logger = logging.getLogger(__name__)
TRACKED = ("prereview", "scikit-learn", "spacy", "jieba", "numpy", "scipy", "sentence-transformers")


def library_versions() -> dict[str, str]:
    out = {}
    for name in TRACKED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


class LazyEncoder:
    """The ``encoder`` of a dataclass with ``encoder_path`` and ``_encoder`` fields, loaded on first use."""

    encoder_path: Path | None
    _encoder: Any

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from nlp.classify.encoders import load_encoder

            self._encoder = load_encoder(self.encoder_path)
        return self._encoder


@dataclass
class ModelBundle(LazyEncoder):
    """Everything analysis loads once per process. The encoder (torch) loads on first use: single-report
    analysis never needs it, round grouping does."""

    path: Path
    sentence_model: SentenceClassifier
    issue_typer: Any
    config: AnalysisConfig
    meta: dict[str, Any]
    encoder_path: Path | None = None
    _encoder: Any = None


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "default"


def load_bundle(path: Path | None = None, encoder: Path | None = None) -> ModelBundle:
    """Load a bundle folder written by ``prereview train``.

    ``encoder`` (or ``$PREREVIEW_ENCODER``) points to any sentence-transformers model folder to use instead of
    the bundle's own static encoder, e.g. a larger Chinese model copied onto the intranet.
    """
    path = path or default_model_dir()
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        pipeline = tomllib.loads((path / "pipeline.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelBundleError(f"no usable model bundle at {path}: {exc}; run `prereview train`") from exc
    _warn_versions(meta.get("versions", {}))
    files = PipelineFiles.from_toml(pipeline)
    kind = files.sentence_model
    if kind != "sklearn":
        raise ModelBundleError(f"model bundle at {path} has a {kind!r} sentence model; only 'sklearn' is loaded "
                               "now: retrain with `prereview train`")
    try:
        sentences = load_model(path / "sentence_sklearn.joblib")
        typer = load_model(path / files.issue_typer)
    except (OSError, ValueError, EOFError) as exc:
        raise ModelBundleError(f"model bundle at {path} is incomplete: {exc}") from exc
    if not hasattr(sentences, "clf_"):
        raise ModelBundleError(f"model bundle at {path} predates the current sentence classifier: "
                               "retrain with `prereview train`")
    return ModelBundle(path, sentences, typer, bundle_config(path), meta, encoder_location(path, encoder, pipeline))


def bundle_config(path: Path | None = None) -> AnalysisConfig:
    """The verdict policy saved with a bundle (or the package default)."""
    path = path or default_model_dir()
    return load_config(str(path / "policy.toml")) if (path / "policy.toml").exists() else load_config()


def encoder_location(path: Path | None = None, encoder: Path | None = None,
                     pipeline: dict[str, Any] | None = None) -> Path | None:
    """The sentence-transformers folder to use: ``encoder``, else ``$PREREVIEW_ENCODER``, else the bundle's own."""
    path = path or default_model_dir()
    chosen = encoder or (Path(os.environ["PREREVIEW_ENCODER"]) if os.environ.get("PREREVIEW_ENCODER") else None)
    if chosen is None:
        if pipeline is None:
            try:
                pipeline = tomllib.loads((path / "pipeline.toml").read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ModelBundleError(f"no usable model bundle at {path}: {exc}; run `prereview train`") from exc
        rel = PipelineFiles.from_toml(pipeline).encoder
        chosen = path / rel if rel else None
    if chosen is not None and not (chosen / "modules.json").exists():
        raise ModelBundleError(f"no sentence-transformers model at {chosen} (modules.json missing)")
    return chosen


def _warn_versions(saved: dict[str, str]) -> None:
    now = library_versions()
    for name in ("scikit-learn", "spacy", "jieba"):
        if saved.get(name) and saved[name] != now.get(name):
            warnings.warn(f"model bundle was trained with {name} {saved[name]}, running {now.get(name)}; "
                          "predictions may differ (retrain with `prereview train`)", stacklevel=3)


def load_model(filename: Path) -> Any:
    """``joblib.load`` of a model file, through a plain-pickle copy of the same objects when one exists (written
    on the first load, beside jieba's cache, named by the file's SHA-256 and the library versions). joblib
    unpickles in pure Python: 2.7 s a process for the two models, 0.3 s this way. A copy that fails to load is
    ignored; the model file itself is never changed."""
    import hashlib
    import pickle
    import platform
    import tempfile

    import joblib
    import scipy
    import sklearn

    from nlp.segment.tokens import default_cache_dir

    versions = f"{platform.python_version()}-{sklearn.__version__}-{np.__version__}-{scipy.__version__}"
    digest = hashlib.sha256(filename.read_bytes() + versions.encode()).hexdigest()[:40]
    folder = default_cache_dir()
    cached = folder / f"model-{digest}.pickle"
    try:
        with cached.open("rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged or stale copy: the model file is the truth
        logger.info("ignoring the model cache %s", cached)
    model = joblib.load(filename)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)  # processes loading at once each rename a whole file
    except OSError:
        logger.info("could not write the model cache %s", cached)
    return model


@dataclass
class RoundModels(LazyEncoder):
    """What round steps use of a bundle: its policy and (loaded on first use) its encoder; no classifiers."""

    config: AnalysisConfig
    encoder_path: Path | None
    _encoder: Any = None


def round_models(path: Path | None = None, encoder: Path | None = None) -> RoundModels:
    """The policy and encoder ``load_bundle`` would use, without unpickling the classifiers."""
    return RoundModels(bundle_config(path), encoder_location(path, encoder))
