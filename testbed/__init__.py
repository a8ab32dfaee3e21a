"""The harness that tests and benchmarks both run the service in: the app on a private local Ray
cluster (`local_service.py`, several nodes: `local_cluster.py`) and its metrics read as Prometheus
does (`prometheus_scrape.py`, a real Prometheus: `prometheus_server.py`)."""
