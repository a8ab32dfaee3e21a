"""The cluster configs in cluster/: each Serve config passes Ray's own schema and ours, the KubeRay
manifest embeds the cluster config verbatim with pods sized for the replicas, and the cluster
launcher config passes Ray's launcher schema. (What needs a real Kubernetes or cloud account is
documented in the README, not run here.)"""
import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from ray.autoscaler._private.util import prepare_config, validate_config
from ray.serve.schema import ServeDeploySchema

from serve_app.config import AppConfig

CLUSTER = Path(__file__).resolve().parents[1] / "cluster"
SERVE_CONFIGS = ["serve_local.yaml", "serve_cluster.yaml", "serve_cluster_scale_to_zero.yaml"]
MODEL_STAGES = ("detector", "recognizer")


def _ocr_config(raw: dict) -> AppConfig:
    app = ServeDeploySchema.model_validate(raw).applications[0]
    assert app.import_path == "serve_app:build_app"
    # One home for stage settings (args): a `deployments:` entry would override them unseen.
    assert not app.deployments, "set stage options under args.<stage>, not in deployments:"
    return AppConfig.from_sources(app.args, environ={})


@pytest.mark.parametrize("name", SERVE_CONFIGS)
def test_serve_configs_pass_rays_schema_and_ours(name):
    _ocr_config(yaml.safe_load((CLUSTER / name).read_text()))


@pytest.mark.parametrize("name", ["serve_cluster.yaml", "serve_cluster_scale_to_zero.yaml"])
def test_cluster_configs_place_model_stages_by_resource_and_autoscale_every_stage(name):
    raw = yaml.safe_load((CLUSTER / name).read_text())
    assert raw["proxy_location"] == "EveryNode"
    config = _ocr_config(raw)
    for stage in ("ingress", "page_reader", *MODEL_STAGES):
        options = getattr(config, stage).deployment_options()
        assert "autoscaling_config" in options and "num_replicas" not in options, stage
    for stage in MODEL_STAGES:
        assert config.model_dump()[stage]["resources"] == {"ocr_model": 1}
    assert not config.page_reader.resources  # the page reader runs anywhere


def test_the_serverless_profile_scales_only_the_model_stages_to_zero():
    config = _ocr_config(yaml.safe_load((CLUSTER / "serve_cluster_scale_to_zero.yaml").read_text()))
    assert [getattr(config, s).autoscaling_config.min_replicas for s in MODEL_STAGES] == [0, 0]
    assert config.ingress.autoscaling_config.min_replicas >= 1  # someone must take the waking request


def test_the_rayservice_embeds_the_cluster_config_and_sizes_pods_for_the_replicas():
    service = yaml.safe_load((CLUSTER / "kuberay-rayservice.yaml").read_text())
    assert (service["apiVersion"], service["kind"]) == ("ray.io/v1", "RayService")
    embedded = yaml.safe_load(service["spec"]["serveConfigV2"])
    assert embedded == yaml.safe_load((CLUSTER / "serve_cluster.yaml").read_text())
    config = _ocr_config(embedded)
    for group in service["spec"]["rayClusterConfig"]["workerGroupSpecs"]:
        params = group["rayStartParams"]
        container = group["template"]["spec"]["containers"][0]
        cpus = float(params["num-cpus"])
        assert float(container["resources"]["requests"]["cpu"]) == cpus  # Ray's CPUs = the pod's
        slots = json.loads(json.loads(params["resources"]))["ocr_model"]
        for stage in MODEL_STAGES:
            stage_config = getattr(config, stage)
            assert stage_config.num_cpus * slots <= cpus  # a full set of model replicas fits the pod
    # Detector batches count requests (pages); recognizer batches count lines, so only the
    # detector's batch is capped by its replica's max_ongoing_requests.
    assert config.detector.max_ongoing_requests >= config.detector.batch.max_batch_size


def test_the_cluster_launcher_config_passes_rays_schema():
    launcher = yaml.safe_load((CLUSTER / "ray-cluster-launcher.yaml").read_text())
    validate_config(prepare_config(launcher))  # Ray's defaults filled in first, as `ray up` does
    worker = launcher["available_node_types"]["cpu-worker"]["resources"]
    assert worker["ocr_model"] <= worker["CPU"]


def test_a_stage_is_either_fixed_or_autoscaled():
    scaled = {"autoscaling_config": {"min_replicas": 0, "max_replicas": 4}}
    config = AppConfig.from_sources({"detector": scaled}, environ={})
    options = config.detector.deployment_options()
    assert options["autoscaling_config"] == {"min_replicas": 0, "max_replicas": 4}
    assert "num_replicas" not in options
    with pytest.raises(ValidationError, match="not both"):
        AppConfig.from_sources({"detector": {**scaled, "num_replicas": 2}}, environ={})
    with pytest.raises(ValidationError, match="min_replica"):  # Ray's model would ignore the typo
        AppConfig.from_sources({"detector": {"autoscaling_config": {"min_replica": 0}}}, environ={})
    with pytest.raises(ValidationError):
        AppConfig.from_sources({"detector": {"autoscaling_config": {"min_replicas": 3, "max_replicas": 2}}},
                               environ={})


def test_custom_resources_reach_the_replicas_actor_options():
    config = AppConfig.from_sources({"recognizer": {"resources": {"ocr_model": 1}}}, environ={})
    default_cpus = AppConfig.from_sources({}, environ={}).recognizer.num_cpus
    assert config.recognizer.deployment_options()["ray_actor_options"] == {"num_cpus": default_cpus,
                                                                          "resources": {"ocr_model": 1.0}}
    assert "resources" not in config.page_reader.deployment_options()["ray_actor_options"]
