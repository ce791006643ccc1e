"""scripts/serve as a newcomer runs it: the demo's one-time passwords come last, below the
install, job and server start-up logs, not scrolled away by them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_prints_the_demo_passwords_last(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ASSAY_ADDRESS": f"127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("SITE_URL", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and server.poll() is None:
                if log.read_text().count("=" * 80) >= 2:
                    break
                time.sleep(0.5)
            text = log.read_text()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    lines = text.splitlines()
    passwords = [i for i, line in enumerate(lines) if "password: " in line]
    assert len(passwords) == 3, text[-3000:]
    first_password = passwords[0]
    started = max(i for i, line in enumerate(lines) if "Quit the server with" in line)
    jobs = [i for i, line in enumerate(lines) if "assay.job" in line]
    assert started < first_password
    assert not jobs or max(jobs) < first_password
    # only the framed report follows the passwords
    assert lines[-1] == "=" * 80
