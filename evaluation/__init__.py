"""How the project scores recognised text: the public eval set and its comparison, importable by
tests, benchmarks and model training alike (models/ never imports loadtest/)."""
