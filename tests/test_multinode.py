"""Multi-node behaviour on a real local Ray cluster (a head and two model nodes built by
`ray.cluster_utils.Cluster`): placement by custom resources, a killed replica, scale to zero and
cold start, and the loss of a node under load.

Ray allows one `ray.init` per process and the session's shared cluster lives in this one, so this
cluster lives in a child process, spawned once for the module. Each test runs a scenario there
and asserts here on the figures it returns. The tests share the cluster and run in file order:
node loss comes last because it takes a node away."""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from testbed.local_cluster import stage_profile
from tests.support import SUMMARY, eval_image

SCENARIO_TIMEOUT_S = 240
LIMITS = {"limits": {"request_timeout_s": 30}}
# Two replicas per model stage: one on each worker (Serve spreads replicas).
APP_ARGS = {**stage_profile(model_replicas=2), **LIMITS}
# The serverless profile, with short delays: model stages start at zero and go back to zero a few
# seconds after idling. A short look-back matters: with the default 30 s the averaged load kept
# the stages up for ~35 s, and one second cold request waited past its 30 s timeout.
TO_ZERO = {"min_replicas": 0, "max_replicas": 1, "upscale_delay_s": 0, "metrics_interval_s": 0.5,
           "look_back_period_s": 2, "downscale_delay_s": 2, "downscale_to_zero_delay_s": 5}
COLD_ARGS = {**stage_profile(autoscaling=TO_ZERO), **LIMITS}
CLIENTS = 4

# ---- in the child process --------------------------------------------------------------------
_child: dict = {}


def _start_cluster() -> None:
    from testbed.local_cluster import local_cluster

    stack = ExitStack()
    # 3 CPUs a worker: after a node loss the survivor must hold all four model replicas (0.5 CPU
    # each), with room to spare.
    cluster = stack.enter_context(local_cluster(workers=2, worker_cpus=3, model_slots=4, head_cpus=1))
    _child.update(stack=stack, cluster=cluster, url=cluster.deploy(APP_ARGS))


def _stop_cluster() -> None:
    _child.pop("stack").close()


def _uploads(lines_only: bool):
    from loadtest.workload import Upload

    line = Upload("line.jpg", eval_image("rapidocr_text_rec.jpg"), (("det", "false"),))
    return [line] if lines_only else [line, Upload("page.png", eval_image("rapidocr_issue_170.png"))]


def _nodes_by_deployment(app: str = "ocr") -> dict[str, list[str]]:
    """Deployment -> the role of the node of each live replica ("head", "worker0", ...)."""
    from testbed.local_cluster import live_replicas

    cluster = _child["cluster"]
    roles = {cluster.cluster.head_node.node_id: "head",
             **{node.node_id: f"worker{i}" for i, node in enumerate(cluster.workers)}}
    out: dict[str, list[str]] = {}
    for replica in live_replicas(app):
        out.setdefault(replica.deployment, []).append(roles.get(replica.node_id, "gone"))
    return {name: sorted(nodes) for name, nodes in out.items()}


def _wait_for(condition, timeout_s: float, period_s: float = 0.5):
    """Poll until `condition()` is truthy; return (its value, seconds waited)."""
    started = time.monotonic()
    while True:
        value = condition()
        if value or time.monotonic() - started > timeout_s:
            return value, time.monotonic() - started
        time.sleep(period_s)


def _load_until(uploads, min_requests: int, max_seconds: float, action) -> dict:
    """Closed-loop load; `action()` runs after 3 s of it; the load goes on until `min_requests`
    were answered after the action (or `max_seconds`)."""
    from loadtest.closed_loop import ClosedLoop

    load = ClosedLoop(_child["url"], uploads, CLIENTS, timeout_s=60).start()
    time.sleep(3)
    before = load.snapshot().total
    started = time.monotonic()
    action()
    while load.snapshot().total - before < min_requests and time.monotonic() - started < max_seconds:
        time.sleep(0.5)
    result = load.stop()
    return {"statuses": dict(result.statuses), "total": result.total, "failed": result.failed,
            "summary": result.summary()}


def scenario_placement() -> dict:
    return _nodes_by_deployment()


def scenario_replica_kill() -> dict:
    import ray

    from testbed.local_cluster import live_replicas

    victim = next(r for r in live_replicas() if r.deployment == "Recognizer")
    figures = _load_until(_uploads(lines_only=True), 200, 60,
                          lambda: ray.kill(ray.get_actor(victim.actor_name, namespace="serve"), no_restart=True))
    def replaced() -> bool:
        names = [r.actor_name for r in live_replicas() if r.deployment == "Recognizer"]
        return len(names) == 2 and victim.actor_name not in names

    ok, waited = _wait_for(replaced, 90)
    return {**figures, "replaced": ok, "replacement_s": waited}


