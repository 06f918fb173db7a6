"""Bounds on what sitrep will read: articles are hostile input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_item_bytes: int = 5 * 1024 * 1024  # one article (file, record, response body)
    max_file_bytes: int = 512 * 1024 * 1024  # one container file (WARC, JSON Lines) on disk
    max_decompressed_ratio: int = 100  # gzip bomb guard: decompressed <= ratio * compressed (+1 MiB)
    fetch: bool = False  # follow links in feeds (URLs given directly are always fetched)
    timeout_s: float = 10.0
    max_redirects: int = 5
    max_concurrency: int = 4
    user_agent: str = "sitrep/0.1 (+news analysis; respects robots.txt)"
    obey_robots: bool = True
    allow_private_addresses: bool = False  # fetch loopback, private, link-local... hosts (see ingest.web)
