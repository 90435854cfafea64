"""The command line run in-process, as ``python cli.py`` runs it: its exit code and what it printed."""

from __future__ import annotations

import getpass
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def _piped_getpass(prompt: str = "Password: ") -> str:
    """getpass without a terminal, as Python's own fallback: the prompt on stderr, the line read
    from stdin, EOFError once stdin has ended."""
    sys.stderr.write(prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.removesuffix("\n")


def cli_runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliRun]:
    """``run(*args, stdin=None)``: ``main(args)`` from the checkout, as a user's shell starts it.

    Settings are read from the environment at each run (set them with ``monkeypatch.setenv``);
    monkeypatch undoes the folder, stdin and getpass after the test."""
    import cli

    monkeypatch.chdir(ROOT)  # the .env file the settings read, and relative paths, as in the subprocess
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)  # a French line, never a traceback
    monkeypatch.setattr(getpass, "getpass", _piped_getpass)  # never the test runner's terminal

    def run(*args: str, stdin: str | None = None) -> CliRun:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        capsys.readouterr()  # what came before is not this command's output
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run
