"""The one config object: defaults, environment overrides, Serve YAML args and Ray's schema."""
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from ray.serve.schema import ServeDeploySchema

from serve_app.config import AppConfig, env_overrides

ROOT = Path(__file__).resolve().parents[1]


def test_args_override_defaults_and_environment_overrides_args():
    env = {"OCR__RECOGNIZER__NUM_REPLICAS": "3", "OCR__LIMITS__MAX_BODY_BYTES": "4096",
           "OCR__PIPELINE__DETECTION__BOX_THRESH": "0.6", "UNRELATED": "x"}
    assert env_overrides(env)["recognizer"] == {"num_replicas": 3}
    config = AppConfig.from_sources({"limits": {"max_body_bytes": 8192, "max_in_flight": 3}}, environ=env)
    assert config.recognizer.num_replicas == 3
    assert config.limits.max_body_bytes == 4096 and config.limits.max_in_flight == 3
    assert config.pipeline.detection.box_thresh == 0.6
    assert config.pipeline.recognition.batch_size == 1  # untouched defaults survive the merge


def test_unknown_or_invalid_settings_are_rejected():
    with pytest.raises(ValidationError):
        AppConfig.from_sources({"recognizer": {"num_replica": 2}}, environ={})
    with pytest.raises(ValidationError):
        AppConfig.from_sources({"detector": {"batch": {"max_batch_size": 0}}}, environ={})
    with pytest.raises(ValidationError, match="max_queued_requests"):
        AppConfig.from_sources({"page_reader": {"max_queued_requests": 0}}, environ={})


def test_threads_follow_the_cpu_share():
    config = AppConfig.from_sources({"recognizer": {"num_cpus": 2}, "page_reader": {"threads": 3}}, environ={})
    assert config.recognizer.thread_count == 2 and config.detector.thread_count == 1
    assert config.page_reader.thread_count == 3


def test_local_serve_config_matches_rays_schema_and_ours():
    raw = yaml.safe_load((ROOT / "cluster" / "serve_local.yaml").read_text())
    schema = ServeDeploySchema.model_validate(raw)
    app = schema.applications[0]
    assert app.import_path == "serve_app:build_app"
    AppConfig.from_sources(app.args, environ={})
    # `make serve` runs this file: the documented variables must still select what they name.
    chosen = AppConfig.from_sources(app.args, environ={"OCR__MODEL_SET": "crnn-bilstm",
                                                      "OCR__RECOGNIZER__THREADS": "1"})
    assert chosen.model_set == "crnn-bilstm" and chosen.recognizer.thread_count == 1
    # Batch settings have one home, args.<stage>.batch: a YAML user_config would override it unseen.
    assert not app.deployments


def test_the_detector_must_have_room_for_a_full_batch_of_pages():
    with pytest.raises(ValidationError, match="max_ongoing_requests"):
        AppConfig.from_sources({"detector": {"max_ongoing_requests": 4, "batch": {"max_batch_size": 8}}},
                               environ={})
    # Recognizer batches count lines: one request may carry many, so no such bound applies.
    lines = AppConfig.from_sources({"recognizer": {"max_ongoing_requests": 4, "batch": {"max_batch_size": 64}}},
                                   environ={})
    assert lines.recognizer.deployment_options()["user_config"]["max_batch_size"] == 64


def test_a_partial_section_keeps_the_rest_of_that_sections_defaults():
    config = AppConfig.from_sources({"recognizer": {"threads": 2}, "detector": {"num_cpus": 0.7}},
                                    environ={"OCR__INGRESS__MAX_ONGOING_REQUESTS": "32"})
    default = AppConfig.from_sources({}, environ={})
    assert config.recognizer.thread_count == 2
    assert config.recognizer.num_cpus == default.recognizer.num_cpus == 0.8
    assert config.recognizer.batch == default.recognizer.batch
    assert config.recognizer.max_queued_requests == default.recognizer.max_queued_requests
    assert config.detector.batch.max_batch_size == default.detector.batch.max_batch_size == 4
    assert config.ingress.max_ongoing_requests == 32 and config.ingress.num_cpus == default.ingress.num_cpus
    autoscaled = AppConfig.from_sources({"detector": {"autoscaling_config": {"min_replicas": 0, "max_replicas": 2}}},
                                        environ={})
    assert "num_replicas" not in autoscaled.detector.deployment_options()
