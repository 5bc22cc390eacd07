"""The demo's later years (2024-2025): one module per procedure, each a function the build calls."""
