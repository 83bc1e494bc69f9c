"""Send the digest by mail over SMTP, with the standard library's ``smtplib`` and ``email``.

Settings come from the ``[smtp]`` table of the config file, and each of them can be
overridden by an environment variable (``SERVANT_SMTP_HOST``, ``_PORT``, ``_USER``,
``_PASSWORD``, ``_FROM``, ``_SECURITY``): a password can then stay out of the file.

Every failure (no server set, a server that cannot be reached, a refused login, a
refused recipient, a certificate that cannot be trusted) is a ``MailError`` with one
line that says what went wrong and what to check: under cron that line is what the
user gets by mail, so it must be enough on its own.

``smtplib``, ``ssl`` and ``email`` are imported inside the functions that use them, so
that ``servant upcoming`` does not load them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from servant_cli.config import SMTP_SECURITY, SmtpConfig, config_path
from servant_cli.errors import BadInput, ConfigError, ServantError

if TYPE_CHECKING:
    from email.message import EmailMessage

#: Environment variables, by the setting they override.
ENV = {
    "host": "SERVANT_SMTP_HOST",
    "port": "SERVANT_SMTP_PORT",
    "user": "SERVANT_SMTP_USER",
    "password": "SERVANT_SMTP_PASSWORD",
    "sender": "SERVANT_SMTP_FROM",
    "security": "SERVANT_SMTP_SECURITY",
}
#: The TOML key of each setting (``from`` is a keyword in Python).
TOML_KEY = {"sender": "from"}
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
#: Seconds to wait for the server at each step: long enough for a slow server, short
#: enough that a cron job does not hang.
TIMEOUT = 30.0
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\.]+(\.[^@\s<>(),;:\"\[\]\\.]+)*")
_LOOPBACK = re.compile(r"localhost|127(\.\d{1,3}){3}|::1|\[::1\]", re.IGNORECASE)


class MailError(ServantError):
    """The digest could not be sent."""


class SmtpSettings(NamedTuple):
    """Everything needed to send: the config file and the environment merged, checked."""

    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str  # the From header, maybe with a name: "servant <me@example.com>"
    sender_address: str  # the bare address for the envelope


def _where(name: str) -> str:
    """Where a setting came from, for a message: "SERVANT_SMTP_PORT" or "smtp.port in …"."""
    if os.environ.get(ENV[name]):
        return ENV[name]
    return f"smtp.{TOML_KEY.get(name, name)} in {config_path()}"


def _both(name: str) -> str:
    return f"smtp.{TOML_KEY.get(name, name)} in {config_path()} or {ENV[name]}"


def address_of(text: str) -> str | None:
    """The bare address of "ada@example.com" or "Ada <ada@example.com>"; None if it is none."""
    text = text.strip()
    if not text or not text.isprintable():
        return None
    found = re.fullmatch(r"(?:[^<>]*<([^<>]+)>|([^<>]+))", text)
    if found is None:
        return None
    address = (found.group(1) or found.group(2)).strip()
    return address if _ADDRESS.fullmatch(address) else None


def check_recipient(text: str) -> str:
    """A ``--mail-to`` value: one address, e.g. ada@example.com."""
    address = address_of(text)
    if address is None:
        raise BadInput(f"--mail-to: {text!r} is not a mail address; use one address like ada@example.com")
    return address


def smtp_settings(config: SmtpConfig) -> SmtpSettings:
    """The SMTP settings: each environment variable that is set (and not empty) wins
    over the config file; what neither sets takes its default."""
    given = {name: os.environ.get(variable) or None for name, variable in ENV.items()}
    for name, variable in ENV.items():
        value = given[name]
        if value is not None and name != "password" and not value.isprintable():
            raise ConfigError(f"{variable} must be one line of text, not {value!r}")

    host = given["host"] or config.host
    if not host:
        raise ConfigError(
            f"no SMTP server is set for --mail-to: set host in the [smtp] table of {config_path()}, or {ENV['host']}"
        )
    host = host.strip()
    if not host or any(char.isspace() for char in host):
        raise ConfigError(f"{_where('host')}: {host!r} is not a host name; use e.g. smtp.example.com")

    security = given["security"] or config.security
    if security is not None:
        security = security.strip().lower()
        if security not in SMTP_SECURITY:
            raise ConfigError(f"{ENV['security']} must be none, starttls or tls, not {given['security']!r}")

    port: int | None = config.port
    if given["port"] is not None:
        text = given["port"].strip()
        port = int(text) if text.isascii() and text.isdigit() else 0
        if not 1 <= port <= 65535:
            raise ConfigError(f"{ENV['port']}: {given['port']!r} is not a port number; use 1 to 65535")
    if security is None:
        # TLS from the first byte is what port 465 speaks; anything else is asked to
        # upgrade with STARTTLS, so a password never crosses the network in clear text.
        security = "tls" if port == 465 else "starttls"
    port = port or DEFAULT_PORTS[security]

    user = given["user"] or config.user
    password = given["password"] or config.password
    if user and not password:
        raise ConfigError(f"an SMTP user is set but no password: set {_both('password')}")
    if password and not user:
        raise ConfigError(f"an SMTP password is set but no user: set {_both('user')}")
    if password and security == "none" and not _LOOPBACK.fullmatch(host):
        raise ConfigError(
            f'security "none" would send the SMTP password to {host} in clear text; '
            'use "starttls" or "tls" (only a server on this machine may go without)'
        )

    sender = (given["sender"] or config.sender or "").strip()
    if not sender:
        if user and address_of(user):
            sender = user
        else:
            raise ConfigError(f"no sender address for --mail-to: set {_both('sender')}, e.g. servant@example.com")
    sender_address = address_of(sender)
    if sender_address is None:
        raise ConfigError(f"{_where('sender')}: {sender!r} is not a mail address; use e.g. servant@example.com")
    return SmtpSettings(host, port, security, user, password, sender, sender_address)


def message(subject: str, text: str, html: str | None, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The mail: plain text, with an HTML alternative when there is one."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=True)
    # The domain is given, or make_msgid asks DNS for this machine's name (slow, or hangs).
    mail["Message-ID"] = make_msgid("servant", domain=(address_of(sender) or "servant@localhost").rpartition("@")[2])
    # RFC 3834: a vacation responder does not answer a machine's mail.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    return mail


def _reply(code: int, text: bytes | str) -> str:
    """A server's reply on one line: "535 5.7.8 Authentication credentials invalid"."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())


