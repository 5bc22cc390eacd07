"""Running the console's crypto modules (``api/officer/static/js``) in the test's page.

:func:`run` evaluates an async function body in the page with every module
imported under its name (``bytes``, ``jcs``, ``keys``, ``dsse``, ``vault``)
and the test's ``arg``; what it returns comes back as JSON values. Values
that must keep their exact JSON form (any object key, any float) travel as
JSON text and are parsed in the page.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import Live

MODULES = ("bytes", "jcs", "keys", "dsse", "vault")

_PRELUDE = f"""
const names = {list(MODULES)};
const loaded = await Promise.all(names.map((n) => import(`/officer/static/js/${{n}}.js`)));
const [bytes, jcs, keys, dsse, vault] = loaded;
"""


def open_console(live: Live, page: Page) -> Page:
    """The page on the live server's origin (a secure context), ready to import modules."""
    page.goto(f"{live.url}/lists")
    return page


def run(page: Page, body: str, arg: Any = None) -> Any:
    """``body`` run as ``async (arg) => { ... }`` with the modules imported."""
    return page.evaluate(f"async (arg) => {{ {_PRELUDE}\n{body}\n}}", arg)
