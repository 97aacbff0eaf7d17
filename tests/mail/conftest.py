"""Fixtures: real aiosmtpd servers on 127.0.0.1 (plain, AUTH, STARTTLS) and a real store."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

from flows.form import Form, load_form
from storage import NominationStore
from tests.kit.mailkit import RecordingHandler, SmtpServer, StartSmtp, check_password, free_port


@pytest.fixture
def start_smtp() -> Iterator[StartSmtp]:
    """Starts aiosmtpd servers on 127.0.0.1 (stopped after the test).

    start_smtp(port=None, handler=None, client_tls=None, **aiosmtpd SMTP options)
    """
    servers: list[SmtpServer] = []

    def start(
        port: int | None = None,
        handler: RecordingHandler | None = None,
        client_tls: ssl.SSLContext | None = None,
        **smtp_options: Any,
    ) -> SmtpServer:
        handler = handler or RecordingHandler()
        port = port or free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp_options)
        controller.start()
        server = SmtpServer(controller, handler, port, client_tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def smtp_server(start_smtp: StartSmtp) -> SmtpServer:
    """Plain SMTP, no AUTH."""
    return start_smtp()


@pytest.fixture
def auth_smtp_server(start_smtp: StartSmtp) -> SmtpServer:
    """AUTH LOGIN/PLAIN required; without TLS, which is acceptable only on loopback."""
    return start_smtp(auth_required=True, auth_require_tls=False, authenticator=check_password)


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def starttls_smtp_server(start_smtp: StartSmtp, tls_ca: trustme.CA) -> SmtpServer:
    """STARTTLS required, with a certificate from a throwaway CA, and AUTH over it."""
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    tls_ca.configure_trust(client_tls)
    return start_smtp(
        client_tls=client_tls,
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        authenticator=check_password,
    )


@pytest.fixture(scope="session")
def form() -> Form:
    return load_form()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[NominationStore]:
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as opened:
        yield opened
