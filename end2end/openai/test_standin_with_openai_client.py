"""The Chat Completions stand-in, read by the official `openai` Python client: if the client
parses what the stand-in streams (text deltas, tool-call fragments, finish reasons, usage,
errors), the stand-in speaks the real protocol, and so the server's tests against it mean
something."""

import json
import os
import subprocess

import openai
import pytest

TOOLS = [{
    "type": "function",
    "function": {
        "name": "addTodo",
        "description": "Add a todo.",
        "parameters": {"type": "object", "properties": {"title": {"type": "string"}},
                       "required": ["title"]},
    },
}]


@pytest.fixture(scope="module")
def client():
    binary = os.environ["TASKO_OPENAI_STANDIN_BIN"]
    process = subprocess.Popen([binary], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PORT": "0"})
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("listening "), line
        yield openai.OpenAI(base_url=line.split(" ", 1)[1], api_key="sk-test", max_retries=0)
    finally:
        process.kill()
        process.wait()


def stream(client, message, **extra):
    return client.chat.completions.create(
        model="stand-in", stream=True, stream_options={"include_usage": True}, tools=TOOLS,
        messages=[{"role": "system", "content": "Today is Thursday, 2026-11-26."},
                  {"role": "user", "content": message}], **extra)


def test_text_deltas_a_finish_reason_and_usage(client):
    chunks = list(stream(client, "stream"))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello from your model."
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage.prompt_tokens == 21
    assert chunks[-1].usage.completion_tokens == 4


def assemble(chunks):
    calls = {}
    for chunk in chunks:
        for choice in chunk.choices:
            for fragment in choice.delta.tool_calls or []:
                call = calls.setdefault(fragment.index, {"id": None, "name": "", "arguments": ""})
                call["id"] = fragment.id or call["id"]
                if fragment.function:
                    call["name"] += fragment.function.name or ""
                    call["arguments"] += fragment.function.arguments or ""
    return [calls[i] for i in sorted(calls)]


def test_a_tool_call_in_five_fragments(client):
    chunks = list(stream(client, "add split"))
    calls = assemble(chunks)
    assert calls == [{"id": "call_split", "name": "addTodo",
                      "arguments": '{"title": "Water the plants", "dateDue": "2026-12-01"}'}]
    assert json.loads(calls[0]["arguments"])["title"] == "Water the plants"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"


def test_two_parallel_tool_calls(client):
    calls = assemble(stream(client, "add two"))
    assert [c["id"] for c in calls] == ["call_a", "call_b"]
    assert [json.loads(c["arguments"])["title"] for c in calls] == ["Call mom", "Buy oat milk"]


def test_a_second_round_after_a_tool_result(client):
    answer = client.chat.completions.create(
        model="stand-in", stream=True, tools=TOOLS,
        messages=[{"role": "user", "content": "add split"},
                  {"role": "assistant", "content": None, "tool_calls": [
                      {"id": "call_split", "type": "function",
                       "function": {"name": "addTodo", "arguments": "{}"}}]},
                  {"role": "tool", "tool_call_id": "call_split", "content": "Added"}])
    assert "".join(c.choices[0].delta.content or "" for c in answer if c.choices) == "Added it."


@pytest.mark.parametrize("message,error", [
    ("throttle", openai.RateLimitError),
    ("fail", openai.InternalServerError),
    ("unauthorized", openai.AuthenticationError),
    ("no such model", openai.NotFoundError),
])
def test_errors_are_the_documented_ones(client, message, error):
    with pytest.raises(error) as raised:
        list(stream(client, message))
    if message == "throttle":
        assert raised.value.response.headers["retry-after"] == "7"


def test_a_cut_stream_ends_without_a_finish_reason(client):
    chunks = list(stream(client, "cut"))
    assert all(c.choices[0].finish_reason is None for c in chunks if c.choices)