def _not_allowed(settings: SmtpSettings, where: str, reply: str) -> str:
    """What a 530 reply ("access denied") asks for: TLS first, or a login."""
    if "tls" in reply.lower() and settings.security == "none":
        return f'the SMTP server {where} wants TLS first ({reply}): set security to "starttls"'
    if not settings.user:
        return (
            f"the SMTP server {where} wants a login ({reply}): set user and password in the [smtp] table "
            f"of {config_path()}, or {ENV['user']} and {ENV['password']}"
        )
    return f"the SMTP server {where} did not accept the login of {settings.user!r} for sending ({reply})"


def _silent(settings: SmtpSettings, where: str, step: str) -> str:
    message = f"the SMTP server {where} did not answer within {TIMEOUT:g} s while {step}"
    if step == "connecting" and settings.security != "tls":
        # A server that speaks TLS from the first byte waits in silence for a client that doesn't.
        message += ' (if it expects TLS from the start, set security to "tls")'
    return message


class _Session:
    """Where a sending stands: what a failure is explained with."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.where = f"{settings.host}:{settings.port}"
        self.step = "connecting"


_HINT = "; the digest was not sent"


def send(settings: SmtpSettings, mail: EmailMessage, recipients: Sequence[str]) -> None:
    """Send ``mail`` to ``recipients``; any failure is one ``MailError`` line."""
    import smtplib

    session = _Session(settings)
    try:
        refused = _converse(session, mail, recipients)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(_explain(exc, session) + _HINT) from exc
    if refused:
        said = "; ".join(f"{address} ({_reply(*reply)})" for address, reply in refused.items())
        raise MailError(f"the SMTP server {session.where} refused the recipient {said}; the others got the digest")


def _converse(session: _Session, mail: EmailMessage, recipients: Sequence[str]) -> dict[str, tuple[int, bytes]]:
    """The SMTP dialogue: connect, TLS, login, send; ``session.step`` says how far it got."""
    import smtplib
    import ssl

    settings, where = session.settings, session.where
    if settings.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    with client:
        if settings.security == "starttls":
            session.step = "starting TLS"
            client.ehlo()
            if not client.has_extn("starttls"):
                raise MailError(
                    f'the SMTP server {where} does not offer STARTTLS; set security to "tls" if it '
                    f'expects TLS from the start (port 465), or "none" for a server on this machine{_HINT}'
                )
            client.starttls(context=ssl.create_default_context())
        if settings.user and settings.password:
            session.step = "logging in"
            client.ehlo_or_helo_if_needed()
            if not client.has_extn("auth"):
                plain = ' without TLS; use security "starttls" or "tls"' if settings.security == "none" else ""
                raise MailError(f"the SMTP server {where} offers no login (AUTH){plain}{_HINT}")
            try:
                client.login(settings.user, settings.password)
            except UnicodeEncodeError as exc:
                # smtplib sends the login as ASCII (its AUTH PLAIN and LOGIN encode so); the
                # characters are not shown: they may be the password's.
                raise MailError(
                    "the SMTP user or password holds a character outside ASCII, which Python's smtplib "
                    f"cannot send; use a login of plain letters, digits and punctuation{_HINT}"
                ) from exc
        session.step = "sending"
        return client.send_message(mail, from_addr=settings.sender_address, to_addrs=list(recipients))


def _explain(exc: BaseException, session: _Session) -> str:
    """The one line that says what went wrong: the first explanation whose error ``exc`` is."""
    return next(explain(exc, session) for kind, explain in _explanations() if isinstance(exc, kind))


Explanation = Callable[[Any, _Session], str]


def _explanations() -> tuple[tuple[type[BaseException], Explanation], ...]:
    """Each error sending can meet, most specific first, with how it is said."""
    import smtplib
    import socket
    import ssl

    return (
        (smtplib.SMTPAuthenticationError, _login_refused),
        (smtplib.SMTPRecipientsRefused, _recipients_refused),
        (smtplib.SMTPSenderRefused, _sender_refused),
        (smtplib.SMTPResponseException, _said),
        (smtplib.SMTPServerDisconnected, _disconnected),
        (smtplib.SMTPException, lambda exc, s: f"mail through {s.where} failed while {s.step}: {exc}"),
        (
            ssl.SSLCertVerificationError,
            lambda exc, s: f"the certificate of the SMTP server {s.where} cannot be trusted: {exc.verify_message}",
        ),
        (ssl.SSLError, _tls_failed),
        (
            socket.gaierror,
            lambda exc, s: f"cannot find the SMTP server {s.settings.host!r}: {exc.strerror or exc}",
        ),
        (TimeoutError, lambda exc, s: _silent(s.settings, s.where, s.step)),
        (OSError, lambda exc, s: f"cannot reach the SMTP server {s.where}: {exc.strerror or exc}"),
    )


def _login_refused(exc: Any, session: _Session) -> str:
    return (
        f"the SMTP server {session.where} refused the login of {session.settings.user!r}: "
        f"{_reply(exc.smtp_code, exc.smtp_error)}; check the user and password"
    )


def _recipients_refused(exc: Any, session: _Session) -> str:
    replies = list(exc.recipients.values())
    if all(code == 530 for code, _ in replies):
        return _not_allowed(session.settings, session.where, _reply(*replies[0]))
    said = "; ".join(f"{address} ({_reply(*reply)})" for address, reply in exc.recipients.items())
    return f"the SMTP server {session.where} refused the recipient {said}"


def _sender_refused(exc: Any, session: _Session) -> str:
    reply = _reply(exc.smtp_code, exc.smtp_error)
    if exc.smtp_code == 530:
        return _not_allowed(session.settings, session.where, reply)
    return (
        f"the SMTP server {session.where} refused the sender {session.settings.sender_address}: "
        f"{reply}; check {_both('sender')}"
    )


def _said(exc: Any, session: _Session) -> str:
    reply = _reply(exc.smtp_code, exc.smtp_error)
    if exc.smtp_code == 530:
        return _not_allowed(session.settings, session.where, reply)
    return f"the SMTP server {session.where} said {reply} while {session.step}"


def _disconnected(exc: Any, session: _Session) -> str:
    # smtplib reports a read that timed out as a closed connection.
    if isinstance(exc.__context__, TimeoutError):
        return _silent(session.settings, session.where, session.step)
    return f"the SMTP server {session.where} closed the connection while {session.step}"


def _tls_failed(exc: Any, session: _Session) -> str:
    # OpenSSL's name for "the other side did not answer in TLS at all".
    why = "it does not speak TLS on this port" if exc.reason == "WRONG_VERSION_NUMBER" else exc.reason or exc
    advice = 'check security: "tls" is usually port 465, "starttls" port 587'
    return f"TLS with the SMTP server {session.where} failed: {why}; {advice}"
