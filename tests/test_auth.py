"""API keys and per-key quotas, without Ray: keys from the environment and a file, bearer parsing,
no key material in any error, and the per-key concurrency limit with real asyncio tasks."""
from __future__ import annotations

import asyncio

import pytest

from serve_app.api.auth import (KEYS_ENV, KEYS_FILE_ENV, ApiKeys, AuthError, KeyLimiter, QuotaExceeded, key_id,
                            parse_keys)

KEY_A, KEY_B = "alpha-0123456789abcdef", "bravo-fedcba9876543210"


def test_keys_are_off_unless_configured():
    keys = ApiKeys.from_environ({})
    assert not keys.enabled
    assert keys.authenticate(None) is None and keys.authenticate("Bearer anything") is None


def test_keys_from_the_environment_and_a_file(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"# team one\n{KEY_B}  # ci\n\n")
    keys = ApiKeys.from_environ({KEYS_ENV: KEY_A, KEYS_FILE_ENV: str(path)})
    assert keys.authenticate(f"Bearer {KEY_A}") == key_id(KEY_A)
    assert keys.authenticate(f"bearer  {KEY_B}") == key_id(KEY_B)
    assert key_id(KEY_A).startswith("key-") and len(key_id(KEY_A)) == 16 and KEY_A not in key_id(KEY_A)


@pytest.mark.parametrize("header", [None, "", KEY_A, f"Basic {KEY_A}", f"Bearer {KEY_A}x", f"Bearer {KEY_A[:-1]}",
                                    "Bearer " + "a" * 5000, f"Bearer {KEY_A} extra"])
def test_a_missing_malformed_or_unknown_key_is_refused_without_echoing_it(header):
    keys = ApiKeys.from_environ({KEYS_ENV: f"{KEY_A},{KEY_B}"})
    with pytest.raises(AuthError) as caught:
        keys.authenticate(header)
    assert caught.value.code == "unauthorized"
    assert KEY_A[:8] not in str(caught.value) and KEY_B[:8] not in str(caught.value)
    assert KEY_A not in repr(keys)


def test_a_named_keys_file_must_exist_and_hold_keys(tmp_path):
    with pytest.raises(FileNotFoundError):
        ApiKeys.from_environ({KEYS_FILE_ENV: str(tmp_path / "missing")})
    (tmp_path / "empty").write_text("# nothing yet\n")
    with pytest.raises(ValueError, match="no keys"):
        ApiKeys.from_environ({KEYS_FILE_ENV: str(tmp_path / "empty")})


def test_short_or_unsendable_keys_are_refused_by_position_not_content():
    with pytest.raises(ValueError, match="key 2 is shorter") as caught:
        parse_keys(f"{KEY_A}\nshort-secret", "test")
    assert "short-secret" not in str(caught.value)
    with pytest.raises(ValueError, match="key 1 has characters"):
        parse_keys("ключ-0123456789abcdef", "test")


def test_each_key_gets_its_own_concurrency_limit():
    async def scenario():
        limiter = KeyLimiter(max_in_flight=2, retry_after_s=3)
        a, b = key_id(KEY_A), key_id(KEY_B)
        release = asyncio.Event()

        async def request(key):
            async with limiter.slot(key):
                await release.wait()

        held = [asyncio.create_task(request(a)) for _ in range(2)] + [asyncio.create_task(request(b))]
        await asyncio.sleep(0)
        with pytest.raises(QuotaExceeded) as caught:
            async with limiter.slot(a):
                pass
        assert (caught.value.code, caught.value.retry_after_s) == ("quota_exceeded", 3)
        assert limiter.in_flight(b) == 1
        async with limiter.slot(None):  # keys off: no limit of its own
            pass
        release.set()
        await asyncio.gather(*held)
        assert limiter.in_flight(a) == 0 and not limiter._in_flight
        async with limiter.slot(a):  # free again
            assert limiter.in_flight(a) == 1

    asyncio.run(scenario())
