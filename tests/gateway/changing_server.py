"""A real MCP server whose tool descriptions come from a file (a server that changes under its users)."""

import json
import os
import sys

from mcp.server.mcpserver import MCPServer

spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
app = MCPServer(os.environ.get("SERVER_NAME", "changing"))



def make(name: str):
    def tool(text: str) -> str:
        return f"{name}: {text}"
    return tool


for name, description in spec.items():
    app.add_tool(make(name), name=name, description=description)

if __name__ == "__main__":
    app.run()
