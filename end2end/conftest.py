"""What the Python protocol tests share: a real Tasko server on its own port with its own
data dir, started from `TASKO_SERVER_BIN` (the IdP and MCP suites each start their own)."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_server(client_id: str, pool_id: str, extra_env: dict, log=None):
    """Yields the base URL of a started server (ready once `/config.json` answers), and
    stops it afterwards. `log`: a file for its output."""
    binary = os.environ["TASKO_SERVER_BIN"]
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "PORT": str(port),
            "DATA_DIR": data_dir,
            "DIST_DIR": os.path.join(data_dir, "no-dist"),
            "COGNITO_CLIENT_ID": client_id,
            "COGNITO_USER_POOL_ID": pool_id,
            "LOG": "warn",
            **extra_env,
        }
        output = open(log, "w") if log else None
        process = subprocess.Popen([binary], env=env, stdout=output)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    with urllib.request.urlopen(f"{base}/config.json") as response:
                        json.load(response)
                        break
                except OSError:
                    time.sleep(0.05)
            else:
                raise RuntimeError("server did not start")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
            if output:
                output.close()


@pytest.fixture(scope="session")
def start_server():
    """`run_server` for the suites' own fixtures (a parent conftest's functions are reached
    as fixtures, not imports)."""
    return run_server
