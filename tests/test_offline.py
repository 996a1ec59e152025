"""Unit tests reach no remote host: the conftest refuses any connection outside loopback."""

import socket

import pytest


def test_a_remote_connection_is_refused_before_it_is_made() -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="only loopback"):
        sock.connect(("10.0.0.1", 443))


def test_loopback_stays_reachable() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
