"""The application builder: one typed config in, the four bound deployments out.

    serve run serve_app:build_app                      # defaults
    serve run serve_app:build_app model_set=ppocrv4-mobile        # another model set
    serve run cluster/serve_local.yaml                 # the same builder from a Serve config"""
from __future__ import annotations

from typing import Any

from ray.serve import Application

from serve_app.config import AppConfig
from serve_app.stages.detector import Detector
from serve_app.stages.ingress import Ingress
from serve_app.stages.page_reader import PageReader
from serve_app.stages.recognizer import Recognizer


def build_app(args: dict[str, Any] | None = None) -> Application:
    config = AppConfig.from_sources(args)
    detector = Detector.options(**config.detector.deployment_options()).bind(
        config.model_set, config.pipeline.detection, config.detector.thread_count)
    recognizer = Recognizer.options(**config.recognizer.deployment_options()).bind(
        config.model_set, config.pipeline, config.recognizer.thread_count)
    page_reader = PageReader.options(**config.page_reader.deployment_options()).bind(
        detector, recognizer, config.model_set, config.pipeline, config.page_reader.thread_count)
    return Ingress.options(**config.ingress.deployment_options()).bind(page_reader, detector, recognizer, config)
