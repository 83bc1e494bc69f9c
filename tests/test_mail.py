"""``servant digest --mail-to``: sent to a real SMTP server (aiosmtpd) on 127.0.0.1.

Each test starts its own server on a free port and reads back the message that arrived.
TLS is tested with a throwaway self-signed certificate made by the ``openssl`` command
and trusted through ``SSL_CERT_FILE``, the variable OpenSSL reads for its trust store;
without the ``openssl`` command those tests are skipped, not faked.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

import helpers
from test_digest import DIGEST_28_NOV, PEOPLE, PLANS

# A server that asks for a login over plain text warns about it; these tests mean to.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

ROOT = Path(__file__).resolve().parent.parent
SUBJECT_28_NOV = "servant: 1 occasion today, 4 this week, 1 to act on now"
NOT_SENT = "; the digest was not sent"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what arrived and refuses one recipient."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@example.com>: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[Any]:
        """What arrived, as a mail program reads it: parsed, with this system's line ends."""
        return [
            email.message_from_bytes(
                (envelope.original_content or b"").replace(b"\r\n", b"\n"), policy=email.policy.default
            )
            for envelope in self.envelopes
        ]


class Server:
    def __init__(self, port: int, inbox: Inbox) -> None:
        self.port = port
        self.inbox = inbox


def only_ada(server, session, envelope, mechanism: str, auth_data: Any) -> AuthResult:
    """The server's one account: ada (or ada@example.org) with the password secret."""
    ok = isinstance(auth_data, LoginPassword) and auth_data.login in (b"ada", b"ada@example.org")
    ok = ok and auth_data.password == b"secret"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    """Start an SMTP server on 127.0.0.1 at a free port; every one is stopped at the end."""
    running: list[Controller] = []

    def start(**options: Any) -> Server:
        inbox = Inbox()
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=5, **options)
        controller.start()
        running.append(controller)
        return Server(port, inbox)

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Point servant at a server through the SERVANT_SMTP_* variables."""

    def point(port: int, security: str = "none", **more: str) -> None:
        monkeypatch.setenv("SERVANT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SERVANT_SMTP_PORT", str(port))
        monkeypatch.setenv("SERVANT_SMTP_SECURITY", security)
        monkeypatch.setenv("SERVANT_SMTP_FROM", "servant <servant@example.org>")
        for key, value in more.items():
            monkeypatch.setenv(f"SERVANT_SMTP_{key.upper()}", value)

    return point


@pytest.fixture
def people(database_from) -> None:
    database_from(*(("add", *args) for args in PEOPLE), *(("date", *args) for args in PLANS))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    return helpers.certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


def failed(result, message: str) -> None:
    """One ``Error:`` line on stderr, exit 1, nothing on stdout."""
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")


# -- a digest that arrives -----------------------------------------------------------


def test_the_digest_arrives_with_subject_sender_recipient_and_body(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")  # cron mails nothing more
    [envelope] = server.inbox.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("servant@example.org", ["ada@example.com"])
    [message] = server.inbox.messages()
    assert message["Subject"] == SUBJECT_28_NOV
    assert message["From"] == "servant <servant@example.org>"
    assert message["To"] == "ada@example.com"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "multipart/alternative"
    # Plain text first, HTML second: a client shows the last alternative it can.
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    text = message.get_body(("plain",))
    assert text is not None and text.get_content() == DIGEST_28_NOV
    page = parse(html_part(message))
    assert [words(heading) for heading in page.iter("h2")] == ["Today", "Act now", "Coming up this week"]
    assert len(page.findall(".//table")) == 3


def test_one_message_goes_to_every_recipient(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant(
        "digest", "--from", "2026-11-28", "--mail-to", "ada@example.com", "--mail-to", "Bob <bob@example.com>"
    )
    assert result.exit_code == 0, result.stderr
    [envelope] = server.inbox.envelopes
    assert envelope.rcpt_tos == ["ada@example.com", "bob@example.com"]
    assert server.inbox.messages()[0]["To"] == "ada@example.com, bob@example.com"


def test_an_empty_digest_sends_nothing(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant("digest", "--from", "2026-06-01", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert server.inbox.envelopes == []


def test_always_sends_a_nothing_due_mail(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant("digest", "--from", "2026-06-01", "--always", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [message] = server.inbox.messages()
    assert message["Subject"] == "servant: nothing due this week"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Nothing due today (Mon 1 Jun 2026) or this week.\n"


def test_settings_come_from_the_smtp_table_and_the_environment_wins(
    servant, people, start_server, write_config, monkeypatch
) -> None:
    server = start_server()
    write_config('[smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "none"\nfrom = "digest@example.net"\n')
    monkeypatch.setenv("SERVANT_SMTP_PORT", str(server.port))
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert result.exit_code == 0, result.stderr
    [message] = server.inbox.messages()
    assert message["From"] == "digest@example.net"
    assert message["Subject"] == SUBJECT_28_NOV


def test_login_with_the_right_password_sends(servant, people, start_server, smtp_env) -> None:
    server = start_server(authenticator=only_ada, auth_required=True, auth_require_tls=False)
    smtp_env(server.port, user="ada", password="secret")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert result.exit_code == 0, result.stderr
    assert len(server.inbox.envelopes) == 1


def test_stored_text_is_escaped_in_the_html_part(servant, start_server, smtp_env) -> None:
    assert servant("add", "Ada <b>Admin</b> & Co", "--birthday", "Nov 28").exit_code == 0
    server = start_server()
    smtp_env(server.port)
    assert servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com").exit_code == 0
    [message] = server.inbox.messages()
    assert message.get_body(("plain",)).get_content() == (
        "servant digest for Sat 28 Nov 2026\n\nToday\n- Ada <b>Admin</b> & Co — Birthday\n"
    )
    page = html_part(message)
    assert "<strong>Ada &lt;b&gt;Admin&lt;/b&gt; &amp; Co</strong>" in page
    assert parse(page).find(".//b") is None


# -- the HTML part, read as a browser reads it --------------------------------------


def html_part(message: Any) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return part.get_content()


def parse(page: str) -> Any:
    """The page as html5lib (the parsing algorithm of browsers) builds it: an ElementTree."""
    return html5lib.parse(page, namespaceHTMLElements=False)


def words(element: Any) -> str:
    """The text of an element as it reads: its pieces joined by single spaces."""
    return " ".join(" ".join(element.itertext()).split())


def rows(table: Any) -> list[list[str]]:
    """The text of each body row's cells."""
    return [[words(cell) for cell in row.findall("td")] for row in table.findall("tbody/tr")]


