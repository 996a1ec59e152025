"""`intentlens dashboard`: the gateway's live pages over any recording (a proxy's, or a gateway's)."""

from __future__ import annotations

import asyncio
import hmac
import secrets
from pathlib import Path
from typing import Annotated

import typer

from intentlens.attacks import ATTACKS
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import say, settings, user_errors
from intentlens.cli.gateway import listen
from intentlens.dashboard import Dashboard, Knowledge, Viewer
from intentlens.errors import DataFormatError
from intentlens.gateway import TokenBook
from intentlens.gateway._admin import Admin
from intentlens.proxy import _postgres, is_database_url, is_store, shown_url
from intentlens.proxy._store import open_untouched


def dashboard(
    source: Annotated[str, typer.Argument(metavar="DB", help="A recording: the proxy's SQLite file "
                                                            "(--record) or a gateway's store.")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8766,
    backend: Annotated[str, typer.Option(help="Backend for the 'what it could learn' audit.",
                                         envvar="INTENTLENS_BACKEND")] = DEFAULT_BACKEND,
) -> None:
    """Serve the dashboard for a recording on 127.0.0.1; sign in with the token it prints (or any of the
    recording's gateway tokens)."""
    import uvicorn
    from starlette.applications import Starlette

    db: Path | str = source if is_database_url(source) else Path(source)
    with user_errors():
        if isinstance(db, Path) and not db.exists():
            raise DataFormatError(db, None, "no such file")
        if isinstance(db, str):
            tables = _postgres.tables(db)  # an error here says why the database cannot be reached
            if not {"sessions", "tools", "calls"} <= tables:
                raise DataFormatError(shown_url(source), None, "the database holds no intentlens recording")
        elif not is_store(db):
            raise DataFormatError(db, None, "not an intentlens recording")
        sock = listen("127.0.0.1", port)
        store = open_untouched(db)
    secret = secrets.token_urlsafe(24)
    book = TokenBook(store)

    def authenticate(presented: str) -> Viewer | None:
        if hmac.compare_digest(presented.encode(), secret.encode()):
            return Viewer("local", None, ("admin",))  # whoever started this process on the machine
        token = book.verify(presented)
        if token is None:
            return None
        return Viewer(token.name, None if token.reaches_all else frozenset(token.servers), token.roles)

    knowledge = Knowledge(db, lambda: ATTACKS.build("intentminer", get_backend(backend, settings())))
    pages = Dashboard(db, store, authenticate, knowledge, admin=Admin(store))
    bound = sock.getsockname()[1]
    say(("intentlens dashboard", "bold"), f" on http://127.0.0.1:{bound}/ui ({shown_url(source)})")
    say("sign in with this token (valid while this process runs): ", (secret, "bold"))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=pages.routes()), log_level="warning",
                                           access_log=False))
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        store.close()
