"""Starts a real Tasko server (own port, own data dir) and signs a user up on its local IdP,
for the MCP client test."""

import json
import time
import urllib.request

import pytest

CLIENT_ID = "tasko-mcp-client"
POOL_ID = "local_mcp"
PASSWORD = "Corr3ct-Horse-Battery"


@pytest.fixture(scope="session")
def server(start_server):
    yield from start_server(CLIENT_ID, POOL_ID, {})


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
