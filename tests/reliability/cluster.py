"""Run eventsite the way production does, on loopback: gunicorn app servers and mail workers as
separate processes sharing one PostgreSQL database and one SMTP server.

Used by the scale-out test; every process gets the production configuration (with a real secret
and trusted hosts), so the test also proves that configuration starts and serves.
"""
from __future__ import annotations

import os
import socket
import subprocess  # nosec B404 # our own commands, fixed argument lists, no shell
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, port: int, instance: Path, smtp_port: int | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "EVENTSITE_CONFIG": "production",
        "EVENTSITE_INSTANCE": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "scale-out-test-" + "k" * 40,
        "SERVER_NAME": f"127.0.0.1:{port}",
        "TRUSTED_HOSTS": "127.0.0.1",
        "PROXY_COUNT": "0",
        "DATA_ENCRYPTION_KEYS": "scale-out-test-data-key-0000000000000000000=",
        "SESSION_COOKIE_SECURE": "0",
        "PREFERRED_URL_SCHEME": "http",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "MAIL_WORKER_INTERVAL": "0.2",
        "MAIL_BATCH_SIZE": "50",
        "FLASK_APP": "wsgi",
    })
    env.pop("FLASK_DEBUG", None)
    if smtp_port:
        env.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port), "MAIL_TIMEOUT": "10"})
    return env


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:  # nosec B310 # loopback
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not answer within {seconds} s")


@contextmanager
def processes(commands: list[tuple[list[str], dict]], log_dir: Path):
    """Start every (argv, env); stop them all (TERM, then KILL) when the block ends."""
    started = []
    try:
        for i, (argv, env) in enumerate(commands):
            log = open(log_dir / f"process-{i}.log", "wb")  # noqa: SIM115 (closed below)
            started.append((subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log,  # nosec B603
                                             stderr=subprocess.STDOUT), log))
        yield [p for p, _log in started]
    finally:
        for process, _log in started:
            if process.poll() is None:
                process.terminate()
        for process, log in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def gunicorn(port: int, env: dict, workers: int = 2) -> tuple[list[str], dict]:
    return ([str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--graceful-timeout", "5", "--access-logfile", "-", "wsgi:app"], env)


def mail_worker(env: dict) -> tuple[list[str], dict]:
    return ([str(BIN / "flask"), "mail", "worker"], env)
