"""The README's API tables, generated from the contract so they cannot drift from it. A test
checks that README.md contains exactly these tables; after changing the contract, print them and
paste them in:

    python -m serve_app.api.markdown"""
from __future__ import annotations

from serve_app.api.contract import OCR_FIELDS, ErrorCode


def _default(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def field_table() -> str:
    rows = ["| field | default | meaning |", "|---|---|---|"]
    for field in OCR_FIELDS:
        default = "required" if field.target == "image" else _default(field.default)
        rows.append(f"| `{field.name}` | {default} | {field.description} |")
    return "\n".join(rows)


def error_table() -> str:
    rows = ["| status | code | Retry-After | when |", "|---|---|---|---|"]
    for error in ErrorCode:
        rows.append(f"| {error.status} | `{error.code}` | {'yes' if error.retry else ''} | {error.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(field_table(), error_table(), sep="\n\n")
