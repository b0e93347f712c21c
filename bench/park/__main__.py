"""Build a park-scale data set: .venv/bin/python -m bench.park --scale 10k|100k|1m."""

from __future__ import annotations

import argparse

from bench.park import SCALES, database_url
from bench.park.build import log
from bench.park.database import counts
from bench.park.steps import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=list(SCALES), default="1m")
    parser.add_argument("--rebuild", action="store_true", help="build it again even if complete")
    parser.add_argument(
        "--programmes-at",
        choices=list(SCALES),
        help="size the programmes as at this scale (e.g. 100k data with 1m's 5,000 programmes)",
    )
    args = parser.parse_args()
    build(args.scale, args.rebuild, args.programmes_at)
    log(f"\n{database_url(args.scale)}:")
    for table, count in counts(database_url(args.scale)).items():
        log(f"  {table:<20} {count:>10,}")


if __name__ == "__main__":
    main()
