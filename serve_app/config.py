"""The one typed configuration of the service.

Sources, later ones winning: the defaults below, the `args` of the Serve config YAML (or
`serve run serve_app:build_app key=value`), and environment variables named
`OCR__<SECTION>__<FIELD>` (values parsed as JSON when they parse, e.g.
`OCR__RECOGNIZER__NUM_REPLICAS=2`). The environment wins so that one variable changes a
deployment without editing its YAML: `OCR__MODEL_SET=... make serve` does what it says.
A model stage's batch settings live only in its `batch` section; they reach the replica as its
`user_config`, so `serve deploy` changes them without restarting replicas."""
from __future__ import annotations

import json
import math
import os
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator
from ray.serve.config import AutoscalingConfig

from ocr_ops.params import PipelineParams

ENV_PREFIX = "OCR__"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchConfig(_Strict):
    """`@serve.batch` settings: applied in `reconfigure(user_config)`."""

    max_batch_size: int = Field(8, ge=1, le=256)
    batch_wait_timeout_s: float = Field(0.01, ge=0.0, le=5.0)


class AutoscalingSettings(AutoscalingConfig):
    """Ray Serve's own autoscaling config (min/max replicas, target_ongoing_requests, delays), but
    strict: Ray ignores unknown keys, and a misspelt `min_replica` must not pass silently."""

    model_config = ConfigDict(extra="forbid")


class StageConfig(_Strict):
    """Ray Serve options of one deployment: a fixed `num_replicas` or an `autoscaling_config`."""

    num_replicas: int = Field(1, ge=1)
    autoscaling_config: AutoscalingSettings | None = None
    num_cpus: float = Field(1.0, gt=0)
    # Custom Ray resources each replica needs, e.g. {"ocr_model": 1}: replicas go only to nodes
    # that advertise them (`ray start --resources='{"ocr_model": 4}'`).
    resources: dict[str, float] = Field(default_factory=dict)
    max_ongoing_requests: int = Field(16, ge=1)
    max_queued_requests: int = Field(-1, ge=-1)  # -1: unbounded; else excess callers get a 503
    # Threads one replica uses (onnxruntime workers, OpenCV). Default: num_cpus rounded down, at
    # least 1. Setting more than num_cpus oversubscribes on purpose, so that cores left idle by
    # the other stages at low load are used.
    threads: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _queue_can_hold_a_request(self):
        if self.max_queued_requests == 0:  # Serve itself refuses 0 at deploy time
            raise ValueError("max_queued_requests must be -1 (unbounded) or at least 1")
        return self

    @model_validator(mode="after")
    def _fixed_or_autoscaled(self):
        # Serve refuses both at once; saying so here names the stage at config time.
        if self.autoscaling_config is not None and "num_replicas" in self.model_fields_set:
            raise ValueError("set num_replicas or autoscaling_config, not both")
        return self

    @property
    def thread_count(self) -> int:
        return self.threads or max(1, math.floor(self.num_cpus + 1e-9))

    def deployment_options(self) -> dict[str, Any]:
        scaling = ({"autoscaling_config": self.autoscaling_config.model_dump(exclude_unset=True)}
                   if self.autoscaling_config is not None else {"num_replicas": self.num_replicas})
        actor_options: dict[str, Any] = {"num_cpus": self.num_cpus}
        if self.resources:
            actor_options["resources"] = dict(self.resources)
        return {**scaling, "ray_actor_options": actor_options,
                "max_ongoing_requests": self.max_ongoing_requests,
                "max_queued_requests": self.max_queued_requests}


class ModelStageConfig(StageConfig):
    """A model stage: its `batch` settings are the one home of its `@serve.batch` settings,
    passed as `user_config` (the decorators and the Serve YAML's `deployments` carry none)."""

    batch: BatchConfig = Field(default_factory=BatchConfig)

    def deployment_options(self) -> dict[str, Any]:
        return {**super().deployment_options(), "user_config": self.batch.model_dump()}


