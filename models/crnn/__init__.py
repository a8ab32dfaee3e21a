"""The project's own CRNN recognizer (CNN + 2-layer BiLSTM + CTC): charset, synthetic data,
model, training, ONNX export, INT8 quantisation and evaluation.

Only `charset` is needed at serve time (and not even that: the exported ONNX file carries its
character list in its metadata). Everything that imports torch lives behind the `train` extra."""
