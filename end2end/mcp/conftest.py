"""Starts a real Tasko server (own port, own data dir) and signs a user up on its local IdP,
for the MCP client test."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

CLIENT_ID = "tasko-mcp-client"
POOL_ID = "local_mcp"
PASSWORD = "Corr3ct-Horse-Battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
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
        }
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


def post(url: str, body: dict, headers: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def idp(base: str, operation: str, body: dict) -> dict:
    return post(f"{base}/idp", body, {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
    })


@pytest.fixture()
def session(server):
    """A new user's ID token (the app's own sign-in, as the browser does it)."""
    email = f"mcp-{time.time_ns()}@example.com"
    idp(server, "SignUp", {"ClientId": CLIENT_ID, "Username": email, "Password": PASSWORD})
    signed_in = idp(server, "InitiateAuth", {
        "ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": email, "PASSWORD": PASSWORD}})
    return signed_in["AuthenticationResult"]["IdToken"]
