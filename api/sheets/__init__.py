"""Sheets to print: the monthly payroll sheet (danh sách chi trả) a commune cashier takes
out, has recipients sign, and brings back; and every report laid out to hand in.

:mod:`~api.sheets.payroll` builds the sheet from the payroll report,
:mod:`~api.sheets.xlsx` lays it out as a workbook to print,
:mod:`~api.sheets.words` writes its total in words, and
:mod:`~api.sheets.columns` spells its headings (read back by the payroll import).
The browser draws the same sheet with ``api/officer/static/js/payroll-sheet.js``.

:mod:`~api.sheets.printout` lays out a report (reconciliation, lists, payroll) as a
commune form, :mod:`~api.sheets.report` draws it as a workbook, and
:mod:`~api.sheets.pdf` prints that workbook to PDF.
"""