def mailed(servant, start_server, smtp_env, *args: str) -> Any:
    """The message ``servant digest ARGS --mail-to`` sent to a real SMTP server."""
    server = start_server()
    smtp_env(server.port)
    result = servant("digest", *args, "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [message] = server.inbox.messages()
    return message


def test_the_html_part_is_a_table_per_section_with_the_call_sheet(servant, people, start_server, smtp_env) -> None:
    message = mailed(servant, start_server, smtp_env, "--from", "2026-11-28")
    page = parse(html_part(message))
    today, act_now, coming_up = page.findall(".//table")
    for table in (today, act_now):
        assert [words(th) for th in table.findall("thead/tr/th")] == ["When", "Who", "What", "How to reach"]
    assert [words(th) for th in coming_up.findall("thead/tr/th")] == ["When", "Who", "What"]
    # Today: highlighted, the plan in words, how to reach Bob.
    assert rows(today) == [["Today", "Bob Byte", "Call Birthday", "555-0100"]]
    assert all("background-color:#fff8c5" in td.get("style") for td in today.iter("td"))
    assert not any("#fff8c5" in td.get("style") for td in act_now.iter("td"))
    # Act now: a row per occasion, then its command in a small monospace line.
    commands = [line.strip() for line in DIGEST_28_NOV.splitlines() if line.startswith("  servant log ")]
    assert rows(act_now) == [
        [
            "Sun 29 Nov tomorrow",
            "Grace Hopper",
            "Get ready 96th wedding anniversary",
            "+1 212 555 0199 grace@ navy .example Allergic to lilies",
        ],
        [f"When done: {commands[0]}"],
        ["Sun 29 Nov tomorrow", "Linus Berg", "Get ready Shop opening (10 years)", "linus@ berg .example"],
        [f"When done: {commands[1]}"],
        ["Tue 1 Dec in 3 days", "Linus Berg", "Get ready Client for 7 years", "linus@ berg .example"],
        [f"When done: {commands[2]}"],
        [
            "Wed 9 Dec in 11 days",
            "Grace Hopper",
            "Order flowers Birthday (turns 120)",
            "+1 212 555 0199 grace@ navy .example Allergic to lilies",
        ],
        [f"When done: {commands[3]}"],
    ]
    assert ["".join(code.itertext()) for code in act_now.iter("code")] == commands
    assert all("monospace" in code.get("style") for code in act_now.iter("code"))
    # Coming up stays short: Alan's email is not there.
    assert rows(coming_up) == [["Mon 30 Nov in 2 days", "Alan Turing", "6 years at work"]]
    assert "alan@example.org" not in html_part(message)
    # Links to call and write, the address whole (<wbr> only lets it break).
    links = [(a.get("href"), "".join(a.itertext())) for a in page.iter("a")]
    assert links == [
        ("tel:5550100", "555-0100"),
        ("tel:+12125550199", "+1 212 555 0199"),
        ("mailto:grace@navy.example", "grace@navy.example"),
        ("mailto:linus@berg.example", "linus@berg.example"),
        ("mailto:linus@berg.example", "linus@berg.example"),
        ("tel:+12125550199", "+1 212 555 0199"),
        ("mailto:grace@navy.example", "grace@navy.example"),
    ]
    # Only the note's first line.
    assert "Prefers tulips" not in html_part(message)


def test_the_html_part_is_styled_inline_and_loads_nothing(servant, people, start_server, smtp_env) -> None:
    raw = html_part(mailed(servant, start_server, smtp_env, "--from", "2026-11-28"))
    page = parse(raw)
    # Mail clients drop <style> blocks and block what a page would fetch.
    for tag in ("style", "script", "img", "link", "iframe", "object", "embed", "form", "base"):
        assert page.find(f".//{tag}") is None, tag
    assert "http" not in raw.lower() and "url(" not in raw.lower()
    assert {a.get("href").split(":")[0] for a in page.iter("a")} == {"tel", "mailto"}
    assert not [name for element in page.iter() for name in element.attrib if name.lower().startswith("on")]
    # Styles sit on the elements: a system font stack, and tables that fit a phone.
    assert "-apple-system" in page.find("body").get("style")
    for tag in ("body", "h1", "h2", "table", "th", "td", "a", "code"):
        elements = list(page.iter(tag))
        assert elements and all(element.get("style") for element in elements), tag
    for table in page.iter("table"):
        assert "table-layout:fixed" in table.get("style") and "width:100%" in table.get("style")
        assert "overflow-wrap:anywhere" in table.get("style")
    assert page.find(".//meta[@name='viewport']") is not None
    # Dark mode: whatever sets a background sets the text colour with it, so a client
    # that inverts one inverts both.
    for element in page.iter():
        style = element.get("style") or ""
        if "background-color:#" in style:
            assert "color:#" in style.replace("background-color:#", ""), (element.tag, style)


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "Ann's & \"Bob's\" <i>shop</i>",
    ],
)
def test_hostile_text_arrives_as_text(servant, start_server, smtp_env, name: str) -> None:
    note = "<script>document.location='x'</script>\nsecond line"
    assert servant("add", name, "--birthday", "Nov 28", "--note", note, "--phone", "<b>1</b>").exit_code == 0
    assert servant("add", f"{name} 2", "--birthday", "Nov 30").exit_code == 0
    raw = html_part(mailed(servant, start_server, smtp_env, "--from", "2026-11-28"))
    page = parse(raw)
    for tag in ("script", "img", "i", "b"):
        assert page.find(f".//{tag}") is None, tag
    today, act_now = page.findall(".//table")
    [[_, who, _, reach]] = rows(today)
    assert (who, reach) == (name, "<b>1</b> <script>document.location='x'</script>")
    assert page.find(".//a") is None  # "<b>1</b>" is no number to dial
    assert rows(act_now)[0][1] == f"{name} 2"
    # The command names them as the shell must read them.
    from shlex import quote

    assert "".join(page.find(".//code").itertext()) == f"servant log {quote(name + ' 2')} call --for birthday"


