"""A multi-node Ray cluster inside one process tree (`ray.cluster_utils.Cluster`) with Serve on a
free port: what the multi-node tests and the scaling benchmark run the OCR app on. Each worker
node advertises the `ocr_model` resource, as the cluster configs in cluster/ expect."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

MODEL_RESOURCE = "ocr_model"
# Only the head advertises it. A stage that asks for a sliver of it stays beside the proxy: the
# experiments take worker nodes away, and a front replica must not fill a model node's CPUs.
HEAD_RESOURCE = "ocr_head"
ON_HEAD = {HEAD_RESOURCE: 0.01}
# Faster node-death detection than Ray's defaults (about 15 s), so node-loss runs stay short.
FAST_FAILURE_DETECTION = {"health_check_period_ms": 500, "health_check_failure_threshold": 4}



def stage_profile(model_replicas: int = 1, autoscaling: dict[str, Any] | None = None) -> dict[str, Any]:
    """`AppConfig` args for the OCR app on these clusters, shared by the multi-node tests and the
    scaling benchmark: ingress and the page reader on the head; each detector and recognizer
    replica takes half a CPU and one `ocr_model` slot, so a worker holds as many model replicas
    as it advertises slots. Model stages are fixed at `model_replicas` each, or autoscaled with
    `autoscaling` (a Serve autoscaling_config) instead."""
    scaling = {"autoscaling_config": autoscaling} if autoscaling is not None else {"num_replicas": model_replicas}
    model = {"num_cpus": 0.5, "resources": {MODEL_RESOURCE: 1}, **scaling}
    return {"ingress": {"num_cpus": 0.1, "resources": ON_HEAD, "max_ongoing_requests": 64},
            "page_reader": {"num_cpus": 0.2, "resources": ON_HEAD, "max_ongoing_requests": 32},
            "detector": {**model, "max_ongoing_requests": 8,
                         "batch": {"max_batch_size": 4, "batch_wait_timeout_s": 0.005}},
            "recognizer": {**model, "max_ongoing_requests": 16,
                           "batch": {"max_batch_size": 16, "batch_wait_timeout_s": 0.01}}}

@dataclass
class LocalCluster:
    cluster: Any  # ray.cluster_utils.Cluster
    url: str
    worker_cpus: float
    model_slots: float
    workers: list = field(default_factory=list)

    def add_worker(self):
        node = self.cluster.add_node(num_cpus=self.worker_cpus, resources={MODEL_RESOURCE: self.model_slots})
        self.cluster.wait_for_nodes()
        self.workers.append(node)
        return node

    def remove_worker(self, node) -> None:
        self.workers.remove(node)
        self.cluster.remove_node(node, allow_graceful=False)

    def deploy(self, args: dict, name: str = "ocr", route_prefix: str = "/", timeout_s: float = 180) -> str:
        """Deploy the OCR app with these `AppConfig` args; return its base URL once Serve reports it
        running (not via /healthz, which would wake stages that are scaled to zero). `serve.run`
        waits forever for replicas that fit no node, hence the non-blocking variant and a deadline."""
        from ray import serve

        from serve_app import build_app

        serve._run(build_app(args), name=name, route_prefix=route_prefix, _blocking=False)
        deadline = time.monotonic() + timeout_s
        while (status := serve.status().applications[name]).status != "RUNNING":
            if status.status == "DEPLOY_FAILED" or time.monotonic() > deadline:
                raise RuntimeError(f"app {name!r} is {status.status} after {timeout_s} s: {status.message}")
            time.sleep(0.5)
        return self.url + route_prefix.rstrip("/")


@dataclass(frozen=True)
class Replica:
    deployment: str
    actor_name: str
    node_id: str


def live_replicas(app: str = "ocr") -> list[Replica]:
    """The live Serve replicas of `app` and the node each runs on. Read from the GCS actor table:
    Ray's public state API needs the dashboard, which these clusters leave out to stay small."""
    from ray._private.state import actors

    replicas = []
    for info in actors(actor_state_name="ALIVE").values():
        # Replica actors are named SERVE_REPLICA::<app>#<deployment>#<id>.
        prefix, _, rest = info["Name"].partition("::")
        parts = rest.split("#")
        if prefix == "SERVE_REPLICA" and len(parts) == 3 and parts[0] == app:
            replicas.append(Replica(parts[1], info["Name"], info["Address"]["NodeID"]))
    return replicas


@contextmanager
def local_cluster(workers: int, worker_cpus: float = 1.0, model_slots: float = 1.0,
                  head_cpus: float = 1.0) -> Iterator[LocalCluster]:
    """Head (proxy, and whatever needs no model resource) plus `workers` model nodes; Serve and
    Ray are shut down on exit, also when the body fails."""
    import ray
    from ray import serve
    from ray.cluster_utils import Cluster

    from testbed.local_service import free_port

    cluster = Cluster(initialize_head=True, head_node_args={
        "num_cpus": head_cpus, "resources": {HEAD_RESOURCE: 1}, "include_dashboard": False,
        "_system_config": FAST_FAILURE_DETECTION})
    try:
        ray.init(address=cluster.address, log_to_driver=False)
        port = free_port()
        serve.start(http_options={"host": "127.0.0.1", "port": port, "location": "HeadOnly"},
                    logging_config={"log_level": "WARNING", "enable_access_log": False})
        local = LocalCluster(cluster, f"http://127.0.0.1:{port}", worker_cpus, model_slots)
        for _ in range(workers):
            local.add_worker()
        yield local
    finally:
        try:
            serve.shutdown()
        finally:
            ray.shutdown()
            cluster.shutdown()
