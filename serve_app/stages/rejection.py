"""Bad input crosses a stage boundary as a value, not an exception. Serve logs every exception a
replica's method raises at ERROR, with its traceback (about 40 lines); bad uploads are routine (a
scanner sending junk), get their 4xx and one access-log line, and must not fill the logs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, TypeVar

from ocr_ops.errors import OcrInputError

T = TypeVar("T")


@dataclass(frozen=True)
class Rejected:
    """What a stage returns instead of raising an input error; the ingress raises it again."""

    error: OcrInputError


async def input_errors_as_values(work: Awaitable[T]) -> T | Rejected:
    try:
        return await work
    except OcrInputError as error:
        return Rejected(error)


def raise_rejected(result: T | Rejected) -> T:
    if isinstance(result, Rejected):
        raise result.error
    return result
