"""The ledger's aggregates: each event carries exactly one verified envelope.

An event's meaning is read from its signed payload (:func:`read_statement`);
the event itself adds only the entry index the statement was recorded at.
"""
