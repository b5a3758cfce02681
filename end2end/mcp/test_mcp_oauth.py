"""The official MCP Python SDK signs in to Tasko with its own OAuth client (discovery from
/mcp's 401, dynamic registration, PKCE), the consent given through the consent page's API as
the signed-in user; then it lists the tools and calls them. The grant shows in Connected
apps, its changes in the activity log under the client's name, and revoking it stops the
SDK's token. A denied consent gives the SDK no token and connects nothing."""

import asyncio
import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from mcp import ClientSession

from oauth_client import CLIENT_NAME, REDIRECT_URI, MemoryStorage, connect
from test_mcp_python_sdk import call


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def consent_page_request(authorization_url: str) -> str:
    """Opens the authorization URL as a browser would and returns the consent page's
    request id (`/oauth/authorize` redirects to `/connect?request=<id>`)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(authorization_url)
    except urllib.error.HTTPError as redirect:
        assert redirect.code in (302, 303), redirect.read()
        location = urljoin(authorization_url, redirect.headers["Location"])
    else:
        raise AssertionError("the authorization endpoint did not redirect")
    assert urlparse(location).path == "/connect", location
    return parse_qs(urlparse(location).query)["request"][0]


def answering(server: str, session: str, approve: bool):
    """A consent that reads the request as the page does and answers it."""

    async def consent(authorization_url: str) -> str:
        request_id = consent_page_request(authorization_url)
        asked = call(f"{server}/api/oauth/requests/{request_id}", "GET", session)
        assert asked["client"]["name"] == CLIENT_NAME
        assert asked["client"]["site"] == urlparse(REDIRECT_URI).netloc
        assert asked["access"] == "write"
        assert asked["redirectUri"] == REDIRECT_URI
        answer = call(f"{server}/api/oauth/requests/{request_id}", "POST", session,
                      {"approve": approve})
        assert answer["redirect"].startswith(f"{REDIRECT_URI}?"), answer
        return answer["redirect"]

    return consent


def test_the_python_sdk_signs_in_with_oauth_and_calls_the_tools(server, session):
    storage = MemoryStorage()

    async def work(mcp: ClientSession):
        tools = {tool.name for tool in (await mcp.list_tools()).tools}
        assert {"getTodos", "addTodo", "completeTodo", "deleteTodo"} <= tools, sorted(tools)
        added = await mcp.call_tool("addTodo", {"title": "Water the ferns"})
        assert not added.is_error, added
        todo = added.structured_content["todos"][0]
        listed = await mcp.call_tool("getTodos", {"status": "open"})
        assert [t["id"] for t in listed.structured_content["todos"]] == [todo["id"]]
        done = await mcp.call_tool("completeTodo", {"todoId": todo["id"]})
        assert done.structured_content["todos"][0]["completed"] is True
        return todo

    todo = asyncio.run(connect(server, answering(server, session, True), work, storage))

    # The user's own view agrees; the change is the client's, by name, in the activity log.
    [stored] = call(f"{server}/api/todos", "GET", session)
    assert stored["id"] == todo["id"] and stored["completed"] is True
    activity = call(f"{server}/api/activity", "GET", session)["activity"]
    assert [a["actor"] for a in activity] == [{"kind": "mcp", "name": CLIENT_NAME}] * 2
    [grant] = call(f"{server}/api/oauth/grants", "GET", session)["grants"]
    assert grant["client"]["name"] == CLIENT_NAME and grant["access"] == "write"
    assert grant["lastUsedAt"] is not None

    # Revoked: the SDK's access token is refused from then on.
    call(f"{server}/api/oauth/grants/{grant['id']}", "DELETE", session)
    request = urllib.request.Request(
        f"{server}/mcp", method="POST",
        data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode(),
        headers={"Authorization": f"Bearer {storage.tokens.access_token}",
                 "Content-Type": "application/json",
                 "Accept": "application/json, text/event-stream"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 401
    assert call(f"{server}/api/oauth/grants", "GET", session)["grants"] == []


def test_a_denied_consent_gives_the_sdk_no_token(server, session):
    storage = MemoryStorage()

    async def work(mcp: ClientSession):
        raise AssertionError("connected without consent")

    with pytest.raises(BaseException) as refused:
        asyncio.run(connect(server, answering(server, session, False), work, storage))
    # The callback's refusal, as raised (the SDK's task group may wrap it).
    assert any(isinstance(e, PermissionError) and "access_denied" in str(e)
               for e in leaves(refused.value)), repr(refused.value)
    assert storage.tokens is None
    assert call(f"{server}/api/oauth/grants", "GET", session)["grants"] == []


def leaves(error: BaseException):
    """The exceptions inside `error` (itself, or those of an exception group, recursively)."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from leaves(inner)
    else:
        yield error


def test_after_a_401_the_connection_serves_the_next_request(server):
    """An MCP client's OAuth flow starts on the connection that got the 401: the server
    must leave it usable (an unread body used to make it close it about half the time)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
    host, port = urlparse(server).netloc.split(":")
    for _ in range(20):
        connection = http.client.HTTPConnection(host, int(port))
        try:
            connection.request("POST", "/mcp", body=body, headers={
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream"})
            refused = connection.getresponse()
            refused.read()
            assert refused.status == 401
            connection.request("GET", "/.well-known/oauth-protected-resource")
            metadata = connection.getresponse()
            assert metadata.status == 200 and json.load(metadata)["resource"] == f"{server}/mcp"
        finally:
            connection.close()
