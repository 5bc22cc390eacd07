"""The officer console (``/officer``): forms, inbox, imports and the payroll, in the browser.

Every statement is signed in the officer's own browser with their own key
(WebCrypto Ed25519); the server serves the page and its scripts
(``/officer/static``, vendored, nothing from elsewhere) and reads and checks
what the page asks, as for any other client.
"""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
