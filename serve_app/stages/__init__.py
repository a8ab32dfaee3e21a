"""The Ray Serve deployments, one file each: Ingress (HTTP and the handle API) -> Preprocess
(pages in, results out: decodes or renders, and drives the model stages) -> Detector and
Recognizer (batched onnxruntime models). Page pixels travel Preprocess -> Detector/Recognizer,
never through the ingress."""
