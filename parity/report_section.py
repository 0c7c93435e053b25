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


def machine():
    """(CPU model name, core count) for a report's machine line."""
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return model, os.cpu_count()


def blas_info():
    """The BLAS and OpenMP libraries loaded in this process, with their thread counts."""
    try:
        import threadpoolctl
        info = threadpoolctl.threadpool_info()
        return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
                         f"threads={i.get('num_threads')}" for i in info) or "none loaded"
    except Exception as e:  # noqa: BLE001
        return f"threadpoolctl unavailable ({e})"
