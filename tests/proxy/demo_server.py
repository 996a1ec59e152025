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
def malformed() -> str:
    """Write a line that is not JSON-RPC to stdout, then answer normally."""
    sys.stdout.write("this is not json\n")
    sys.stdout.flush()
    return "ok"


if __name__ == "__main__":
    app.run()
