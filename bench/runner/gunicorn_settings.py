"""The project's gunicorn.conf.py as bench/run serves the app and the baseline with it:
every setting the same (workers, threads, timeouts, worker recycling), but no access log,
which would otherwise format and write a line per request under load. The bind address
and log level come from the environment, as gunicorn.conf.py reads them."""

import runpy
from pathlib import Path

_PROJECT_SETTINGS = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(_PROJECT_SETTINGS)).items()
        if not name.startswith("_")
    }
)
accesslog = None
