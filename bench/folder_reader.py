"""Read the hosts file and the other files of its folder as a busy machine does (nss-files
reads the hosts file on every name lookup), at a steady rate, then say how many reads
were made. Run as `python -m bench.folder_reader FOLDER RATE SECONDS`; it prints
"reading" once it has begun and the count of reads at the end."""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path


def files_to_read(folder: Path) -> list[Path]:
    """The hosts file first and every second read, as lookups make it; then the rest."""
    others = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "hosts")
    return [path for other in others for path in (folder / "hosts", other)] or [folder / "hosts"]


def read_at(paths: list[Path], rate: float, seconds: float) -> int:
    """Open, read and close one file every 1/rate s, on a fixed schedule so that a late
    read is made up for, for `seconds`. Returns the number of reads."""
    started = time.monotonic()
    count = 0
    for count, path in enumerate(itertools.cycle(paths), start=1):
        with path.open("rb") as stream:
            stream.read()
        if count >= rate * seconds:
            break
        time.sleep(max(0.0, started + count / rate - time.monotonic()))
    return count


def main(argv: list[str]) -> int:
    folder, rate, seconds = Path(argv[0]), float(argv[1]), float(argv[2])
    paths = files_to_read(folder)
    print("reading", flush=True)
    print(read_at(paths, rate, seconds), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
