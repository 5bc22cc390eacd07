"""``ansinh bench``: speed measured side by side in one run."""
