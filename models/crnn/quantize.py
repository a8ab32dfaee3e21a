"""INT8 dynamic quantisation of the exported CRNN's LSTM and linear layers (onnxruntime).

Weights of LSTM, MatMul and Gemm nodes become int8; activations are quantised on the fly. The
convolutions stay float: dynamic quantisation of Conv made the PP-OCR models slower here
(../shared/notes), and they are a small part of this model's weights.

    python -m models.crnn.quantize [--model models/crnn/run/crnn-fp32.onnx] [--out models/crnn/run/crnn-int8.onnx]
"""
from __future__ import annotations

from pathlib import Path

from onnxruntime.quantization import QuantType, quant_pre_process, quantize_dynamic

from models.crnn.export import file_step_main, metadata_of, set_metadata
from models.crnn.train import DEFAULT_RUN_DIR

QUANTISED_OPS = ["LSTM", "MatMul", "Gemm"]


def quantize(model: Path, out: Path) -> Path:
    prepared = out.with_suffix(".prepared.onnx")
    quant_pre_process(str(model), str(prepared), skip_symbolic_shape=True)
    quantize_dynamic(str(prepared), str(out), op_types_to_quantize=QUANTISED_OPS, weight_type=QuantType.QInt8)
    prepared.unlink()
    set_metadata(out, {**metadata_of(model), "quantised": "int8 dynamic " + "/".join(QUANTISED_OPS)})
    print(f"quantised {model} ({model.stat().st_size / 1e6:.1f} MB) -> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def main(argv: list[str] | None = None) -> int:
    return file_step_main(argv, __doc__, quantize, "model", DEFAULT_RUN_DIR / "crnn-fp32.onnx",
                          DEFAULT_RUN_DIR / "crnn-int8.onnx")


if __name__ == "__main__":
    raise SystemExit(main())
