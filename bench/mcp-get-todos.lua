-- `make bench`: the MCP row. One tool call per request: getTodos through `/mcp` (JSON-RPC
-- over Streamable HTTP, stateless, so no initialize and no session), measured beside the
-- same list over REST (`GET /api/todos`) with the same personal access token (given with -H).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"getTodos","arguments":{}}}'
