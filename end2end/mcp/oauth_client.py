"""The official MCP Python SDK's own OAuth client (`OAuthClientProvider`: discovery from the
401, dynamic client registration, PKCE S256, the code exchange) against Tasko's /mcp.

`connect(server, consent, work)` runs it. `consent` is the person in the loop: given the
authorization URL the SDK would open in a browser, it answers with the URL the browser was
sent back to (the client's redirect URI with the code, or with `error=access_denied`).
`test_mcp_oauth.py` answers through the consent page's API; run as a script, the consent
comes from whoever reads stdout and writes stdin, which is how the Playwright spec
`connect.spec.ts` approves in Chromium:

    python oauth_client.py <server>   prints `AUTHORIZE <url>`, reads the redirect URL as
                                      one line, then adds a todo through /mcp and prints
                                      `RESULT <json>` (the tool names and the added todo).
"""

import asyncio
import json
import sys
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlparse

from pydantic import AnyUrl

from mcp import ClientSession
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

CLIENT_NAME = "Python SDK agent"
# Nothing listens here: the consent answers it (the SDK only reads the URL it is given).
REDIRECT_URI = "http://127.0.0.1:33419/callback"

Consent = Callable[[str], Awaitable[str]]


class MemoryStorage:
    """Where the SDK keeps its registration and tokens (for this run only)."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken | None) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull | None) -> None:
        self.client_info = client_info


async def connect(server: str, consent: Consent, work, storage: MemoryStorage | None = None):
    """Signs in with the SDK's OAuth flow, then runs `work(session)`; its answer."""
    storage = storage or MemoryStorage()
    back: dict[str, str] = {}

    async def redirect_handler(authorization_url: str) -> None:
        back["url"] = await consent(authorization_url)

    async def callback_handler() -> AuthorizationCodeResult:
        params = parse_qs(urlparse(back.pop("url")).query)
        if "error" in params:
            raise PermissionError(f"the authorization was refused: {params['error'][0]}")
        return AuthorizationCodeResult(
            code=params["code"][0],
            state=params["state"][0],
            iss=params["iss"][0] if "iss" in params else None,
        )

    provider = OAuthClientProvider(
        server_url=f"{server}/mcp",
        # No scope: the SDK asks for what /mcp's 401 or its metadata names (MCP's rule).
        client_metadata=OAuthClientMetadata(
            client_name=CLIENT_NAME,
            redirect_uris=[AnyUrl(REDIRECT_URI)],
        ),
        storage=storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )
    async with create_mcp_http_client(auth=provider) as http:
        async with streamable_http_client(f"{server}/mcp", http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                initialized = await session.initialize()
                assert initialized.server_info.name == "tasko"
                return await work(session)


async def add_a_todo(session: ClientSession) -> dict:
    """What the script does once signed in: the tools it sees, and one todo it adds."""
    tools = sorted(tool.name for tool in (await session.list_tools()).tools)
    added = await session.call_tool("addTodo", {"title": "Sow the beans"})
    assert not added.is_error, added
    return {"tools": tools, "todo": added.structured_content["todos"][0]}


async def consent_over_stdio(authorization_url: str) -> str:
    print(f"AUTHORIZE {authorization_url}", flush=True)
    line = await asyncio.to_thread(sys.stdin.readline)
    return line.strip()


def main() -> None:
    result = asyncio.run(connect(sys.argv[1], consent_over_stdio, add_a_todo))
    print(f"RESULT {json.dumps(result)}", flush=True)


if __name__ == "__main__":
    main()
