"""What the project generates to test and train on, seeded so every run makes the same thing:
labelled documents (`documents/`), PDFs with a real text layer (`pdf.py`), the fonts they are drawn
with (`fonts.py`) and photo damage (`damage.py`), shared with the CRNN's training lines
(models/crnn/data.py). Imports no service code beyond `ocr_ops` types, never `loadtest/`."""
