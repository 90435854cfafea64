"""Prepared, read-only data kept for the life of the process, out of any client's reach.

Streamlit's ``st.cache_resource`` and ``st.cache_data`` can be emptied by any browser: one
``clear_cache`` message from an anonymous session (the « Clear caches » menu item sends it) made
every session rebuild the data and the map pieces, again and again (issue #18, finding 6). What is
costly to prepare lives here instead, in a per-process LRU that only this code can clear; Streamlit's
caches keep only what is cheap to rebuild.

Like ``st.cache_resource``, parameters whose name starts with ``_`` are not part of the key: the
other arguments must determine them (a data version, a content hash). Concurrent callers of one
key wait for a single computation instead of each running it.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class ProcessCache(Generic[P, R]):
    """``fn`` memoised per process on its non-underscore arguments, at most ``maxsize`` entries."""

    def __init__(self, fn: Callable[P, R], *, maxsize: int) -> None:
        self._fn = fn
        self._signature = inspect.signature(fn)
        self._names = [name for name in self._signature.parameters if not name.startswith("_")]
        self._maxsize = maxsize
        self._values: OrderedDict[tuple[Hashable, ...], R] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple[Hashable, ...], threading.Lock] = {}
        functools.update_wrapper(self, fn)

    def key(self, *args: Any, **kwargs: Any) -> tuple[Hashable, ...]:
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return tuple(bound.arguments[name] for name in self._names)

    def is_cached(self, *args: Any, **kwargs: Any) -> bool:
        with self._lock:
            return self.key(*args, **kwargs) in self._values

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = self.key(*args, **kwargs)
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = self._fn(*args, **kwargs)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
            with self._lock:
                self._values[key] = value
                while len(self._values) > self._maxsize:
                    self._values.popitem(last=False)
        return value

    def cache_clear(self) -> None:
        """Forget every entry (tests and this code only: no client message reaches it)."""
        with self._lock:
            self._values.clear()


def process_cache(*, maxsize: int) -> Callable[[Callable[P, R]], ProcessCache[P, R]]:
    def wrap(fn: Callable[P, R]) -> ProcessCache[P, R]:
        return ProcessCache(fn, maxsize=maxsize)

    return wrap
