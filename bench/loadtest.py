"""Newsroom load and fault check (`make loadtest`): see bench/LOADTEST.md and bench/load/.

.venv/bin/python bench/loadtest.py [--seconds S] [--concurrency C] [--articles N]
                                   [--database-url URL] [--rate R] [--json PATH]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load.main import main  # noqa: E402 - after the path is set

if __name__ == "__main__":
    sys.exit(main())
