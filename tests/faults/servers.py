"""Real servers of a test's own, to break on purpose: PostgreSQL, Redis and SMTP.

Each runs on a free port of 127.0.0.1 from a temporary folder, so stopping one never
touches the servers the rest of the suite uses. PostgreSQL and Redis come from Debian's
packages (scripts/install-test-tools.sh installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import socketserver
import subprocess
import threading
import time
from email import message_from_bytes
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; as root, run them as their own user.
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


class PrivatePostgres:
    def __init__(self, folder: Path):
        self.bin = Path(max(glob.glob("/usr/lib/postgresql/*/bin")))
        self.folder, self.port = folder, free_port()
        self.data, self.sockets = folder / "data", folder / "sockets"
        for path in (folder, self.data, self.sockets):
            path.mkdir(exist_ok=True)
            path.chmod(0o755 if path == folder else 0o700)
            if os.getuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        self._ctl(
            "-l",
            str(self.sockets / "log"),
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off",
            "start",
        )

    def stop(self, mode: str = "immediate") -> None:
        """`immediate`: the way a crash or a pulled cable looks to the site."""
        self._ctl("-m", mode, "stop")


class PrivateRedis:
    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class MailServer:
    """Just enough SMTP (RFC 5321) to accept mail as a relay would, and keep every message
    received, in order. Stopped, its port refuses connections, as a mail server that is
    down does."""

    def __init__(self):
        self.port = free_port()
        self.received: list = []
        self._server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> None:
        received = self.received

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 test mail server")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 test")
                    elif verb == "DATA":
                        self.reply("354 go on")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        received.append(message_from_bytes(data))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.reply("250 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Session)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
