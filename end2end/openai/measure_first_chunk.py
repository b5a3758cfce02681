"""Time to first chunk added by Tasko on top of the model server's own, measured from outside.

Starts the Chat Completions stand-in and a Tasko server (AGENT=openai, each its own process),
then times, N times each and alternating, the first content chunk of the stand-in's `stream`
scenario asked for directly (POST /v1/chat/completions) and through Tasko (POST /api/chat, to
the first `chunk` event). The difference is what Tasko adds: token check, rate limit, the
turn's lease, saving the user's message, building the request, relaying the event.

    TASKO_SERVER_BIN=target/release/tasko-server \\
    TASKO_OPENAI_STANDIN_BIN=target/debug/examples/openai_standin \\
        .venv/bin/python end2end/openai/measure_first_chunk.py [N]
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import httpx
from botocore import UNSIGNED
from botocore.config import Config

PASSWORD = "Corr3ct-Horse!"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_until(response, marker):
    """Reads the stream up to the first line holding `marker`, then the rest of it."""
    lines = response.iter_lines()
    for line in lines:
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} in the stream")


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    standin = subprocess.Popen([os.environ["TASKO_OPENAI_STANDIN_BIN"]], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PORT": "0"})
    model_url = standin.stdout.readline().split(" ", 1)[1].strip()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([os.environ["TASKO_SERVER_BIN"]], env={
            **os.environ, "PORT": str(port), "DATA_DIR": data, "LOG": "warn",
            "AGENT": "openai", "OPENAI_BASE_URL": model_url, "OPENAI_MODEL": "stand-in",
            "CHAT_TURNS_PER_MINUTE": "10000"})
        base = f"http://127.0.0.1:{port}"
        try:
            client = httpx.Client(timeout=10)
            for _ in range(200):
                try:
                    client.get(f"{base}/config.json")
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=f"{base}/idp",
                               config=Config(signature_version=UNSIGNED))
            client_id = client.get(f"{base}/config.json").json()["cognito"]["clientId"]
            idp.sign_up(ClientId=client_id, Username="measure@example.com", Password=PASSWORD)
            token = idp.initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "measure@example.com", "PASSWORD": PASSWORD},
            )["AuthenticationResult"]["IdToken"]
            direct, through = [], []
            body = {"model": "stand-in", "stream": True,
                    "messages": [{"role": "user", "content": "stream"}]}
            for _ in range(rounds):
                started = time.perf_counter()
                with client.stream("POST", f"{model_url}/chat/completions", json=body) as r:
                    rest = read_until(r, '"content":"Hello ')
                    direct.append(time.perf_counter() - started)
                    for _ in rest:
                        pass
                started = time.perf_counter()
                with client.stream("POST", f"{base}/api/chat", json={"message": "stream"},
                                   headers={"Authorization": f"Bearer {token}"}) as r:
                    assert r.status_code == 200, r.read()
                    rest = read_until(r, "event: chunk")
                    through.append(time.perf_counter() - started)
                    for _ in rest:
                        pass
            ms = lambda xs, q: statistics.quantiles(xs, n=100)[q - 1] * 1000
            print(f"{rounds} turns each; time to first chunk in ms (p50 / p90 / p99):")
            print(f"  stand-in directly: {ms(direct, 50):6.2f} / {ms(direct, 90):6.2f} / {ms(direct, 99):6.2f}")
            print(f"  through Tasko:     {ms(through, 50):6.2f} / {ms(through, 90):6.2f} / {ms(through, 99):6.2f}")
            print(f"  added by Tasko:    {ms(through, 50) - ms(direct, 50):6.2f} (p50)")
        finally:
            server.kill()
            standin.kill()


if __name__ == "__main__":
    main()
