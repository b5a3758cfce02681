"""Shared helpers of the infra tests: the template as data, and a real tasko-server."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

INFRA = Path(__file__).resolve().parents[1]
ROOT = INFRA.parent
sys.path.insert(0, str(INFRA))

import cfn  # noqa: E402


@pytest.fixture(scope="session")
def template():
    return cfn.load_template()


@pytest.fixture(scope="session")
def server_bin():
    return os.environ.get("TASKO_SERVER_BIN", str(ROOT / "target/debug/tasko-server"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(binary: str, env: dict):
    """A tasko-server on a free port with `env` on top of the test's environment; yields
    its base URL once it answers."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        full = {**os.environ, "PORT": str(port), "DATA_DIR": data_dir, "LOG": "warn", **env}
        process = subprocess.Popen([binary], env=full)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                if process.poll() is not None:
                    raise RuntimeError(f"tasko-server exited with {process.returncode}")
                try:
                    with urllib.request.urlopen(f"{base}/config.json", timeout=2):
                        break
                except OSError:
                    time.sleep(0.05)
            else:
                raise RuntimeError("tasko-server did not start")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
