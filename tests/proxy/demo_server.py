"""A small real MCP server for proxy tests, with tools that misbehave on purpose."""

import os
import sys
import time

from mcp.server.mcpserver import MCPServer

app = MCPServer("demo")


@app.tool()
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@app.tool()
def send_email(to: str, body: str) -> str:
    """Send an e-mail to a recipient."""
    return f"sent to {to}"


@app.tool()
def hang(seconds: float) -> str:
    """Sleep, then answer (a hung server)."""
    time.sleep(seconds)
    return "woke up"


@app.tool()
def crash() -> str:
    """Kill the server mid-call."""
    os._exit(3)


@app.tool()
def huge(size: int) -> str:
    """Return a very long text."""
    return "x" * size


@app.tool()
def login(api_key: str, pin: str) -> str:
    """Log in; a wrong key is refused with an error that repeats it (as careless servers do)."""
    raise ValueError(f"invalid api key {api_key} or pin {pin}")


@app.tool()
def pid() -> int:
    """This server's process id (to check that it was stopped)."""
    return os.getpid()


@app.tool()
def connect(port: int) -> str:
    """Open a TCP connection to a port on 127.0.0.1 (to check that a server has no network)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return "connected"
    except OSError as exc:
        return f"no connection: {exc}"


@app.tool()
def allocate(megabytes: int) -> str:
    """Hold that much memory for a moment (to check a memory limit)."""
    try:
        block = bytearray(megabytes * 1024 * 1024)
    except MemoryError:
        return "out of memory"
    return f"allocated {len(block) // (1024 * 1024)} MB"


@app.tool()
def malformed() -> str:
    """Write a line that is not JSON-RPC to stdout, then answer normally."""
    sys.stdout.write("this is not json\n")
    sys.stdout.flush()
    return "ok"


def serve_http() -> None:
    """Serve Streamable HTTP on a free loopback port, announced on stdout as "PORT <n>"."""
    import socket

    import anyio
    import uvicorn

    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # else ~40 ms per keep-alive request
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections made as soon as the port is announced wait in the backlog
    print(f"PORT {sock.getsockname()[1]}", flush=True)  # noqa: T201 - the test reads the port here
    config = uvicorn.Config(app.streamable_http_app(json_response="--json" in sys.argv), log_level="warning")
    anyio.run(uvicorn.Server(config).serve, [sock])


if __name__ == "__main__":
    if "--http" in sys.argv:
        serve_http()
    else:
        app.run()
        if "--ignore-eof" in sys.argv:  # a server that lingers after its input ends
            time.sleep(3600)