@pytest.mark.parametrize(
    ("phone", "link"),
    [
        ("+1 212 555 0199", "tel:+12125550199"),
        ("(212) 555-0199", "tel:2125550199"),
        ("+49 (0) 30 1234.5678", "tel:+493012345678"),
        ("030/1234 5678", "tel:03012345678"),
        ("+44 20 7946 0958 ext. 12", None),
        ("call reception", None),
        ("12", None),
    ],
)
def test_a_phone_number_is_a_link_only_when_it_can_be_dialled(phone: str, link: str | None) -> None:
    from servant_cli.render.digest import tel_uri

    assert tel_uri(phone) == link


def test_the_template_ships_in_the_package() -> None:
    # pip install . (not editable) takes what package-data lists: every template must be in it.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["servant_cli"]
    package = ROOT / "src" / "servant_cli"
    templates = sorted(path.relative_to(package) for path in (package / "templates").rglob("*") if path.is_file())
    assert templates
    assert all(any(path.match(pattern) for pattern in patterns) for path in templates), templates
    assert "jinja2" in " ".join(config["project"]["dependencies"])


def test_every_smtp_key_is_read_from_the_config_file(write_config) -> None:
    from servant_cli.config import SmtpConfig, load_settings

    write_config(
        '[smtp]\nhost = "smtp.example.com"\nport = 2525\nsecurity = "tls"\n'
        'user = "ada"\npassword = "pass word"\nfrom = "servant <ada@example.com>"\n'
    )
    assert load_settings().smtp == SmtpConfig(
        host="smtp.example.com",
        port=2525,
        user="ada",
        password="pass word",
        sender="servant <ada@example.com>",
        security="tls",
    )


