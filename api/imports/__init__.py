"""Commune spreadsheets (XLSX, CSV) turned into statements to sign, with per-row problems.

:func:`api.imports.preview.parse` reads a list (households, members,
beneficiaries, a filled-in payroll) against the ledger as of now; nothing
is recorded: the officer signs the statements and submits them as one
batch. :mod:`api.imports.templates` makes the blank lists.
"""
