"""Commands loaded when they run: ``ansinh`` starts without importing every command's module.

A command's module may import the web stack, the spreadsheet reader or the
benchmarks; ``ansinh log`` needs none of them. :class:`LazyGroup` knows each
command by a line of a table (its name, where it lives, the first paragraph
of its help): ``ansinh --help`` lists the commands from the table, and a
command's module is imported only when that command is looked up to run (or
to print its own help). Looked up, it is the command the eager composition
made: the same options, help and behaviour.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Lazy:
    """Where a command lives (``module:attribute``: a function, or a typer app for a
    command group) and its help's first paragraph, as ``ansinh --help`` lists it."""

    target: str
    help: str

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


def build(name: str, target: Any) -> Any:
    """The click command typer makes of ``target`` under ``name`` in the ``ansinh`` group.

    As when composed eagerly with ``app.command(name)`` or ``app.add_typer``:
    the group's settings (plain help, no rich markup) are the command's.
    """
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    holder.callback()(_no_options)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    group = cast(TyperGroup, typer.main.get_command(holder))
    return group.commands[name]


def _no_options() -> None:
    """The holder group's callback: a group is built even for one command."""


class Commands(MutableMapping[str, Any]):
    """The group's commands by name, each built the first time it is looked up.

    Iterating gives the names only (in the table's order): listing commands
    and suggesting a close name to a typo import nothing.
    """

    def __init__(self, table: dict[str, Lazy]) -> None:
        self.table = table
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self.table:
                raise KeyError(name)
            self._built[name] = build(name, self.table[name].load())
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self._built  # asking imports nothing

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self._built if name not in self.table)

    def __len__(self) -> int:
        return len(self.table) + sum(1 for name in self._built if name not in self.table)


class LazyGroup(TyperGroup):
    """A typer group whose commands come from its :attr:`table`, loaded on use.

    A subclass names the table; commands registered with typer as well join it.
    """

    table: ClassVar[dict[str, Lazy]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        commands = Commands(self.table)
        commands.update(self.commands)
        self.commands = commands

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands and their short help, from the table: no command is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            known = self.table.get(name)
            command = (
                TyperCommand(name=name, help=known.help)
                if known is not None
                else self.commands[name]
            )
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
