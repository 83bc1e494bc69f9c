"""Real CalDAV servers for the tests of ``servant publish``, on 127.0.0.1, a caldav
client to read back what they hold (and, on Radicale, to keep an address book), and the
real vdirsyncer, run as a subprocess, to sync a folder with them.

Each server is a subprocess in a process group of its own, serving a temporary folder
at a free port; it is ready when its port accepts a connection, and stopped (the whole
group, SIGTERM then SIGKILL) whatever happened. Requests are counted from the server's
own log, so a test sees what reached the server, not what servant says it sent.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

import caldav
import icalendar

#: Seconds a server may take to start.
START_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A server subprocess and its log."""

    name = "server"
    #: One request in the log: its method and path.
    request_line: re.Pattern[str]

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.log = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        env = {**os.environ, "HOME": str(self.folder), "XDG_CONFIG_HOME": str(self.folder / "xdg")}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped at start: {self.log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on port {self.port} within {START_SECONDS:g} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        stop_group(self.process)

    def mark(self) -> int:
        """Where the log ends once it has been still for a moment (a server may log a
        request after answering it): ``requests(mark)`` counts what came after."""
        size = self.log.stat().st_size
        for _ in range(40):
            time.sleep(0.05)
            now = self.log.stat().st_size
            if now == size:
                break
            size = now
        return size

    def requests(self, since: int = 0, *, settle: bool = True) -> list[tuple[str, str]]:
        """(method, path) of each request logged after ``since``; with ``settle``, once the
        log has been still for a moment (a server may log a request after answering it)."""
        text, previous = "", None
        for _ in range(40):
            with open(self.log, "rb") as log:
                log.seek(since)
                text = log.read().decode("utf-8", "replace")
            if text == previous or not settle:
                break
            previous = text
            time.sleep(0.05)
        return [(method, path) for method, path in self.request_line.findall(text)]

    def writes(self, since: int = 0) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests(since) if m in ("PUT", "DELETE", "MKCALENDAR", "MKCOL", "PROPPATCH")]


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started with ``start_new_session`` and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


class Radicale(Server):
    """Radicale with htpasswd logins (plain), a file of users the tests add to, and rights
    that let every user make calendars but ``reader…`` users, who may only read."""

    name = "radicale"
    request_line = re.compile(r"\] ([A-Z]+) request for '([^']*)'")

    def __init__(self, folder: Path, certificate: tuple[Path, Path] | None = None) -> None:
        super().__init__(folder)
        self.users = folder / "users"
        self.users.write_text("", encoding="utf-8")
        self.certificate = certificate
        self.count = 0

    @property
    def url(self) -> str:
        scheme = "https" if self.certificate else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        rights = self.folder / "rights"
        rights.write_text(
            "[reader-root]\nuser: reader.*\ncollection:\npermissions: R\n\n"
            "[reader-home]\nuser: reader.*\ncollection: {user}\npermissions: R\n\n"
            "[reader-calendars]\nuser: reader.*\ncollection: {user}/.+\npermissions: r\n\n"
            "[owner]\nuser: .+\ncollection: {user}(/.*)?\npermissions: RrWw\n\n"
            "[root]\nuser: .+\ncollection:\npermissions: R\n",
            encoding="utf-8",
        )
        tls = ""
        if self.certificate:
            cert, key = self.certificate
            tls = f"ssl = True\ncertificate = {cert}\nkey = {key}\n"
        config = self.folder / "config"
        config.write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n{tls}\n"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {self.users}\nhtpasswd_encryption = plain\ndelay = 0\n\n"
            f"[rights]\ntype = from_file\nfile = {rights}\n\n"
            f"[storage]\nfilesystem_folder = {self.folder / 'collections'}\n\n"
            "[logging]\nlevel = info\n",
            encoding="utf-8",
        )
        return [sys.executable, "-m", "radicale", "--config", str(config)]

    def account(self, calendar: str = "servant", prefix: str = "user") -> Account:
        """A new user, with a password: a calendar home of its own."""
        self.count += 1
        user, password = f"{prefix}{self.count}", f"pw-{self.count}-s3cret"
        with open(self.users, "a", encoding="utf-8") as users:
            users.write(f"{user}:{password}\n")
        if prefix == "reader":
            # A reader may not make collections, not even its home: the admin made it
            # (Radicale keeps each collection as a folder in its storage).
            (self.folder / "collections" / "collection-root" / user).mkdir(parents=True)
        return Account(self, self.url, user, password, calendar)


class Xandikos(Server):
    """Xandikos without logins (it leaves them to a proxy): each test gets a calendar name
    of its own."""

    name = "xandikos"
    request_line = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+"')

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.count = 0

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "xandikos",
            "serve",
            "-d",
            str(self.folder / "data"),
            "--state-dir",
            str(self.folder / "state"),
            "--autocreate",
            "--no-detect-systemd",
            "-l",
            "127.0.0.1",
            "-p",
            str(self.port),
        ]

    def account(self, calendar: str = "servant", prefix: str = "") -> Account:
        self.count += 1
        return Account(self, self.url, None, None, f"{calendar} {self.count}")


