"""gunicorn's settings for `make serve` (`manage.py serve`); see README, Deployment.

WORKERS: worker processes (default: 2 per CPU + 1); PORT: the port on 127.0.0.1
(default 8000), or BIND for anything else (e.g. `0.0.0.0:8000`, `unix:/run/newsroom.sock`).
Behind a reverse proxy on the same machine, its X-Forwarded-Proto is trusted (from
127.0.0.1; FORWARDED_ALLOW_IPS to change).
"""

import multiprocessing
import os


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


bind = os.environ.get("BIND") or f"127.0.0.1:{_positive('PORT', 8000)}"
workers = _positive("WORKERS", multiprocessing.cpu_count() * 2 + 1)
timeout = 30
graceful_timeout = 20
# Recycle workers now and then (a slow leak never grows for days).
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# gunicorn 25+: no control socket in $HOME (shared by every server of the user).
control_socket_disable = True
