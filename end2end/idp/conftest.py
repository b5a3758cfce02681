"""Starts a real Tasko server (own port, own data dir) for the protocol tests."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

CLIENT_ID = "tasko-boto3-client"
POOL_ID = "local_boto3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = os.environ["TASKO_SERVER_BIN"]
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(
            os.environ,
            PORT=str(port),
            DATA_DIR=data_dir,
            DIST_DIR=os.path.join(data_dir, "no-dist"),
            COGNITO_CLIENT_ID=CLIENT_ID,
            COGNITO_USER_POOL_ID=POOL_ID,
            LOG="warn",
        )
        process = subprocess.Popen([binary], env=env)
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