def scenario_cold_start() -> dict:
    from ray import serve

    from testbed.local_cluster import live_replicas

    def model_replicas() -> int:
        return sum(r.deployment in ("Detector", "Recognizer") for r in live_replicas("cold"))

    url = _child["cluster"].deploy(COLD_ARGS, name="cold", route_prefix="/cold")
    figures = {"replicas_after_deploy": model_replicas()}
    page = eval_image("rapidocr_ch_en_num.jpg")
    with httpx.Client(timeout=60) as http:
        for attempt in ("first", "second"):
            started = time.perf_counter()
            response = http.post(f"{url}/ocr", files={"image": ("page.jpg", page)})
            figures[f"{attempt}_cold"] = {"status": response.status_code, "seconds": time.perf_counter() - started,
                                          "retry_after": response.headers.get("retry-after"),
                                          "lines": len(response.json().get("results", []))}
            figures[f"{attempt}_warm_s"] = _timed_post(http, url, page)
            at_zero, waited = _wait_for(lambda: model_replicas() == 0, 90)
            figures[f"{attempt}_back_to_zero_s"] = waited if at_zero else None
        # Several requests at once on a cold stage: each waits for the one replica that starts.
        with ThreadPoolExecutor(CLIENTS) as pool:
            figures["concurrent_cold_statuses"] = list(pool.map(
                lambda _: http.post(f"{url}/ocr", files={"image": ("p.jpg", page)}).status_code, range(CLIENTS)))
    serve.delete("cold")
    return figures


def _timed_post(http: httpx.Client, url: str, image: bytes) -> float:
    started = time.perf_counter()
    http.post(f"{url}/ocr", files={"image": ("page.jpg", image)}).raise_for_status()
    return time.perf_counter() - started


def scenario_node_loss() -> dict:
    from ray import serve

    cluster = _child["cluster"]
    figures = _load_until(_uploads(lines_only=False), 60, 60, lambda: cluster.remove_worker(cluster.workers[1]))

    def rescheduled():
        # Serve counts a replica on the lost node as RUNNING until its health check fails, so also
        # ask the GCS which replica actors are alive, and where.
        deployments, nodes = serve.status().applications["ocr"].deployments, _nodes_by_deployment()
        return all(deployments[name].replica_states.get("RUNNING") == 2 and len(nodes.get(name, [])) == 2
                   and "gone" not in nodes[name] for name in ("Detector", "Recognizer"))

    ok, waited = _wait_for(rescheduled, 90)
    return {**figures, "rescheduled": ok, "reschedule_s": waited, "nodes": _nodes_by_deployment()}


# ---- in the test process ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    """A spawned child process that holds the multi-node cluster for this module's scenarios.
    A scenario that overruns its timeout fails its test, and the child is then terminated rather
    than waited for (Ray's own reaper ends the cluster's processes with it)."""
    child = multiprocessing.get_context("spawn").Pool(1)
    try:
        child.apply_async(_start_cluster).get(SCENARIO_TIMEOUT_S)
        yield lambda scenario: child.apply_async(scenario).get(SCENARIO_TIMEOUT_S)
        child.apply_async(_stop_cluster).get(SCENARIO_TIMEOUT_S)
    finally:
        child.terminate()


def test_model_stages_run_only_on_nodes_with_the_model_resource(cluster):
    nodes = cluster(scenario_placement)
    SUMMARY.append(f"multi-node placement: {nodes}")
    assert nodes["Ingress"] == ["head"]
    for stage in ("Detector", "Recognizer"):
        assert nodes[stage] == ["worker0", "worker1"], stage  # one on each model node, none on the head


def test_a_killed_replica_is_replaced_and_at_most_one_percent_of_requests_fail(cluster):
    figures = cluster(scenario_replica_kill)
    SUMMARY.append(f"replica kill under load ({CLIENTS} clients): {figures['summary']}; "
                   f"replacement running after {figures['replacement_s']:.1f} s")
    assert figures["total"] >= 200
    assert figures["failed"] <= 0.01 * figures["total"], figures["statuses"]
    assert 500 not in figures["statuses"], "a request on the killed replica must get a 503, not a 500"
    assert figures["replaced"]


def test_model_stages_scale_to_zero_and_a_cold_request_succeeds(cluster):
    figures = cluster(scenario_cold_start)
    for attempt in ("first", "second"):
        cold, back = figures[f"{attempt}_cold"], figures[f"{attempt}_back_to_zero_s"]
        SUMMARY.append(f"scale to zero, {attempt} cold request: HTTP {cold['status']} in {cold['seconds']:.2f} s "
                       f"(warm {figures[f'{attempt}_warm_s']:.2f} s); "
                       + (f"back to zero after {back:.1f} s" if back is not None else "not back to zero"))
    SUMMARY.append(f"scale to zero, {CLIENTS} concurrent cold requests: {figures['concurrent_cold_statuses']}")
    assert figures["replicas_after_deploy"] == 0
    for attempt in ("first", "second"):
        cold = figures[f"{attempt}_cold"]
        # A cold request is answered, with the page's text or with a 503 that says when to retry.
        assert (cold["status"] == 200 and cold["lines"] > 0) or (cold["status"] == 503 and cold["retry_after"])
        assert figures[f"{attempt}_back_to_zero_s"] is not None
    assert all(code == 200 for code in figures["concurrent_cold_statuses"])


def test_losing_a_node_under_load_leaves_the_service_answering(cluster):
    figures = cluster(scenario_node_loss)
    SUMMARY.append(f"node loss under load ({CLIENTS} clients): {figures['summary']}; replicas rescheduled "
                   f"after {figures['reschedule_s']:.1f} s: {figures['nodes']}")
    # Only requests in flight on the lost node may fail: at most one per client.
    assert figures["failed"] <= CLIENTS, figures["statuses"]
    assert 500 not in figures["statuses"], "a request on the lost node must get a 503, not a 500"
    assert figures["total"] - figures["failed"] >= 60
    assert figures["rescheduled"]
    assert figures["nodes"]["Detector"] == figures["nodes"]["Recognizer"] == ["worker0", "worker0"]
