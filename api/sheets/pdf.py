"""A report as a PDF: its workbook (:mod:`api.sheets.report`) printed by LibreOffice.

Printing the very workbook that is handed in, rather than a second layout
drawn for a browser, keeps one form: the same title block, tables, totals
and signatures, on the same A4 pages with the same page breaks, whichever
file the accountant takes. LibreOffice runs headless and offline, in a
profile of its own made for each print (so prints never share state and a
server's user needs no home directory); a machine without it refuses the
PDF with ``PRINT_UNAVAILABLE`` and says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ledger.errors import LedgerError

TIMEOUT_S = 120
# One print at a time in a process: a burst of requests for PDFs (the reconciliation is
# public) waits its turn instead of starting an office suite for each.
_PRINTING = threading.BoundedSemaphore(1)


class PrintUnavailable(LedgerError):
    """This machine cannot print a PDF (LibreOffice is missing or failed)."""

    code = "PRINT_UNAVAILABLE"
    status = 503


# The profile's locale decides how numbers print: 1.624.000 in Vietnamese, 1,624,000 in
# English (the workbook's "#,##0" takes the separators of the locale that shows it).
LOCALES = {"vi": "vi-VN", "en": "en-US"}
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale"
 oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def to_pdf(xlsx: bytes, name: str = "report", lang: str = "vi") -> bytes:
    """The workbook ``xlsx`` printed to PDF, as its page setup says (A4, fitted to width),
    its numbers as ``lang`` writes them."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise PrintUnavailable(
            "format: a PDF is printed by LibreOffice, which is not installed here "
            "(Debian: apt-get install libreoffice-calc-nogui); ask for xlsx instead",
            field="format",
        )
    with _PRINTING, tempfile.TemporaryDirectory(prefix="ansinh-print-") as tmp:
        folder = Path(tmp)
        source = folder / f"{name}.xlsx"
        source.write_bytes(xlsx)
        user = folder / "profile" / "user"
        user.mkdir(parents=True)
        locale = LOCALES.get(lang, LOCALES["vi"])
        (user / "registrymodifications.xcu").write_text(_SETTINGS.format(locale=locale))
        command = [
            office,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PrintUnavailable(f"format: LibreOffice could not print the PDF ({exc})") from exc
        printed = folder / f"{name}.pdf"
        if not printed.is_file():
            raise PrintUnavailable("format: LibreOffice printed no PDF", field="format")
        return printed.read_bytes()
