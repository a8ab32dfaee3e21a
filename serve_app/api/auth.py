"""API keys and per-key concurrency quotas; off unless keys are configured.

Keys come from the environment, never from the Serve config (whose args the dashboard shows):
`OCR_API_KEYS` holds keys separated by commas or whitespace, `OCR_API_KEYS_FILE` names a file with
one key per line (`#` starts a comment; on Kubernetes a mounted Secret, see
cluster/kuberay-rayservice.yaml). A file that is named but missing or empty is an error at start,
not a service that is silently open.

Only SHA-256 digests of the keys are kept. A presented key is hashed and compared with every
digest with `hmac.compare_digest`, without stopping at the first match, so the time taken says
nothing about which key or how much of it matched. Errors and logs name a key only by its
`KeyId`, a short hash; never the key."""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Mapping, NewType

KEYS_ENV, KEYS_FILE_ENV = "OCR_API_KEYS", "OCR_API_KEYS_FILE"
MIN_KEY_LENGTH = 16  # shorter keys are guessable; refuse them at start
MAX_HEADER_LENGTH = 1024
# RFC 6750 b64token: the characters a bearer token may use.
_BEARER = re.compile(r"Bearer +([A-Za-z0-9\-._~+/]+=*)", re.IGNORECASE)

KeyId = NewType("KeyId", str)  # "key-" + 12 hex digits of the key's SHA-256: safe to log


class AuthError(Exception):
    """No valid key: the ingress answers 401 `unauthorized` with `WWW-Authenticate: Bearer`."""

    code = "unauthorized"


class QuotaExceeded(Exception):
    """The key already has its maximum of requests in flight: 429 `quota_exceeded` + Retry-After."""

    code = "quota_exceeded"

    def __init__(self, key_id: KeyId, limit: int, retry_after_s: int):
        super().__init__(f"this API key already has {limit} requests in progress; retry after {retry_after_s} s")
        self.key_id, self.limit, self.retry_after_s = key_id, limit, retry_after_s


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def key_id(key: str) -> KeyId:
    return KeyId("key-" + hashlib.sha256(key.encode()).hexdigest()[:12])


def parse_keys(text: str, source: str) -> list[str]:
    """Keys in `text`: separated by newlines, commas or whitespace; `#` comments to the line end."""
    keys = [k for line in text.splitlines() for k in re.split(r"[\s,]+", line.partition("#")[0]) if k]
    for number, key in enumerate(keys, 1):
        if len(key) < MIN_KEY_LENGTH:  # name the position, never the key
            raise ValueError(f"{source}: key {number} is shorter than {MIN_KEY_LENGTH} characters")
        if not _BEARER.fullmatch(f"Bearer {key}"):
            raise ValueError(f"{source}: key {number} has characters a bearer token cannot carry")
    return keys


@dataclass(frozen=True)
class ApiKeys:
    digests: tuple[bytes, ...] = field(default=(), repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> "ApiKeys":
        environ = os.environ if environ is None else environ
        keys = parse_keys(environ.get(KEYS_ENV, ""), KEYS_ENV)
        if path := environ.get(KEYS_FILE_ENV):
            file_keys = parse_keys(Path(path).read_text(), KEYS_FILE_ENV)  # a missing file raises
            if not file_keys:
                raise ValueError(f"{KEYS_FILE_ENV}: the file names no keys; unset the variable to turn keys off")
            keys += file_keys
        return cls(tuple(_digest(k) for k in dict.fromkeys(keys)))

    @property
    def enabled(self) -> bool:
        return bool(self.digests)

    def authenticate(self, authorization: str | None) -> KeyId | None:
        """The caller's key id from an `Authorization: Bearer <key>` header; None when keys are
        off. Raises `AuthError` when keys are on and the header is missing, malformed or unknown."""
        if not self.enabled:
            return None
        if not authorization or len(authorization) > MAX_HEADER_LENGTH:
            raise AuthError("this service needs an API key: send Authorization: Bearer <key>")
        match = _BEARER.fullmatch(authorization.strip())
        if match is None:
            raise AuthError("the Authorization header must be 'Bearer <key>'")
        presented = _digest(match.group(1))
        found = False
        for digest in self.digests:  # no early exit: constant time in which key matched
            found |= hmac.compare_digest(presented, digest)
        if not found:
            raise AuthError("the API key is not valid")
        return key_id(match.group(1))


class KeyLimiter:
    """At most `max_in_flight` requests at once per key, per ingress replica. Requests without a
    key id (keys off) pass freely: the service-wide admission limit still applies."""

    def __init__(self, max_in_flight: int, retry_after_s: int):
        self.max_in_flight, self.retry_after_s = max_in_flight, retry_after_s
        self._in_flight: dict[KeyId, int] = {}

    def in_flight(self, key: KeyId) -> int:
        return self._in_flight.get(key, 0)

    @asynccontextmanager
    async def slot(self, key: KeyId | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        if self.in_flight(key) >= self.max_in_flight:
            raise QuotaExceeded(key, self.max_in_flight, self.retry_after_s)
        self._in_flight[key] = self.in_flight(key) + 1
        try:
            yield
        finally:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key]  # ids of keys no longer in use do not accumulate
