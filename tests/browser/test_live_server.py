"""The browser tests' server itself: a browser that resets a connection while a static file is being
served must not leave the file open (its ResourceWarning is an error and failed an unrelated test)."""

import gc
import socket
import struct

import pytest

pytestmark = pytest.mark.browser


def test_a_connection_reset_while_a_static_file_is_served_leaves_no_file_open(live_server):
    port = int(live_server.rsplit(":", 1)[1])
    request = b"GET /static/favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for _ in range(200):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(request)
            assert s.recv(64).startswith(b"HTTP/1.1 200")
            # An abortive close (RST), as Chromium does when it cancels a favicon fetch.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    gc.collect()
