"""A process-local memo with a time limit.

For small, read-mostly lists that every request of a busy page needs (the services in the
officers' queue filter): one database read per process per ``seconds`` instead of one per
request. What it holds can be up to ``seconds`` old in the other worker processes after an
admin changes it; the process that saved the change clears its memo through a signal
(``clear_all``), and the tests clear it before each test.
"""

from __future__ import annotations

import time
from functools import wraps

_memos: list[dict] = []


def ttl_memo(seconds: float):
    def decorate(function):
        entries: dict = {}
        _memos.append(entries)

        @wraps(function)
        def wrapper(*args):
            now = time.monotonic()
            hit = entries.get(args)
            if hit is not None and hit[0] > now:
                return hit[1]
            value = function(*args)
            entries[args] = (now + seconds, value)
            return value

        wrapper.cache_clear = entries.clear
        return wrapper

    return decorate


def clear_all(**_signal_kwargs) -> None:
    for entries in _memos:
        entries.clear()
