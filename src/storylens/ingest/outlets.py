"""Outlet names for web domains: a built-in table that users can extend with their own file."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from storylens.errors import StorylensError


def parse_table(text: str, origin: str) -> dict[str, str]:
    """Parse 'domain<TAB>outlet' (or 'domain = outlet') lines; '#' starts a comment."""
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        sep = "\t" if "\t" in line else "="
        domain, _, name = line.partition(sep)
        if not name.strip():
            raise StorylensError(f"{origin}, line {number}: expected 'domain<TAB>outlet name'")
        table[domain.strip().lower().removeprefix("www.")] = name.strip()
    return table


@lru_cache(maxsize=1)
def builtin_table() -> dict[str, str]:
    """The built-in domain-to-outlet table."""
    text = resources.files("storylens").joinpath("data/outlets.tsv").read_text("utf-8")
    return parse_table(text, "built-in outlets table")


def load_table(extra: Path | None = None) -> dict[str, str]:
    """The built-in table, with a user's file (if any) taking precedence."""
    table = dict(builtin_table())
    if extra is not None:
        try:
            text = extra.read_text("utf-8")
        except OSError as exc:
            raise StorylensError(f"{extra}: cannot read the outlets file ({exc.strerror})") from exc
        table.update(parse_table(text, str(extra)))
    return table


def domain_of(url: str) -> str | None:
    """The host of a URL without 'www.', or None when it has none."""
    host = urlsplit(url).hostname
    return host.lower().removeprefix("www.") if host else None


def table_outlet(url: str, table: dict[str, str]) -> str | None:
    """The table's outlet for a URL's host or one of its parent domains, or None."""
    host = domain_of(url)
    if not host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = table.get(".".join(parts[i:]))
        if name:
            return name
    return None


def outlet_for_url(url: str, table: dict[str, str]) -> str | None:
    """The outlet for a URL: the table's entry for its host or a parent domain, else the host."""
    return table_outlet(url, table) or domain_of(url)


def canonical_outlet(name: str, url: str | None, table: dict[str, str]) -> str:
    """A given outlet name, expanded to the table's name when it abbreviates it ("NYT")."""
    known = table_outlet(url, table) if url else None
    return known if known and is_abbreviation(name, known) else name


def is_abbreviation(code: str, name: str) -> bool:
    """True for a short upper-case code whose letters run through the name in order."""
    code = code.strip()
    if not (1 < len(code) <= 5 and code.isalpha() and code.isupper()):
        return False
    letters = iter(name.removeprefix("The ").upper())
    return name.removeprefix("The ")[:1].upper() == code[0] and all(c in letters for c in code)
