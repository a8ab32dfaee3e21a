"""The package boundaries the architecture relies on, checked on every import statement:
`ocr_ops/` never imports Ray or HTTP, `models/` never imports `loadtest/` (of the other packages,
only `synthetic/`, `evaluation/` and `ocr_ops/`), what tests and benchmarks share (`synthetic/`,
`testbed/`, `evaluation/`) never imports `loadtest/`, and no shipped package imports the tests."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "ocr_ops": ("ray", "starlette", "httpx", "serve_app", "loadtest", "tests", "models", "synthetic", "testbed",
                "evaluation"),
    "models": ("loadtest", "tests", "serve_app", "testbed"),
    "serve_app": ("tests", "loadtest", "synthetic", "testbed", "evaluation"),
    "evaluation": ("loadtest", "tests", "serve_app", "testbed", "models"),
    "synthetic": ("loadtest", "tests", "serve_app", "testbed", "evaluation", "models"),
    "testbed": ("loadtest", "tests", "synthetic", "evaluation"),
    "ocr_client": ("ray", "serve_app", "ocr_ops", "tests"),
}


def imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for each absolute import: name is None for `import module`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def imported_modules(path: Path) -> set[str]:
    return {module for module, _ in imports(path)}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_keep_their_boundaries(package):
    offences = [f"{path.relative_to(ROOT)} imports {name}"
                for path in sorted((ROOT / package).rglob("*.py"))
                for name in imported_modules(path)
                if name.split(".")[0] in FORBIDDEN[package]]
    assert offences == []


# The ingress parses, admits and shapes JSON; decoding, rendering and page preparation live in the
# PageReader stage. Calling into one of these modules would be pixel work in the ingress; reading a
# constant of theirs (the contract lists `ocr_ops.enhance.STEPS` as the enhance field's values) is not.
PIXEL_MODULES = ("cv2", "pypdfium2", "PIL", "ocr_ops.decode", "ocr_ops.pdf", "ocr_ops.page",
                 "ocr_ops.enhance", "ocr_ops.pipeline", "ocr_ops.orientation", "ocr_ops.text_layer")


def pixel_work_imported(path: Path) -> list[str]:
    """Imports of a pixel module, or of anything but UPPER_CASE constants from one."""
    return [module if name is None else f"{module}.{name}" for module, name in imports(path)
            if any(module == m or module.startswith(m + ".") for m in PIXEL_MODULES)
            and (name is None or not name.isupper())]


def test_the_ingress_imports_no_pixel_work():
    ingress = [ROOT / "serve_app" / "stages" / "ingress.py", *sorted((ROOT / "serve_app" / "api").glob("*.py"))]
    offences = [f"{path.relative_to(ROOT)} imports {name}" for path in ingress for name in pixel_work_imported(path)]
    assert offences == []
