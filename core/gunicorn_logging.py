"""gunicorn's access log as one JSON object per line, safe whatever the client sends."""

from __future__ import annotations

import datetime as dt
import json
import time
import traceback
from typing import Any

from gunicorn.glogging import Logger


def access_record(atoms: dict[str, Any]) -> dict[str, Any]:
    """The fields kept from gunicorn's log atoms (see gunicorn's access_log_format docs)."""
    sent = atoms.get("B")
    return {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "access",
        "remote": atoms.get("h"),
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "query": atoms.get("q") or "",
        "status": int(str(atoms.get("s", "0"))),
        "bytes": sent if isinstance(sent, int) else 0,
        "duration_ms": round(int(atoms.get("D", 0)) / 1000, 2),
        "request_id": atoms.get("{x-request-id}o", "-"),
        "user_agent": atoms.get("a"),
        "referer": atoms.get("f"),
    }


class JsonAccessLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    # gunicorn's own lines (booting, worker timeouts) on the same clock as every other line:
    # UTC, ISO 8601
    datefmt = r"[%Y-%m-%dT%H:%M:%S+00:00]"

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if handler.formatter is not None:
                handler.formatter.converter = time.gmtime

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        try:
            atoms = self.atoms(resp, req, environ, request_time)
            # json.dumps escapes quotes and control characters a client could put in the
            # path or User-Agent to forge log lines.
            self.access_log.info(json.dumps(access_record(atoms), ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.error(traceback.format_exc())


def per_worker_limits_warning(*, workers: int, redis_url: str) -> str | None:
    """Without Redis the cache is each process's own memory, so the API throttles and the
    comment rate count per gunicorn worker: N workers let N times the rate through."""
    if workers <= 1 or redis_url:
        return None
    return (
        f"REDIS_URL is not set: the cache is local to each of the {workers} workers, so the "
        f"API throttles and the comment rate are counted per worker and let up to {workers} "
        "times their rate through. Set REDIS_URL (or WEB_CONCURRENCY=1) to count them once."
    )
