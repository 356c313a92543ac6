"""Figures into Markdown files, between <!-- NAME:start --> and <!-- NAME:end --> markers."""

from pathlib import Path


def markers(name):
    return f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"


def block(path, name):
    """The marked block of the file with its markers, or "" when it has none."""
    path = Path(path)
    start, end = markers(name)
    text = path.read_text() if path.exists() else ""
    if start not in text:
        return ""
    return start + text.split(start, 1)[1].split(end, 1)[0] + end


def replace_block(path, name, body):
    """Put `body` between the file's markers for `name` (added at its end when missing)."""
    path = Path(path)
    start, end = markers(name)
    text = path.read_text() if path.exists() else ""
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
    else:
        before, after = text.rstrip("\n") + "\n\n", "\n"
    path.write_text(f"{before}{start}{body.strip()}\n{end}{after}")
