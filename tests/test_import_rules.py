"""The package boundaries the architecture relies on, checked on every import statement:
`ocr_ops/` never imports Ray or HTTP, `models/` never imports `loadtest/`, and no shipped
package imports the tests."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "ocr_ops": ("ray", "starlette", "httpx", "serve_app", "loadtest", "tests", "models"),
    "models": ("loadtest", "tests", "serve_app"),
    "serve_app": ("tests", "loadtest"),
    "evaluation": ("loadtest", "tests", "serve_app"),
    "ocr_client": ("ray", "serve_app", "ocr_ops", "tests"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_keep_their_boundaries(package):
    offences = [f"{path.relative_to(ROOT)} imports {name}"
                for path in sorted((ROOT / package).rglob("*.py"))
                for name in imported_modules(path)
                if name.split(".")[0] in FORBIDDEN[package]]
    assert offences == []
