"""moto's server with one request at a time.

moto checks a DynamoDB condition and then writes, with no lock between the two, on a
threaded server: two conditional writes racing through it can both pass, which real DynamoDB
never allows. The quota and uniqueness tests race such writes on purpose, so under a loaded
machine they saw a quota overrun that exists only in the stand-in. Connections are still served
concurrently (keep-alive, slow clients); only the handling of a request is serialized.

Usage: moto_serial.py HOST PORT
"""

import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

_lock = threading.Lock()


def serialized(app):
    def handle(environ, start_response):
        with _lock:
            # Bodies are read and built whole inside the lock.
            return list(app(environ, start_response))

    return handle


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    run_simple(
        host,
        port,
        serialized(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