class Account(NamedTuple):
    """Where a test publishes: the server, the login (None for Xandikos) and the calendar's name."""

    server: Server
    url: str
    user: str | None
    password: str | None
    calendar: str

    def env(self) -> dict[str, str]:
        """servant's settings for it, as environment variables."""
        found = {"SERVANT_DAV_URL": self.url, "SERVANT_DAV_CALENDAR": self.calendar}
        if self.user and self.password:
            found.update(SERVANT_DAV_USER=self.user, SERVANT_DAV_PASSWORD=self.password)
        return found

    def client(self) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.url, username=self.user, password=self.password, timeout=10)

    def calendars(self) -> list[Any]:
        """The user's calendars with this name (read with caldav)."""
        with self.client() as client:
            return [cal for cal in client.principal().get_calendars() if cal.get_display_name() == self.calendar]

    def make_calendar(self) -> Any:
        with self.client() as client:
            return client.principal().make_calendar(name=self.calendar)

    def objects(self) -> dict[str, tuple[str, icalendar.Calendar]]:
        """Every object of the calendar: its name (the last part of the href), ETag and content."""
        (calendar,) = self.calendars()
        found = {}
        with self.client() as client:
            listing = client.propfind(str(calendar.url), props=["getetag", "resourcetype"], depth=1)
            for result in listing.results:
                if str(calendar.url).endswith(result.href) or (result.properties.get("{DAV:}resourcetype") or []):
                    continue
                name = result.href.rstrip("/").rpartition("/")[2]
                body = client.request(str(calendar.url.join(result.href)), "GET").raw
                found[unquote(name)] = (result.properties["{DAV:}getetag"], icalendar.Calendar.from_ical(body))
        return found

    def make_addressbook(self, name: str) -> str:
        """A CardDAV address book in the user's home (an extended MKCOL, RFC 5689): its URL."""
        url = f"{self.url}{self.user}/{name}/"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
            "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
            f"<D:displayname>{name}</D:displayname>"
            "</D:prop></D:set></D:mkcol>"
        )
        with self.client() as client:
            client.propfind(f"{self.url}{self.user}/", props=["resourcetype"], depth=0)  # Radicale makes the home
            answer = client.mkcol(url, body)
            assert answer.status == 201, answer.status
        return url

    def put_card(self, url: str, text: str) -> None:
        """Write a vCard at ``url`` (new or over the one there), as a phone's address book does."""
        with self.client() as client:
            answer = client.put(url, text, {"Content-Type": "text/vcard; charset=utf-8"})
            assert answer.status in (201, 204), answer.status

    def delete(self, url: str) -> None:
        with self.client() as client:
            answer = client.delete(url)
            assert answer.status in (200, 204), answer.status

    def put_foreign(self, name: str, text: str) -> None:
        """An object servant did not make, written by another client."""
        (calendar,) = self.calendars()
        with self.client() as client:
            answer = client.put(str(calendar.url.join(name)), text, {"Content-Type": "text/calendar"})
            assert answer.status in (201, 204), answer.status


def events(objects: dict[str, tuple[str, icalendar.Calendar]]) -> Iterator[tuple[str, icalendar.Event]]:
    """(object name, VEVENT) of each event the objects hold."""
    for name, (_, content) in objects.items():
        for event in content.walk("VEVENT"):
            yield name, event


def vdirsyncer(folder: Path, config: str, *args: str, answers: str = "") -> str:
    """Run the real vdirsyncer (a subprocess) with ``config``, written in ``folder``; what it
    printed. It must succeed. Its HOME is the test's (conftest), and no proxy is used: the
    servers are on 127.0.0.1."""
    path = folder / "vdirsyncer.conf"
    path.write_text(config, encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    env["NO_PROXY"] = "*"
    done = subprocess.run(
        [sys.executable, "-m", "vdirsyncer", "-c", str(path), *args],
        input=answers,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def contacts_config(folder: Path, contacts: Path, account: Account) -> str:
    """A vdirsyncer config as the README has it: each address book of the account a folder
    of .vcf files in ``contacts``; its status kept in ``folder``."""
    return f"""[general]
status_path = "{folder / "vdirsyncer-status"}/"

[pair contacts]
a = "contacts_local"
b = "contacts_remote"
collections = ["from b"]

[storage contacts_local]
type = "filesystem"
path = "{contacts}/"
fileext = ".vcf"

[storage contacts_remote]
type = "carddav"
url = "{account.url}"
username = "{account.user}"
password = "{account.password}"
"""
