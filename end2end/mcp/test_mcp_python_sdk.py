"""The official MCP Python SDK (`mcp` on PyPI), a client nobody here wrote, connects to
Tasko's /mcp over Streamable HTTP with a personal access token as a header, lists the
tools and calls getTodos, addTodo, completeTodo and deleteTodo, reading the structured
results; what it changed is in the user's activity log under the token's name."""

import asyncio
import json
import urllib.request

from mcp import ClientSession
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def call(url: str, method: str, token: str, body: dict | None = None):
    """A REST call with a Bearer token; the JSON answer (None for an empty one)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def mint(server: str, session: str, name: str, access: str) -> str:
    created = call(f"{server}/api/tokens", "POST", session, {"name": name, "access": access})
    return created["token"]


async def with_client(server: str, token: str, work):
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) as http:
        async with streamable_http_client(f"{server}/mcp", http_client=http) as streams:
            read, write = streams[0], streams[1]
            async with ClientSession(read, write) as mcp:
                initialized = await mcp.initialize()
                assert initialized.server_info.name == "tasko"
                return await work(mcp)


def test_the_python_sdk_lists_and_calls_the_tools_with_a_personal_access_token(server, session):
    token = mint(server, session, "Python SDK", "write")

    async def work(mcp: ClientSession):
        tools = {tool.name: tool for tool in (await mcp.list_tools()).tools}
        for name in ("getTodos", "addTodo", "completeTodo", "deleteTodo"):
            assert name in tools, sorted(tools)
        assert tools["getTodos"].annotations.read_only_hint is True
        assert tools["deleteTodo"].annotations.destructive_hint is True
        assert tools["addTodo"].output_schema["type"] == "object"

        added = await mcp.call_tool("addTodo", {"title": "Water the ferns", "dateDue": "2031-05-01"})
        assert not added.is_error, added
        todo = added.structured_content["todos"][0]
        assert todo["title"] == "Water the ferns" and todo["dateDue"] == "2031-05-01"
        assert "Water the ferns" in added.content[0].text

        listed = await mcp.call_tool("getTodos", {"status": "open"})
        assert [t["id"] for t in listed.structured_content["todos"]] == [todo["id"]]

        done = await mcp.call_tool("completeTodo", {"todoId": todo["id"]})
        assert done.structured_content["todos"][0]["completed"] is True

        deleted = await mcp.call_tool("deleteTodo", {"todoId": todo["id"]})
        assert deleted.structured_content["deletedTodoId"] == todo["id"]
        after = await mcp.call_tool("getTodos", {})
        assert after.structured_content["todos"] == []
        return todo["id"]

    todo_id = asyncio.run(with_client(server, token, work))
    # The REST API agrees, the activity log names the client, and the delete is restorable.
    assert call(f"{server}/api/todos", "GET", session) == []
    activity = call(f"{server}/api/activity", "GET", session)["activity"]
    assert [a["actor"] for a in activity] == [{"kind": "mcp", "name": "Python SDK"}] * 3
    restored = call(f"{server}/api/todos/{todo_id}/restore", "POST", session)
    assert restored["title"] == "Water the ferns"


def test_a_read_only_token_lists_only_reads_and_its_writes_are_refused(server, session):
    token = mint(server, session, "Reader", "read")

    async def work(mcp: ClientSession):
        names = [tool.name for tool in (await mcp.list_tools()).tools]
        assert "getTodos" in names and "addTodo" not in names
        try:
            result = await mcp.call_tool("addTodo", {"title": "Sneaky"})
        except Exception as refused:  # the SDK raises the server's JSON-RPC error
            assert "read-only" in str(refused), refused
        else:
            raise AssertionError(f"a read-only token wrote: {result}")

    asyncio.run(with_client(server, token, work))
    assert call(f"{server}/api/todos", "GET", session) == []
