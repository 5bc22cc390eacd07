"""``ansinh bench province``: a province's communes writing to one PostgreSQL."""
