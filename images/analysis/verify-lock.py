#!/usr/bin/env python3
"""Check that this Python environment holds exactly the versions a lockfile pins.

Usage: verify-lock.py LOCKFILE [--strict]

The lockfile is pip-freeze format: `name==version` lines, `#` comments, blank lines.
Exit 1 when a pinned distribution is missing or has another version; with --strict,
also when a distribution is installed that the lockfile does not list.
"""
import re
import sys
from importlib import metadata


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path):
    pins = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
            if not match:
                sys.exit(f"{path}:{number}: not a 'name==version' line: {line!r}")
            pins[canonical(match.group(1))] = (match.group(1), match.group(2))
    return pins


def installed():
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonical(name), dist.version)
    return found


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    strict = "--strict" in argv[2:]
    pins, present = read_lock(argv[1]), installed()
    problems = []
    for key, (name, version) in sorted(pins.items()):
        have = present.get(key)
        if have is None:
            problems.append(f"missing: {name}=={version}")
        elif have != version:
            problems.append(f"version: {name}=={have} installed, lockfile pins {version}")
    extras = sorted(set(present) - set(pins))
    for key in extras:
        line = f"not in lockfile: {key}=={present[key]}"
        if strict:
            problems.append(line)
        else:
            print("warning: " + line, file=sys.stderr)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return 1
    print(f"environment matches {argv[1]} ({len(pins)} pinned distributions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
