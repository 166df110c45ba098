"""A cache under ``.stance-cache/`` (``STANCE_CACHE`` overrides): trained labelers and
per-document statements and labels. Entries are written atomically with a SHA-256 sidecar; an
entry whose hash does not match (corrupt, truncated, or not written by stance) is rebuilt, never
loaded.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from .io import write_bytes

log = logging.getLogger("stance")


def cache_dir() -> Path:
    env = os.environ.get("STANCE_CACHE")
    if env:
        return Path(env)
    from .resources import data_dir

    return data_dir().parent / ".stance-cache"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_verified(path: Path) -> bytes | None:
    """The bytes of a cache entry if its sidecar hash matches, else None."""
    side = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        expected = side.read_text().strip()
    except OSError:
        return None
    if _sha(data) != expected:
        log.warning("cache entry %s does not match its hash; rebuilding it", path)
        return None
    return data


def write_verified(path: Path, data: bytes) -> None:
    # the data first, then the hash: a reader never trusts data without a matching hash
    write_bytes(path, data)
    write_bytes(path.with_name(path.name + ".sha256"), (_sha(data) + "\n").encode())


def load_or_train(key: str, train: Callable[[], object], enabled: bool = True):
    path = cache_dir() / "models" / f"{key}.pkl"
    if enabled:
        data = read_verified(path)
        if data is not None:
            try:
                return pickle.loads(data)  # noqa: S301 - written by stance and hash-verified
            except Exception:  # noqa: BLE001 - a stale pickle from another version is rebuilt
                log.warning("cache entry %s cannot be loaded; rebuilding it", path)
    obj = train()
    if enabled:
        try:
            write_verified(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as err:
            log.warning("cannot write cache %s: %s", path, err)
    return obj
