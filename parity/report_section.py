"""The generated part of a hand-edited Markdown file (PARITY.md, BENCHMARKS.md):
each harness owns the text between its two marker comments and leaves the
rest, including other harnesses' sections, alone."""
import os


def replace_section(path, text, begin, end, title=""):
    """Replaces the text between `begin` and `end` in `path`, or appends the
    marked section if the markers are missing (a new file starts with `title`)."""
    block = f"{begin}\n{text}\n{end}"
    old = open(path).read() if os.path.exists(path) else title
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        _, tail = rest.split(end, 1)
        new = head + block + tail
    else:
        new = old.rstrip() + ("\n\n" if old.strip() else "") + block + "\n"
    with open(path, "w") as f:
        f.write(new)
