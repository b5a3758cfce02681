"""A Web Push service stand-in (RFC 8030) for the tests: it plays the push service and the
browser behind it. Each subscriber it creates has its own P-256 key pair and auth secret
(what a browser makes), and an endpoint on this server. A message POSTed to that endpoint is
checked as a push service checks it (RFC 8292 VAPID: the JWT's signature with the public key
given when the subscriber was made, `aud` = this endpoint's origin, `exp` in the future and
at most 24 h away, `sub` a mailto: or https: contact) and decrypted as the browser would
(RFC 8291 aes128gcm, by the `http_ece` library), then answered as scripted (201, 404, 410,
429, ...).

Control API (JSON), for the test that runs it:
  POST /subscribers {"vapidPublicKey": "<base64url>", "answers": [201, 410, ...]}
      -> {"id", "subscription": PushSubscription.toJSON()}; each message takes the next
         answer, the last one repeating.
  GET  /subscribers/<id>/messages -> {"messages": [decrypted JSON], "rejected": [reasons]}

Run: python standin.py; it prints "READY <port>" once listening on 127.0.0.1.
"""

import base64
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_BODY = 8192
DAY = 24 * 60 * 60

lock = threading.Lock()
subscribers = {}


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Rejected(Exception):
    """A message a push service would refuse: (status, reason)."""


def check_vapid(authorization: str, vapid_key: str, origin: str) -> None:
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(401, f"Authorization scheme {scheme!r} is not vapid")
    fields = dict(
        part.strip().split("=", 1) for part in params.split(",") if "=" in part
    )
    token, key = fields.get("t", ""), fields.get("k", "")
    if key != vapid_key:
        raise Rejected(401, "k is not the application server key of the subscription")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(b64url_decode(header_b64))
        claims = json.loads(b64url_decode(claims_b64))
        signature = b64url_decode(signature_b64)
    except ValueError as e:
        raise Rejected(401, f"the token is not a JWT: {e}") from e
    if header.get("alg") != "ES256":
        raise Rejected(401, f"alg is {header.get('alg')!r}, not ES256")
    if len(signature) != 64:
        raise Rejected(401, "the signature is not 64 bytes (r || s)")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), b64url_decode(key)
    )
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(
            der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature as e:
        raise Rejected(401, "the signature does not verify with k") from e
    if claims.get("aud") != origin:
        raise Rejected(401, f"aud is {claims.get('aud')!r}, not {origin!r}")
    exp, now = claims.get("exp"), time.time()
    if not isinstance(exp, int) or exp <= now:
        raise Rejected(401, f"exp {exp!r} has passed or is not a number")
    if exp > now + DAY:
        raise Rejected(401, f"exp {exp} is more than 24 hours away")
    sub = claims.get("sub", "")
    if not (isinstance(sub, str) and (sub.startswith("mailto:") or sub.startswith("https:"))):
        raise Rejected(401, f"sub {sub!r} is not a mailto: or https: contact")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status: int, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if status in (301, 302, 307, 308):
            # A redirect the server must not follow: to a place it may not reach.
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Rejected(413, f"the body is {length} bytes")
        return self.rfile.read(length)

    def do_POST(self):
        if self.path == "/subscribers":
            self.new_subscriber()
        elif self.path.startswith("/push/"):
            self.push(self.path[len("/push/"):])
        else:
            self.answer(404)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "subscribers" and parts[2] == "messages":
            with lock:
                subscriber = subscribers.get(parts[1])
                if subscriber is None:
                    return self.answer(404)
                body = {
                    "messages": list(subscriber["messages"]),
                    "rejected": list(subscriber["rejected"]),
                }
            return self.answer(200, body)
        self.answer(404)

    def new_subscriber(self):
        request = json.loads(self.read_body())
        private_key = ec.generate_private_key(ec.SECP256R1())
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        auth = secrets.token_bytes(16)
        subscriber_id = secrets.token_hex(8)
        with lock:
            subscribers[subscriber_id] = {
                "private_key": private_key,
                "auth": auth,
                "vapid_key": request["vapidPublicKey"],
                "answers": list(request.get("answers") or [201]),
                "messages": [],
                "rejected": [],
            }
        host, port = self.server.server_address[:2]
        self.answer(
            201,
            {
                "id": subscriber_id,
                "subscription": {
                    "endpoint": f"http://{host}:{port}/push/{subscriber_id}",
                    "expirationTime": None,
                    "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
                },
            },
        )

    def push(self, subscriber_id: str):
        with lock:
            subscriber = subscribers.get(subscriber_id)
        if subscriber is None:
            return self.answer(404)
        host, port = self.server.server_address[:2]
        try:
            body = self.read_body()
            check_vapid(
                self.headers.get("Authorization", ""),
                subscriber["vapid_key"],
                f"http://{host}:{port}",
            )
            if self.headers.get("Content-Encoding") != "aes128gcm":
                raise Rejected(415, "Content-Encoding is not aes128gcm")
            if not (self.headers.get("TTL") or "").isdigit():
                raise Rejected(400, "no TTL header")
            urgency = self.headers.get("Urgency", "normal")
            if urgency not in ("very-low", "low", "normal", "high"):
                raise Rejected(400, f"Urgency {urgency!r} is not one of RFC 8030's")
            try:
                plain = http_ece.decrypt(
                    body,
                    private_key=subscriber["private_key"],
                    auth_secret=subscriber["auth"],
                    version="aes128gcm",
                )
            except Exception as e:  # http_ece raises its own and cryptography's errors
                raise Rejected(400, f"the body does not decrypt: {e!r}") from e
            payload = json.loads(plain)
        except Rejected as e:
            status, reason = e.args
            with lock:
                subscriber["rejected"].append(reason)
            return self.answer(status, {"reason": reason})
        with lock:
            answers = subscriber["answers"]
            status = answers.pop(0) if len(answers) > 1 else answers[0]
            if 200 <= status < 300:
                subscriber["messages"].append(payload)
        self.answer(status)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
