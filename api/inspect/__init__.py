"""What an inspector asks of a ledger: a filtered log, what changed between two
checkpoints, evidence with proofs, and whether a printed list matches the log."""