# -- failures: one line, exit 1 ------------------------------------------------------


def test_unreachable_server_is_one_error_line(servant, people, smtp_env) -> None:
    port = free_port()  # nothing listens there
    smtp_env(port)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(result, f"cannot reach the SMTP server 127.0.0.1:{port}: Connection refused{NOT_SENT}")


def test_a_server_that_never_answers_is_one_line_not_a_hang(servant, people, smtp_env, monkeypatch) -> None:
    # A real socket that accepts connections and says nothing, as a TLS-only port does to
    # a client that waits for a plain greeting. The wait is shortened for the test.
    from servant_cli import mail

    monkeypatch.setattr(mail, "TIMEOUT", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        smtp_env(port, security="starttls")
        result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"the SMTP server 127.0.0.1:{port} did not answer within 0.3 s while connecting "
        f'(if it expects TLS from the start, set security to "tls"){NOT_SENT}',
    )


def test_refused_login_is_one_clear_line(servant, people, start_server, smtp_env) -> None:
    server = start_server(authenticator=only_ada, auth_required=True, auth_require_tls=False)
    smtp_env(server.port, user="ada", password="wrong")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"the SMTP server 127.0.0.1:{server.port} refused the login of 'ada': "
        f"535 5.7.8 Authentication credentials invalid; check the user and password{NOT_SENT}",
    )
    assert server.inbox.envelopes == []


def test_a_login_outside_ascii_is_one_clear_line_that_does_not_show_it(servant, people, start_server, smtp_env) -> None:
    server = start_server(authenticator=only_ada, auth_required=True, auth_require_tls=False)
    smtp_env(server.port, user="ada", password="pässwörd")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        "the SMTP user or password holds a character outside ASCII, which Python's smtplib cannot send; "
        f"use a login of plain letters, digits and punctuation{NOT_SENT}",
    )
    assert "ä" not in result.stderr


