#!/usr/bin/env python3
"""Whole-command wall times: the median of N runs of each command, run in turn.

    python scripts/command-times.py -n 10 -- 'ansinh --help' 'ansinh log --db x.db'

Each command is given as one string (split like a shell would, no
expansion). The runs are interleaved (every command once, N times over), so
a neighbour's load falls on all of them alike. A command that fails stops
the measurement. Prints one line per command: median, min and max seconds.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10, help="runs of each command (default 10)")
    parser.add_argument("commands", nargs="+", help="each command as one quoted string")
    args = parser.parse_args()
    commands = [shlex.split(c) for c in args.commands]
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(args.n):
        for command, spent in zip(commands, times, strict=True):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True)
            spent.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"{shlex.join(command)} failed:\n{done.stderr.decode(errors='replace')}")
    for command, spent in zip(commands, times, strict=True):
        print(
            f"{statistics.median(spent):.3f} s median of {len(spent)}"
            f" ({min(spent):.3f}-{max(spent):.3f})  {shlex.join(command)}"
        )


if __name__ == "__main__":
    main()
