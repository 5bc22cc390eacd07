"""One server for a province's communes: every ledger of one PostgreSQL database, by schema.

``ansinh serve --db postgresql://.../province --ledgers all`` serves each
commune's ledger (one schema each, :mod:`ledger.storage.schemas`) under
``/c/{schema}/`` with the same API and pages as a server of one commune: each
has its own :class:`~api.service.LedgerService` (writer, Merkle log, read
models, checkpoint signing) and its own app (:func:`api.http.app.create_app`),
mounted here. They share one pool of connections
(:mod:`ledger.storage.pool`), so a hundred communes hold no more connections
than ``--pool-size``, and one signature helper process. ``/`` lists the
communes; ``/healthz`` says how each is doing.

A commune's keys are files in ``KEYS_ROOT/{schema}/`` (the directory
``ansinh init --keys`` wrote): ``notary.key`` (checkpoints are signed), ``vault.key``
(personal data is accepted and read), ``intake.key`` (the lookup page takes
confirmations); each is optional, as for one commune.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http.app import answer_errors, create_app, error_response
from api.http.forwarded import PublicAddress
from api.http.limits import Limits
from api.pages.cache import drop_cache
from api.pages.views import render
from api.service import LedgerService
from ledger.errors import WrongNotaryKey
from ledger.formats.keys import KeyPair, read_key_file
from ledger.storage import pool
from ledger.storage.schemas import check_schema, with_schema
from ledger.storage.settings import eventsourcing_env
from ledger.tlog.policy import Policy

log = logging.getLogger("ansinh.communes")
PREFIX = "/c"
DEFAULT_POOL = 20
DEFAULT_WARM = 20  # communes whose read models stay in memory (about 60 MB each at 40,000 entries)


@dataclass(frozen=True)
class Served:
    """One commune's ledger as the server holds it."""

    schema: str
    service: LedgerService
    app: FastAPI
    keys: tuple[str, ...]  # the key files found: notary, vault, intake

    @property
    def path(self) -> str:
        return f"{PREFIX}/{self.schema}"


def _key(folder: Path | None, name: str) -> Path | None:
    path = folder / name if folder is not None else None
    return path if path is not None and path.is_file() else None


