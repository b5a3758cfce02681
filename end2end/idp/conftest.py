"""The IdP protocol tests' servers (started by `end2end/conftest.py`): a plain one, and one that
waits for emailed codes."""

import re
import time

import pytest

CLIENT_ID = "tasko-boto3-client"
POOL_ID = "local_boto3"


@pytest.fixture(scope="session")
def server(start_server):
    yield from start_server(CLIENT_ID, POOL_ID, {})


@pytest.fixture(scope="session")
def confirming_server(tmp_path_factory, start_server):
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
    for base in start_server(CLIENT_ID, POOL_ID, env, log):
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
