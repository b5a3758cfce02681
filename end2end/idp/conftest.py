"""Starts a real Tasko server (own port, own data dir) for the protocol tests."""

import json
import os
import re
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
    yield from _run_server({})


@pytest.fixture(scope="session")
def confirming_server(tmp_path_factory):
    """A server whose IdP behaves like a real pool: sign-ups wait for the emailed code, and
    every code goes to the log (read back by `codes`)."""
    log = tmp_path_factory.mktemp("idp-log") / "server.log"
    # Code guesses count against the per-address limit too: lifted so that the tests'
    # many guesses from 127.0.0.1 are not refused as a burst.
    env = {
        "IDP_REQUIRE_CONFIRMATION": "1",
        "LOG": "warn,server::idp::codes=info",
        "IDP_ATTEMPTS_PER_MINUTE": "10000",
    }
    for base in _run_server(env, log):
        yield base, Codes(log)


class Codes:
    """The codes the local IdP 'emailed', read from its log."""

    LINE = re.compile(r'email="?([^"\s]+)"? purpose=(\w+) code="?(\d{6})')

    def __init__(self, log):
        self.log = log

    def all(self, address: str, purpose: str) -> list[str]:
        """Every code sent to `address` for `purpose` so far, oldest first."""
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.log.read_text())
        return [m.group(3) for m in self.LINE.finditer(text)
                if m.group(1) == address.lower() and m.group(2) == purpose]

    def latest(self, address: str, purpose: str, after: int = 0) -> str:
        """The newest code, waiting for it to be logged (and for more than `after` codes)."""
        for _ in range(100):
            found = self.all(address, purpose)
            if len(found) > after:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no {purpose} code for {address} in the log")


def _run_server(extra_env, log=None):
    binary = os.environ["TASKO_SERVER_BIN"]
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "PORT": str(port),
            "DATA_DIR": data_dir,
            "DIST_DIR": os.path.join(data_dir, "no-dist"),
            "COGNITO_CLIENT_ID": CLIENT_ID,
            "COGNITO_USER_POOL_ID": POOL_ID,
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