def test_a_server_that_wants_a_login_says_so(servant, people, start_server, smtp_env, tmp_path) -> None:
    server = start_server(authenticator=only_ada, auth_required=True, auth_require_tls=False)
    smtp_env(server.port)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"the SMTP server 127.0.0.1:{server.port} wants a login (530 5.7.0 Authentication required): "
        f"set user and password in the [smtp] table of {tmp_path / 'config' / 'config.toml'}, "
        f"or SERVANT_SMTP_USER and SERVANT_SMTP_PASSWORD{NOT_SENT}",
    )


def test_refused_recipient_is_one_clear_line(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "nobody@example.com")
    failed(
        result,
        f"the SMTP server 127.0.0.1:{server.port} refused the recipient nobody@example.com "
        f"(550 5.1.1 <nobody@example.com>: no such user here){NOT_SENT}",
    )
    assert server.inbox.envelopes == []


def test_one_refused_recipient_of_two_is_reported_and_the_other_gets_it(
    servant, people, start_server, smtp_env
) -> None:
    server = start_server()
    smtp_env(server.port)
    result = servant(
        "digest", "--from", "2026-11-28", "--mail-to", "ada@example.com", "--mail-to", "nobody@example.com"
    )
    failed(
        result,
        f"the SMTP server 127.0.0.1:{server.port} refused the recipient nobody@example.com "
        "(550 5.1.1 <nobody@example.com>: no such user here); the others got the digest",
    )
    [envelope] = server.inbox.envelopes
    assert envelope.rcpt_tos == ["ada@example.com"]


def test_starttls_to_a_server_without_it_is_refused_not_sent_in_clear(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port, security="starttls")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f'the SMTP server 127.0.0.1:{server.port} does not offer STARTTLS; set security to "tls" if it expects '
        f'TLS from the start (port 465), or "none" for a server on this machine{NOT_SENT}',
    )
    assert server.inbox.envelopes == []


def test_tls_to_a_plain_server_fails_with_a_clear_line(servant, people, start_server, smtp_env) -> None:
    server = start_server()
    smtp_env(server.port, security="tls")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"TLS with the SMTP server 127.0.0.1:{server.port} failed: it does not speak TLS on this port; "
        f'check security: "tls" is usually port 465, "starttls" port 587{NOT_SENT}',
    )
    assert server.inbox.envelopes == []


# -- TLS, with a real certificate ----------------------------------------------------


def test_starttls_and_login_over_it(
    servant, people, start_server, smtp_env, server_tls, certificate, monkeypatch
) -> None:
    # aiosmtpd offers AUTH only once the connection is encrypted (auth_require_tls).
    server = start_server(tls_context=server_tls, require_starttls=True, authenticator=only_ada, auth_required=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    smtp_env(server.port, security="starttls", user="ada", password="secret")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stderr) == (0, "")
    [message] = server.inbox.messages()
    assert message["Subject"] == SUBJECT_28_NOV


def test_tls_from_the_first_byte(servant, people, start_server, smtp_env, server_tls, certificate, monkeypatch) -> None:
    server = start_server(ssl_context=server_tls)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    smtp_env(server.port, security="tls")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stderr) == (0, "")
    assert server.inbox.messages()[0].get_body(("plain",)).get_content() == DIGEST_28_NOV


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_that_cannot_be_trusted_is_refused(
    servant, people, start_server, smtp_env, server_tls, security, monkeypatch, tmp_path
) -> None:
    options = {"ssl_context": server_tls} if security == "tls" else {"tls_context": server_tls}
    server = start_server(**options)
    empty = tmp_path / "no-ca.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))  # trust nothing: the self-signed one least of all
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    smtp_env(server.port, security=security)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"the certificate of the SMTP server 127.0.0.1:{server.port} cannot be trusted: "
        f"self-signed certificate{NOT_SENT}",
    )
    assert server.inbox.envelopes == []


# -- settings ------------------------------------------------------------------------


