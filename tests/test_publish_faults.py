"""``servant publish`` when things go wrong: a server down, a name that does not resolve,
a wrong password, no right to make a calendar, a full disk, a server that never answers,
a certificate that is not trusted, a run killed part-way, two runs at once.

Each failure is one line on stderr and a non-zero exit, and the database records
nothing as published that the server did not confirm. The servers are real (Radicale,
started once per session), but for the full disk: a small proxy on 127.0.0.1 in front of
Radicale that answers 507 to every PUT.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import servant_cli
from davservers import Account, Radicale, events, free_port, stop_group
from helpers import certificate, dump, ok
from servant_cli.config import DavConfig
from servant_cli.dav.server import PreconditionFailed, Server
from servant_cli.dav.settings import dav_settings
from servant_cli.store import NewOccasion, NewPerson, Store

#: The servant these tests run (a worktree's, or the installed one).
SOURCE = str(Path(servant_cli.__file__).resolve().parents[1])
PEOPLE = (
    ("Ada Lovelace", "--birthday", "1815-12-10"),
    ("Bob Stone", "--birthday", "1970-06-20", "--anniversary", "1999-09-09"),
)


@pytest.fixture
def people(database_from) -> Path:
    return database_from(*(("add", *args) for args in PEOPLE))


@pytest.fixture
def account(radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> Account:
    found = radicale.account()
    for name, value in found.env().items():
        monkeypatch.setenv(name, value)
    return found


def fails(result, message: str) -> None:
    """One line on stderr, exit 1, nothing on stdout, no traceback."""
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")


def published(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT uid, etag FROM published").fetchall()
    finally:
        conn.close()


# -- the server cannot be reached ---------------------------------------------------------


def test_a_server_that_is_down_is_one_line_and_nothing_is_written(servant, people, monkeypatch) -> None:
    port = free_port()
    monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{port}/")
    before = dump(people)
    fails(
        servant("publish"),
        f"cannot reach the CalDAV server 127.0.0.1:{port}: connection refused (is it running, and is the port right?)",
    )
    assert dump(people) == before


def test_a_host_name_that_does_not_resolve_is_one_line(servant, people, monkeypatch) -> None:
    # .invalid never resolves (RFC 6761).
    monkeypatch.setenv("SERVANT_DAV_URL", "https://nonexistent.invalid/dav/")
    before = dump(people)
    fails(
        servant("publish"),
        "cannot find the CalDAV server 'nonexistent.invalid': no such host name (check the url, and the network)",
    )
    assert dump(people) == before


def test_a_server_that_never_answers_times_out_as_set(servant, people, monkeypatch) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections are queued, and never answered
        port = silent.getsockname()[1]
        monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{port}/")
        monkeypatch.setenv("SERVANT_DAV_TIMEOUT", "0.5")
        started = time.monotonic()
        fails(
            servant("publish"),
            f"the CalDAV server 127.0.0.1:{port} did not answer within 0.5 s while looking for the calendar 'servant'",
        )
        assert time.monotonic() - started < 5
    assert published(people) == []


def test_a_url_that_is_no_caldav_service_says_to_check_it(servant, people, monkeypatch) -> None:
    from http.server import SimpleHTTPRequestHandler

    class Quiet(SimpleHTTPRequestHandler):  # a plain web server: PROPFIND is 501 Not Implemented
        def log_message(self, *args: object) -> None:
            pass

    web = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{web.server_address[1]}/"
        monkeypatch.setenv("SERVANT_DAV_URL", url)
        fails(
            servant("publish"),
            f"{url} answered 501 Not Implemented while looking for the calendar 'servant': check the url "
            "(the README lists the URL of common servers) and that this user may use it",
        )
    finally:
        web.shutdown()
        web.server_close()
    assert published(people) == []


# -- the server says no ---------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_never_shown(servant, people, account, monkeypatch) -> None:
    monkeypatch.setenv("SERVANT_DAV_PASSWORD", "wrong-Pa55word")
    result = servant("publish")
    fails(
        result,
        f"the CalDAV server 127.0.0.1:{account.server.port} refused the login of {account.user!r} "
        "(401 Unauthorized); check the user and password (some servers, iCloud among them, want an "
        "app-specific password)",
    )
    assert "wrong-Pa55word" not in result.stdout + result.stderr
    assert published(people) == []


def test_a_server_that_wants_a_login_says_how_to_give_one(servant, people, account, monkeypatch) -> None:
    monkeypatch.delenv("SERVANT_DAV_USER")
    monkeypatch.delenv("SERVANT_DAV_PASSWORD")
    result = servant("publish")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: the CalDAV server 127.0.0.1:{account.server.port} wants a login (401 Unauthorized): "
        "set user and password_command in the [dav] table of "
    )
    assert result.stderr.count("\n") == 1


def test_no_right_to_make_the_calendar_is_one_line(servant, people, radicale, monkeypatch) -> None:
    # The rights file lets "reader…" users use calendars that exist, not make one.
    reader = radicale.account(prefix="reader")
    for name, value in reader.env().items():
        monkeypatch.setenv(name, value)
    fails(
        servant("publish"),
        f"the CalDAV server 127.0.0.1:{radicale.port} does not let {reader.user!r} create a calendar "
        "(403 Forbidden); create it in the server's web page or app, or name one you have with --calendar",
    )
    assert published(people) == []


class Proxy(BaseHTTPRequestHandler):
    """Forwards to Radicale; answers every write (PUT, DELETE), or the ``only`` one, with
    ``refuse`` instead (None: forwards them), with ``elsewhere`` names the calendar home by an absolute URL (Radicale
    itself, as ``localhost``), with ``no_etag`` answers a PUT without its ETag."""

    port = 0
    refuse: int | None = 507
    #: Refuse only the write with this number (1 for the first), when set.
    only: int | None = None
    writes: list[int]
    elsewhere = False
    no_etag = False

    def forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command in ("PUT", "DELETE"):
            self.writes.append(1)
        if self.command in ("PUT", "DELETE") and self.refuse and self.only in (None, len(self.writes)):
            self.send_response(self.refuse)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        upstream = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        # Not compressed, so that the answer can be read (and rewritten).
        dropped = ("host", "connection", "accept-encoding")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in dropped}
        upstream.request(self.command, self.path, body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        if self.elsewhere:
            # Another host name for the same machine (caldav moves to another host, not port).
            home = f"<C:calendar-home-set><href>http://localhost:{self.port}/".encode()
            data = data.replace(b"<C:calendar-home-set><href>/", home)
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() in ("connection", "content-length", "transfer-encoding"):
                continue
            if not (self.no_etag and name.lower() == "etag" and self.command == "PUT"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_PROPPATCH = do_MKCALENDAR = do_REPORT = do_OPTIONS = forward

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy(radicale: Radicale) -> Iterator[Callable[..., int]]:
    """Start a ``Proxy`` on 127.0.0.1 in front of Radicale: proxy(refuse=507, elsewhere=False) gives its port."""
    running: list[ThreadingHTTPServer] = []

    def start(**options: object) -> int:
        handler = type("Configured", (Proxy,), {"port": radicale.port, "writes": [], **options})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        return int(server.server_address[1])

    yield start
    for server in running:
        server.shutdown()
        server.server_close()


def test_a_full_disk_is_one_line_and_nothing_is_recorded(servant, people, account, proxy, monkeypatch) -> None:
    full_disk = proxy(refuse=507)
    monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{full_disk}/")
    fails(
        servant("publish"),
        f"the CalDAV server 127.0.0.1:{full_disk} answered 507 Insufficient Storage while saving "
        "'Ada Lovelace — Birthday'; no event was written",
    )
    assert published(people) == []
    assert account.objects() == {}


def test_a_failure_part_way_keeps_what_was_made_and_the_next_run_makes_the_rest(
    servant, people, account, proxy, monkeypatch
) -> None:
    port = proxy(refuse=507, only=3)  # the third write is refused, the others go through
    monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{port}/")
    fails(
        servant("publish"),
        f"the CalDAV server 127.0.0.1:{port} answered 507 Insufficient Storage while saving "
        "'Bob Stone — Wedding anniversary'; 2 of 3 changes were made (and recorded) before that, "
        "and 'servant publish' again makes the rest",
    )
    assert len(published(people)) == 2 == len(account.objects())
    assert ok(servant("publish")).endswith(": 1 added, 0 changed, 0 removed, 2 unchanged\n")
    assert len(published(people)) == 3 == len(account.objects())


def test_calendars_on_another_host_than_the_one_given_are_written_there(
    servant, people, account, proxy, monkeypatch
) -> None:
    # As iCloud does: caldav.icloud.com names a calendar home on p…-caldav.icloud.com. The
    # proxy names Radicale itself (as localhost), and refuses any write sent to the proxy.
    monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{proxy(refuse=421, elsewhere=True)}/")
    out = ok(servant("publish"))
    assert f"(http://localhost:{account.server.port}/{account.user}/" in out
    assert out.endswith(": 3 added, 0 changed, 0 removed, 0 unchanged\n")
    assert len(account.objects()) == 3
    ok(servant("rm", "Bob", "--yes"))
    assert ok(servant("publish")).endswith(": 0 added, 0 changed, 2 removed, 1 unchanged\n")


def test_a_server_that_sends_no_etag_with_a_write_is_believed_at_the_next_listing(
    servant, people, account, proxy, monkeypatch
) -> None:
    # RFC 4791 5.3.4: a server that changed what it was sent must not answer with an
    # ETag. servant records none, and takes the one the next listing shows.
    monkeypatch.setenv("SERVANT_DAV_URL", f"http://127.0.0.1:{proxy(refuse=None, no_etag=True)}/")
    assert ok(servant("publish")).endswith(": 3 added, 0 changed, 0 removed, 0 unchanged\n")
    assert [etag for _, etag in published(people)] == [None, None, None]
    mark = account.server.mark()
    assert ok(servant("publish")).endswith(": 0 added, 0 changed, 0 removed, 3 unchanged\n")
    assert account.server.writes(mark) == []
    on_server = {name.removesuffix(".ics"): etag for name, (etag, _) in account.objects().items()}
    assert dict(published(people)) == on_server


# -- a certificate that is not trusted --------------------------------------------------------


@pytest.fixture(scope="module")
def radicale_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    folder = tmp_path_factory.mktemp("radicale-tls")
    server = Radicale(folder, certificate=certificate(folder))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_certificate_that_is_not_trusted_is_one_line_and_can_be_trusted(
    servant, people, radicale_tls, monkeypatch
) -> None:
    tls = radicale_tls.account()
    for name, value in tls.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    fails(
        servant("publish"),
        f"the certificate of the CalDAV server 127.0.0.1:{radicale_tls.port} cannot be trusted: self-signed "
        "certificate; if it is your own server, give it a certificate from a known authority (e.g. Let's "
        "Encrypt), or trust its certificate with REQUESTS_CA_BUNDLE=/path/to/cert.pem",
    )
    assert published(people) == []
    assert radicale_tls.certificate is not None
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(radicale_tls.certificate[0]))
    assert ok(servant("publish")).endswith(": 3 added, 0 changed, 0 removed, 0 unchanged\n")


# -- credentials ------------------------------------------------------------------------------


def test_the_password_is_in_no_message_and_not_in_the_database(servant, people, account, db_path) -> None:
    assert account.password
    out = ok(servant("publish"))
    assert account.password not in out
    files = [path for path in db_path.parent.iterdir() if path.name.startswith(db_path.name)]
    assert files and not any(account.password.encode() in path.read_bytes() for path in files)
    assert len(published(people)) == 3


def test_the_password_comes_from_password_command_as_a_list_or_a_string(
    servant, people, account, write_config, monkeypatch, tmp_path
) -> None:
    monkeypatch.delenv("SERVANT_DAV_PASSWORD")
    script = tmp_path / "secret.py"
    script.write_text(f"print({account.password!r})\nprint('second line, ignored')\n", encoding="utf-8")
    write_config(f"[dav]\npassword_command = [{sys.executable!r}, {str(script)!r}]\n".replace("'", '"'))
    assert ok(servant("publish")).endswith(": 3 added, 0 changed, 0 removed, 0 unchanged\n")
    write_config(f'[dav]\npassword_command = "{sys.executable} {script}"\n')
    assert ok(servant("publish")).endswith(": 0 added, 0 changed, 0 removed, 3 unchanged\n")


def test_a_password_command_that_fails_is_one_line_and_nothing_is_sent(
    servant, people, account, write_config, monkeypatch
) -> None:
    monkeypatch.delenv("SERVANT_DAV_PASSWORD")
    path = write_config('[dav]\npassword_command = ["false"]\n')
    mark = account.server.mark()
    fails(servant("publish"), f"dav.password_command (false) in {path} failed (exit status 1); nothing was sent")
    assert account.server.requests(mark) == []
    path = write_config('[dav]\npassword_command = ["no-such-command-here", "show"]\n')
    fails(
        servant("publish"),
        f"dav.password_command (no-such-command-here) in {path}: there is no command "
        "'no-such-command-here'; nothing was sent",
    )


def test_a_password_in_a_config_file_others_can_read_is_refused(
    servant, people, account, write_config, monkeypatch
) -> None:
    monkeypatch.delenv("SERVANT_DAV_PASSWORD")
    path = write_config(f'[dav]\npassword = "{account.password}"\n')
    os.chmod(path, 0o644)
    result = servant("publish")
    fails(
        result,
        f"{path} holds the CalDAV password and others can read it, so it was not used: chmod 600 {path}, "
        "or give a password_command instead",
    )
    assert account.password not in result.stderr
    os.chmod(path, 0o600)
    assert ok(servant("publish")).endswith(": 3 added, 0 changed, 0 removed, 0 unchanged\n")


def test_a_password_is_never_sent_over_plain_http_to_another_machine(servant, people, monkeypatch) -> None:
    monkeypatch.setenv("SERVANT_DAV_URL", "http://dav.example.com/")
    monkeypatch.setenv("SERVANT_DAV_USER", "ada")
    monkeypatch.setenv("SERVANT_DAV_PASSWORD", "s3cret")
    fails(
        servant("publish"),
        "http://dav.example.com/ is plain http: the password would cross the network readable by anyone on the "
        "way; use the server's https:// address (only a server on this machine may go without)",
    )


def test_a_url_with_a_login_in_it_is_refused_without_repeating_it(servant, people) -> None:
    result = servant("publish", "--url", "https://ada:s3cret@dav.example.com/")
    assert result.exit_code == 2 and "s3cret" not in result.stderr
    assert result.stderr == (
        "Error: --url: the URL holds a login (https://…@dav.example.com/…); give the user with --user or "
        "dav.user, and the password through dav.password_command or SERVANT_DAV_PASSWORD\n"
    )


# -- runs cut short, runs at once ---------------------------------------------------------------


def many_people(path: Path, count: int) -> None:
    store = Store.open(path)
    store.add_people(
        NewPerson(f"Person {n}", occasions=(NewOccasion("birthday", 1 + n % 12, 1 + n % 28, 1980 + n % 30),))
        for n in range(count)
    )
    store.close()


def uids_on_the_server(account: Account) -> list[str]:
    return sorted(str(event["UID"]) for _, event in events(account.objects()))


def expected_uids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        db_id = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
        return sorted(
            f"occasion-{occasion_id}@{db_id}.servant" for (occasion_id,) in conn.execute("SELECT id FROM occasion")
        )
    finally:
        conn.close()


def test_a_publish_killed_part_way_converges_on_the_next_run(servant, account, db_path) -> None:
    # servant records what the server confirmed every 100 writes (or second): killed
    # after 110 PUTs, its records are behind what the server holds.
    many_people(db_path, 150)
    mark = account.server.mark()
    run = subprocess.Popen(
        [sys.executable, "-m", "servant_cli", "publish"],
        env={**os.environ, "PYTHONPATH": SOURCE},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while sum(method == "PUT" for method, _ in account.server.requests(mark, settle=False)) < 110:
            assert run.poll() is None, "the publish ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        if run.poll() is None:
            stop_group(run)
    on_server = uids_on_the_server(account)
    # The PUTs are counted as they arrive: the last ones may be cut off by the kill.
    assert 100 <= len(on_server) < 150, "killed part-way"
    assert 0 < len(published(db_path)) <= len(on_server), "nothing recorded that the server does not hold"
    # A date whose event reached the server goes before the next run: its event must go too.
    gone = on_server[-1]
    ok(servant("rm", f"#{gone.removeprefix('occasion-').partition('@')[0]}", "--yes"))
    out = ok(servant("publish"))
    assert out.endswith(" unchanged\n")
    assert uids_on_the_server(account) == expected_uids(db_path)
    assert len(expected_uids(db_path)) == 149 and gone not in uids_on_the_server(account)
    assert sorted(uid for uid, _ in published(db_path)) == expected_uids(db_path)
    mark = account.server.mark()
    assert ok(servant("publish")).endswith(": 0 added, 0 changed, 0 removed, 149 unchanged\n")
    assert account.server.writes(mark) == []


def test_two_publishes_at_once_leave_one_calendar_with_one_object_per_occasion(servant, account, db_path) -> None:
    # Both find no calendar and make one, both list it empty and create every event: one
    # of each pair of creates meets the other's object (412) and writes over it.
    many_people(db_path, 40)
    env = {**os.environ, "PYTHONPATH": SOURCE}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "servant_cli", "publish"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        assert b"Traceback" not in err
    assert len(account.calendars()) == 1
    assert uids_on_the_server(account) == expected_uids(db_path)
    assert ok(servant("publish")).endswith(": 0 added, 0 changed, 0 removed, 40 unchanged\n")


def test_the_server_refuses_a_create_over_an_object_and_a_write_over_a_changed_one(account) -> None:
    # What the plan relies on, seen at the server: If-None-Match: * and If-Match hold.
    settings = dav_settings(DavConfig(), url=account.url, user=account.user, calendar=account.calendar)
    server = Server(settings, account.password)
    try:
        calendar = server.create_calendar(account.calendar)
        href = calendar.removeprefix(account.url.rstrip("/")) + "thing.ics"
        body = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t\r\nBEGIN:VEVENT\r\nUID:thing\r\n"
            b"DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        first = server.put(href, body, None, "thing")
        assert first is not None and server.etag(href, "thing") == first
        with pytest.raises(PreconditionFailed):
            server.put(href, body, None, "thing")
        second = server.put(href, body.replace(b"DATE:20260101", b"DATE:20260102"), first, "thing")
        with pytest.raises(PreconditionFailed):
            server.put(href, body, first, "thing")
        with pytest.raises(PreconditionFailed):
            server.delete(href, first, "thing")
        server.delete(href, second, "thing")
        assert server.etag(href, "thing") is None
        server.delete(href, second, "thing")  # already gone: no error
    finally:
        server.close()
