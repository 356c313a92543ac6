"""Figures into Markdown files, between <!-- NAME:start --> and <!-- NAME:end --> markers."""

import os
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


def busy_machine(figures="the ratios"):
    """The load while measuring: on a shared machine, other work inflates the heavier pages'
    ratios (a bare view finishes within one time slice; a 20 ms page is preempted) and the
    fault tests' recovery times."""
    load = os.getloadavg()[1]
    note = f"load average {load:.1f} over the last 5 minutes"
    if load > (os.cpu_count() or 1):
        note += f" (more than the cores: other work shared them, so {figures} read high)"
    return note
