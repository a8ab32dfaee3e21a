"""The Ray Serve deployments, one file each: Ingress (HTTP and the handle API) -> PageReader
(pages in, results out: decodes or renders, turns pages upright, drives the model stages, extracts
documents) -> Detector and
Recognizer (batched onnxruntime models). Page pixels travel PageReader -> Detector/Recognizer,
never through the ingress."""