def test_no_server_set_says_where_to_set_one(servant, people, tmp_path) -> None:
    result = servant("digest", "--from", "2026-06-01", "--mail-to", "ada@example.com")
    # Checked even on a day with nothing due: broken settings must not wait for a busy day.
    failed(
        result,
        "no SMTP server is set for --mail-to: set host in the [smtp] table of "
        f"{tmp_path / 'config' / 'config.toml'}, or SERVANT_SMTP_HOST",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "smtp"}, "SERVANT_SMTP_PORT: 'smtp' is not a port number; use 1 to 65535"),
        ({"PORT": "70000"}, "SERVANT_SMTP_PORT: '70000' is not a port number; use 1 to 65535"),
        ({"PORT": "²"}, "SERVANT_SMTP_PORT: '²' is not a port number; use 1 to 65535"),
        ({"SECURITY": "ssl"}, "SERVANT_SMTP_SECURITY must be none, starttls or tls, not 'ssl'"),
        (
            {"HOST": "mail example.com"},
            "SERVANT_SMTP_HOST: 'mail example.com' is not a host name; use e.g. smtp.example.com",
        ),
        ({"FROM": "servant"}, "SERVANT_SMTP_FROM: 'servant' is not a mail address; use e.g. servant@example.com"),
        (
            {"USER": "ada"},
            "an SMTP user is set but no password: set smtp.password in {config} or SERVANT_SMTP_PASSWORD",
        ),
        ({"PASSWORD": "secret"}, "an SMTP password is set but no user: set smtp.user in {config} or SERVANT_SMTP_USER"),
        (
            {"HOST": "mail.example.com", "USER": "ada", "PASSWORD": "secret"},
            'security "none" would send the SMTP password to mail.example.com in clear text; '
            'use "starttls" or "tls" (only a server on this machine may go without)',
        ),
    ],
)
def test_bad_smtp_settings_are_one_line_before_connecting(
    servant, people, smtp_env, tmp_path, env: dict[str, str], message: str
) -> None:
    smtp_env(free_port(), **env)
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(result, message.format(config=tmp_path / "config" / "config.toml"))


def test_the_sender_is_the_user_when_that_is_an_address(
    servant, people, start_server, smtp_env, monkeypatch, tmp_path
) -> None:
    server = start_server(authenticator=only_ada, auth_required=True, auth_require_tls=False)
    smtp_env(server.port, user="ada@example.org", password="secret")
    monkeypatch.delenv("SERVANT_SMTP_FROM")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    assert (result.exit_code, result.stderr) == (0, "")
    assert server.inbox.messages()[0]["From"] == "ada@example.org"
    # A user name that is no address cannot be the sender.
    monkeypatch.setenv("SERVANT_SMTP_USER", "ada")
    result = servant("digest", "--from", "2026-11-28", "--mail-to", "ada@example.com")
    failed(
        result,
        f"no sender address for --mail-to: set smtp.from in {tmp_path / 'config' / 'config.toml'} "
        "or SERVANT_SMTP_FROM, e.g. servant@example.com",
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[smtp]\nhots = "x"',
            "unknown key 'hots' in [smtp]; did you mean host? known keys: host, port, user, password, from, security",
        ),
        ("[smtp]\nport = 0", "smtp.port must be a whole number from 1 to 65535, not 0"),
        ("[smtp]\nport = 70000", "smtp.port must be a whole number from 1 to 65535, not 70000"),
        ('[smtp]\nport = "587"', 'smtp.port must be a whole number from 1 to 65535, not "587"'),
        ('[smtp]\nsecurity = "ssl"', 'smtp.security must be "none" or "starttls" or "tls", not "ssl"'),
        ('[smtp]\nhost = "mail example.com"', 'smtp.host must be one word without spaces, not "mail example.com"'),
        ('[smtp]\nfrom = ""', 'smtp.from must be one line of text, not ""'),
        (
            'smtp = "mail.example.com"',
            'smtp must be a table, [smtp] with keys host, port, user, password, from, security; not "mail.example.com"',
        ),
        (
            '[smtp]\npassword = "line one\\nline two"',
            "smtp.password must be one line of text in quotes (the value is not shown: it is a secret)",
        ),
    ],
)
def test_bad_smtp_table_is_refused_with_the_key_named(servant, people, write_config, table: str, message: str) -> None:
    path = write_config(table + "\n")
    result = servant("digest", "--from", "2026-11-28")
    failed(result, f"{path}: {message}")
    assert "line one" not in result.stderr
