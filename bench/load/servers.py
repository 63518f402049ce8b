"""The processes the load test runs: a throwaway PostgreSQL and gunicorn."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from http import client as http_client
from pathlib import Path

from bench.load.options import PGBIN, ROOT

# -- processes: PostgreSQL and gunicorn ----------------------------------------------------


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this script dies (Linux), so no server outlives it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Postgres:
    """A throwaway PostgreSQL server on 127.0.0.1:port, data in a temporary folder."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.dir = workdir / "pg"
        self.port = port
        self.started = False
        self.as_root = os.geteuid() == 0

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        # In a session of its own: a Ctrl-C meant for this script never reaches the server.
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, timeout=120, start_new_session=True
        )

    @property
    def url(self) -> str:
        return f"postgres://newsroom@127.0.0.1:{self.port}/postgres"

    @property
    def log(self) -> Path:
        return self.dir / "log"

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(
                    f"port {self.port} is taken: choose another with --pg-port, or pass a "
                    "running server with --database-url"
                )
        if not (PGBIN / "initdb").exists():
            raise SystemExit(f"no PostgreSQL at {PGBIN} (apt-get install postgresql-15)")
        self.dir.mkdir()
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run(str(PGBIN / "initdb"), "-D", str(self.dir / "data"), "-U", "newsroom",
                  "--auth=trust", "-E", "UTF8")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self.started = True
        self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.log),
                  "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        try:
            self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                      "-w", "-t", "20", "stop")  # fmt: skip
        except (subprocess.SubprocessError, OSError):
            try:
                self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                          "stop")  # fmt: skip
            except (subprocess.SubprocessError, OSError) as error:
                print(f"could not stop PostgreSQL in {self.dir}: {error}", file=sys.stderr)


class Gunicorn:
    def __init__(self, workdir: Path, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self.workers = workers
        self.env = env
        self.log = workdir / "gunicorn.log"  # stderr: gunicorn's and Django's logs
        self.mail = workdir / "gunicorn-stdout.log"  # stdout: the console e-mail backend
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
            "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "30", "--graceful-timeout", "10", "--chdir", str(ROOT),
            "--log-level", "info", "--error-logfile", "-",
        ]  # fmt: skip
        if _gunicorn_has("control_socket_disable"):
            cmd.append("--no-control-socket")  # gunicorn 25+: none in $HOME, shared by all
        with open(self.log, "wb") as err, open(self.mail, "wb") as out:
            self.process = subprocess.Popen(
                cmd,
                env=self.env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches us; we stop it in order
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}:\n" + tail(self.log, 40)
                )
            try:
                conn = http_client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    time.sleep(1.0)  # let the other workers finish booting
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s:\n" + tail(self.log, 40))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _gunicorn_has(setting: str) -> bool:
    import gunicorn.config

    return any(s.name == setting for s in gunicorn.config.KNOWN_SETTINGS)


def tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
