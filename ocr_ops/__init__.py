"""Pure, framework-free OCR operations: decoding, enhancement, detection, classification,
recognition and their pre/post-processing. Nothing here imports Ray, so every op is unit-testable
on its own and the in-process pipeline (`ocr_ops.pipeline`) is the benchmark's baseline."""
