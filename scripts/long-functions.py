#!/usr/bin/env python3
"""Lists Swift functions longer than a limit (default 60 lines), so reviews
can hold the training, experiment and command-line layers to it.

  python3 scripts/long-functions.py [--limit N] DIR_OR_FILE...

A function runs from its `func`/`init` line to the closing brace at the same
indentation; a one-line body counts as one line. Exit status 1 when any is
longer than the limit.
"""
import re
import sys
from pathlib import Path

def functions(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    decl = re.compile(r"^(\s*)(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|override|mutating|final|nonisolated|@discardableResult)\s+)*(?:func\s+\S+?|init[?!]?)\s*[(<]")
    for i, line in enumerate(lines):
        m = decl.match(line)
        if not m:
            continue
        indent = m.group(1)
        if line.rstrip().endswith("}") and line.count("{") == line.count("}"):
            continue
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(indent + "}") and not lines[j].startswith(indent + " "):
                yield i + 1, j - i + 1, line.strip()
                break

def main(argv):
    limit = 60
    if len(argv) > 1 and argv[0] == "--limit":
        limit = int(argv[1])
        argv = argv[2:]
    bad = 0
    for d in argv:
        root = Path(d)
        for p in [root] if root.is_file() else sorted(root.rglob("*.swift")):
            for start, n, text in functions(p):
                if n > limit:
                    bad += 1
                    print(f"{p}:{start}: {n} lines: {text[:80]}")
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
