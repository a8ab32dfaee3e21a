"""Registry entries -> ready-to-run ocr_ops engines (onnxruntime sessions on local files)."""
from __future__ import annotations

from pathlib import Path

from models.registry import ModelSpec, load_registry
from ocr_ops.classification import DirectionClassifier
from ocr_ops.detection import TextDetector
from ocr_ops.onnx_model import OnnxModel
from ocr_ops.orientation import MIN_CONFIDENCE, PageOrientation
from ocr_ops.params import ClassifierParams, DetectionParams, PipelineParams, RecognitionParams
from ocr_ops.pipeline import OcrPipeline
from ocr_ops.recognition import TextRecognizer


class ModelNotFetchedError(FileNotFoundError):
    pass


def open_model(spec: ModelSpec, threads: int, path: Path | None = None, shrink_arena: bool = False) -> OnnxModel:
    """`path` overrides the registry's file (evaluating a fresh training run of the same model);
    `shrink_arena`: see OnnxModel."""
    path = path or spec.path
    if not path.is_file():
        raise ModelNotFetchedError(
            f"model {spec.name} is not in the cache ({path}); run `python -m models.fetch`")
    return OnnxModel(path, threads=threads, shrink_arena=shrink_arena)


def load_charset(spec: ModelSpec, model: OnnxModel) -> list[str]:
    """The CTC class list: blank, the dictionary, and (optionally) a trailing space."""
    d = spec.dictionary
    if d is None:
        raise ValueError(f"recognition model {spec.name} has no dictionary in the registry")
    if d.source == "metadata":
        text = model.metadata.get(d.key)
        if text is None:
            raise ValueError(f"{spec.name}: ONNX metadata has no {d.key!r} entry")
    elif d.source == "file":
        text = (spec.path.parent / d.file).read_text(encoding="utf-8")
    else:
        raise ValueError(f"{spec.name}: unknown dictionary source {d.source!r}")
    chars = text.splitlines()
    return (["<blank>"] if d.blank_first else []) + chars + ([" "] if d.space_last else [])


def load_detector(spec: ModelSpec, params: DetectionParams, threads: int = 1) -> TextDetector:
    return TextDetector(open_model(spec, threads), spec.mean, spec.std, params)


def load_classifier(spec: ModelSpec, params: ClassifierParams, threads: int = 1) -> DirectionClassifier:
    return DirectionClassifier(open_model(spec, threads), spec.labels, spec.input_height,
                               spec.input_width, spec.mean, spec.std, params)


def load_recognizer(spec: ModelSpec, params: RecognitionParams, threads: int = 1,
                    path: Path | None = None) -> TextRecognizer:
    """`threads` become parallel single-threaded workers over the lines, not intra-op threads;
    `path` opens another file of the same spec (evaluating a fresh training run)."""
    model = open_model(spec, threads=1, path=path, shrink_arena=True)  # batches of every width: no ratchet
    charset = load_charset(spec, model)
    classes = model.session.get_outputs()[0].shape[-1]
    if isinstance(classes, int) and classes != len(charset):
        raise ValueError(f"{spec.name}: model has {classes} classes but the dictionary gives {len(charset)}")
    return TextRecognizer(model, charset, spec.input_height, spec.min_width, spec.mean, spec.std, params,
                          workers=threads)


def load_orientation(model_set: str | None = None, min_confidence: float = MIN_CONFIDENCE,
                     threads: int = 1) -> PageOrientation:
    """The page-orientation classifier the model set names (all registered sets name one)."""
    spec = load_registry().model_set(model_set).orientation
    if spec is None:
        raise ValueError(f"model set {model_set or load_registry().default_model_set!r} names no orientation model")
    model = open_model(spec, threads)
    labels = model.metadata.get("character", "").splitlines()
    if labels and labels != list(spec.labels):
        raise ValueError(f"{spec.name}: the model's labels {labels} differ from the registry's {list(spec.labels)}")
    return PageOrientation(model, spec.labels, spec.input_width, spec.mean, spec.std, min_confidence)


def load_pipeline(model_set: str | None = None, params: PipelineParams | None = None,
                  threads: int = 1) -> OcrPipeline:
    params = params or PipelineParams()
    models = load_registry().model_set(model_set)
    orientation = load_orientation(model_set, threads=threads) if models.orientation else None
    return OcrPipeline(load_detector(models.detection, params.detection, threads),
                       load_classifier(models.classification, params.classifier, threads),
                       load_recognizer(models.recognition, params.recognition, threads), params, orientation)