class Communes:
    """Every commune ledger one server serves, opened together, closed together."""

    def __init__(
        self,
        db: str,
        schemas: list[str],
        *,
        keys_root: Path | None = None,
        limits: Limits | None = None,
        public: PublicAddress | None = None,
        checkpoint_every_s: float = 2.0,
        pool_size: int = DEFAULT_POOL,
        policy: Policy | None = None,
        load_key: Callable[[Path], KeyPair] = read_key_file,
        warm: int = DEFAULT_WARM,
    ) -> None:
        """``load_key``: reads a key file (the CLI's asks for a passphrase if one is needed).

        ``warm``: how many communes, the most recently asked for, keep their
        read models' snapshots and rendered pages in memory; the others' are
        let go, and loaded again from their tables when next asked for.
        """
        self.db = db
        self.warm = warm
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._recent_lock = threading.Lock()
        self.load_key = load_key
        env = eventsourcing_env(db)
        self.key = pool.pool_key(env)
        pool.share_connections(env, self.key, pool_size)
        self.served: dict[str, Served] = {}
        limits = limits or Limits()
        public = public or PublicAddress()
        try:
            for n, schema in enumerate(schemas):
                check_schema(schema, "ledgers")
                folder = keys_root / schema if keys_root is not None else None
                self.served[schema] = self._open(
                    schema, folder, limits, public, checkpoint_every_s, policy, gc=n == 0
                )
        except BaseException:
            self.close()
            raise

    def _open(
        self,
        schema: str,
        folder: Path | None,
        limits: Limits,
        public: PublicAddress,
        checkpoint_every_s: float,
        policy: Policy | None,
        *,
        gc: bool,
    ) -> Served:
        notary_path, intake_path = _key(folder, "notary.key"), _key(folder, "intake.key")
        vault_path = _key(folder, "vault.key")
        notary = self.load_key(notary_path) if notary_path is not None else None
        service = LedgerService(
            with_schema(self.db, schema),
            vault_key=vault_path,
            notary=notary,
            checkpoint_every_s=checkpoint_every_s,
            manage_gc=gc,  # the collector is the process's: one commune tends it
        )
        try:
            charter = service.ledger.charter()  # NOT_OPENED: the schema holds no ledger
            if notary is not None and notary.public_key_b64 != charter.notary_public_key:
                raise WrongNotaryKey(
                    f"ledgers: {notary_path} is not the notary key of {schema}",
                    field="notary_key",
                )
        except BaseException:
            service.ledger.close()
            raise
        service.policy = policy
        intake = self.load_key(intake_path) if intake_path is not None else None
        url = public.url and f"{public.url}{PREFIX}/{schema}"
        app = create_app(service, limits, dataclasses.replace(public, url=url), intake)
        found = zip(
            ("notary", "vault", "intake"), (notary_path, vault_path, intake_path), strict=True
        )
        return Served(schema, service, app, tuple(name for name, path in found if path))

    def start(self) -> None:
        for served in self.served.values():
            served.service.start()

    def close(self) -> None:
        for served in self.served.values():
            served.service.close()
            served.service.ledger.close()
        pool.close_shared(self.key)

    def asked(self, schema: str) -> None:
        """A request for ``schema`` came: it is warm; the coldest beyond ``warm`` let go."""
        with self._recent_lock:
            self._recent[schema] = None
            self._recent.move_to_end(schema)
            cold = []
            while len(self._recent) > self.warm:
                cold.append(self._recent.popitem(last=False)[0])
        for name in cold:
            service = self.served[name].service
            service.forget_reads()
            drop_cache(service)

    def listing(self) -> list[dict[str, Any]]:
        """Each commune served: its schema, address, ledger id, name and log size."""
        found = []
        for served in self.served.values():
            charter = served.service.ledger.charter()
            found.append(
                {
                    "schema": served.schema,
                    "path": served.path + "/",
                    "ledger_id": charter.ledger_id,
                    "name": charter.name,
                    "log_size": served.service.size(),
                }
            )
        return found


class _Dispatch:
    """The ASGI app of ``/c/{schema}``: the commune's own app, or 404 naming it."""

    def __init__(self, communes: Communes) -> None:
        self.communes = communes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        schema = scope.get("path_params", {}).get("schema", "")
        served = self.communes.served.get(schema)
        if served is None:
            if scope["type"] == "http":
                answer = error_response(
                    404, "NOT_FOUND", f"ledgers: no commune {schema!r} is served here"
                )
                await answer(scope, receive, send)
            return
        self.communes.asked(schema)
        await served.app(scope, receive, send)


def create_communes_app(communes: Communes) -> ASGIApp:
    """The province's server: ``/`` the communes, ``/c/{schema}/...`` each one's API and pages."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        communes.start()
        try:
            yield
        finally:
            communes.close()

    app = FastAPI(
        title="ansinh: a province's communes",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # each commune's API is documented at /c/{schema}/docs
    )
    answer_errors(app)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, lang: str = "vi") -> HTMLResponse:
        """The communes served, with links to each one's lists and console."""
        root = str(request.scope.get("root_path", "")).rstrip("/")
        page = render(
            "communes.html",
            lang="en" if lang == "en" else "vi",
            root=root,
            found=communes.listing(),
        )
        return HTMLResponse(page)

    @app.get("/v1/ledgers")
    def ledgers() -> dict[str, Any]:
        """The communes served (schema, address, ledger id, name, log size)."""
        return {"ledgers": communes.listing()}

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """Alive, with each commune's log size and how far its read models are behind."""
        each, worst = {}, "ok"
        for schema, served in communes.served.items():
            position, size = served.service.lag()
            failure = served.service.guard.failure
            status = "ok" if failure is None else "log_tampered"
            worst = status if status != "ok" else worst
            each[schema] = {"status": status, "log_size": size, "behind": size - position}
        return JSONResponse({"status": worst, "ledgers": each})

    app.router.routes.append(Mount(PREFIX + "/{schema}", app=_Dispatch(communes)))
    return app
