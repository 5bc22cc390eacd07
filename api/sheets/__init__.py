"""Sheets to print: the monthly payroll sheet (danh sách chi trả) a commune cashier takes
out, has recipients sign, and brings back.

:mod:`~api.sheets.payroll` builds the sheet from the payroll report,
:mod:`~api.sheets.xlsx` lays it out as a workbook to print,
:mod:`~api.sheets.words` writes its total in words, and
:mod:`~api.sheets.columns` spells its headings (read back by the payroll import).
The browser draws the same sheet with ``api/officer/static/js/payroll-sheet.js``.
"""
