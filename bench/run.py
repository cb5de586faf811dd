"""Run every benchmark section (bench/bench_*.py) and print its tables.

Each module defines ``tables()``, returning a list of ``(title, header, rows)`` where ``header``
and each row are sequences of cell strings. Usage: ``python bench/run.py [name ...]`` where a name
selects modules whose file name contains it.
"""

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def print_table(title, header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
    print(line)


def load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    wanted = argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and not any(w in path.stem for w in wanted):
            continue
        for title, header, rows in load(path).tables():
            print_table(title, header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