class DetectorConfig(ModelStageConfig):
    """Detector batches count pages, one request each."""

    @model_validator(mode="after")
    def _room_for_a_full_batch(self):
        # A replica never holds more than max_ongoing_requests, so a smaller value caps the batch.
        if self.max_ongoing_requests < self.batch.max_batch_size:
            raise ValueError(f"max_ongoing_requests ({self.max_ongoing_requests}) must be at least "
                             f"batch.max_batch_size ({self.batch.max_batch_size})")
        return self


class RecognizerConfig(ModelStageConfig):
    """Recognizer batches count text lines (a request carries one page's lines, or a part of
    them), so `max_batch_size` bounds the work of one call, not the number of requests."""


class LimitsConfig(_Strict):
    max_body_bytes: int = Field(20 * 1024 * 1024, ge=1024)  # larger uploads get a 413
    request_timeout_s: float = Field(60.0, gt=0)  # a request still running after this gets a 504
    # OCR requests one ingress replica admits at once; more get an immediate 503. Admitted
    # requests queue at most this deep, which bounds their latency under overload.
    max_in_flight: int = Field(8, ge=1)
    retry_after_s: int = Field(1, ge=0)  # the Retry-After a shed (503) request is told
    # Receiving the body (serve_app/api/body.py): a slow or stalled upload gets a 408 instead of holding
    # a slot. The whole body must arrive within body_timeout_s, and after the first
    # body_rate_grace_s at no less than body_min_rate_bytes_s on average.
    body_timeout_s: float = Field(30.0, gt=0)
    body_min_rate_bytes_s: int = Field(50_000, ge=1)
    body_rate_grace_s: float = Field(5.0, ge=0)
    # Uploads one ingress replica receives at once, apart from the OCR admission limit above.
    max_uploads_in_flight: int = Field(32, ge=1)
    max_json_depth: int = Field(32, ge=2)  # deeper JSON bodies get a 400 before they are parsed
    max_in_flight_per_key: int = Field(4, ge=1)  # with API keys on: more get a 429 (per ingress replica)


class AppConfig(_Strict):
    model_set: str | None = None  # a model set from models/registry.json; None = its default
    pipeline: PipelineParams = Field(default_factory=PipelineParams)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    # Queues are bounded everywhere: the proxy sheds (plain 503) past the ingress's queue, and a
    # full stage queue reaches the client as a JSON 503 with Retry-After.
    ingress: StageConfig = Field(default_factory=lambda: StageConfig(
        num_cpus=0.1, max_ongoing_requests=64, max_queued_requests=64))
    page_reader: StageConfig = Field(default_factory=lambda: StageConfig(
        num_cpus=0.3, max_ongoing_requests=16, max_queued_requests=64))
    detector: DetectorConfig = Field(default_factory=lambda: DetectorConfig(
        num_cpus=0.8, max_ongoing_requests=8, max_queued_requests=64,
        batch=BatchConfig(max_batch_size=4, batch_wait_timeout_s=0.005)))
    recognizer: RecognizerConfig = Field(default_factory=lambda: RecognizerConfig(
        num_cpus=0.8, max_ongoing_requests=32, max_queued_requests=128,
        batch=BatchConfig(max_batch_size=64, batch_wait_timeout_s=0.01)))

    @classmethod
    def from_sources(cls, args: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> "AppConfig":
        merged = _deep_merge(section_defaults(cls), dict(args or {}))
        return cls.model_validate(_deep_merge(merged, env_overrides(os.environ if environ is None else environ)))


def section_defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Each section's defaults as its factory sets them (the detector's 0.8 CPUs, its batch of 4),
    so a partial section in the args or the environment overrides only the fields it names;
    otherwise pydantic would rebuild the whole section from the class defaults. Unset fields stay
    unset, so e.g. adding an autoscaling_config does not collide with a default num_replicas."""
    out: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        value = field.get_default(call_default_factory=True)
        if isinstance(value, BaseModel):
            out[name] = value.model_dump(exclude_unset=True)
    return out


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """`OCR__LIMITS__MAX_BODY_BYTES=1000` -> {"limits": {"max_body_bytes": 1000}}."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__")]
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return out


def _deep_merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = _deep_merge(dict(result[key]), dict(value))
        else:
            result[key] = value
    return result
