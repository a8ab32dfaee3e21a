"""How the project scores its answers: recognised text against the public eval set (`eval_set.py`,
`scoring.py`) and extracted fields against the synthetic labelled documents (`extraction.py`),
importable by tests, benchmarks and model training alike (never imports loadtest/)."""
