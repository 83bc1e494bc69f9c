"""The CalDAV server, through the ``caldav`` library: find or make a calendar, list its
objects, write and remove them.

``caldav`` finds the calendars (the principal, its calendar home, their display names),
creates one (MKCALENDAR), lists what a calendar holds (PROPFIND, depth 1, the ETags)
and answers the server's login challenge (Basic or Digest). Writes go through its
client's own ``put`` and ``delete``, which send the headers given: ``If-None-Match: *``
for a new object, ``If-Match: <ETag>`` for one servant wrote before. (caldav's
``save()`` sends these too, but before a create with ``no_overwrite`` it searches the
calendar for the UID, a REPORT for each new event, and it reads the body as a
calendar; servant sends its bytes as they are, one request each.)

Every failure is a ``DavError`` with one line that says what went wrong, where, and
what to check. ``caldav`` and its HTTP library (niquests) are imported inside the
methods that use them: only ``servant publish`` loads them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit

from servant_cli.config import config_path
from servant_cli.dav.settings import ENV, DavSettings
from servant_cli.errors import ServantError

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

_ICAL = "text/calendar; charset=utf-8"


class DavError(ServantError):
    """The CalDAV server could not be used."""


class PreconditionFailed(Exception):
    """412: the object is not (or no longer) what ``If-Match`` or ``If-None-Match`` said."""


class Object(NamedTuple):
    """A calendar object as the server lists it: its href (path, decoded) and ETag."""

    href: str
    etag: str | None


class Server:
    """One connection to a CalDAV server: find or make a calendar, list, put and delete its objects."""

    def __init__(self, settings: DavSettings, password: str | None) -> None:
        import logging

        from caldav.davclient import DAVClient

        if os.environ.get("SERVANT_DEBUG") != "1":
            # caldav logs its doubts about a server as warnings, which Python would print
            # on stderr without a handler: servant says what matters itself.
            logging.getLogger("caldav").setLevel(logging.CRITICAL)
        self.settings = settings
        self.where = urlsplit(settings.url).netloc
        #: Scheme and host of the calendar (``find_calendar``, ``create_calendar``).
        self.origin = _origin(settings.url)
        self.step = "connecting"
        with self._doing("connecting"):
            self.client: DAVClient = DAVClient(
                url=settings.url,
                username=settings.user,
                password=password,
                timeout=settings.timeout,  # type: ignore[arg-type]  # a float works: niquests takes it as is
                enable_rfc6764=False,  # the URL is the server's: no DNS look-ups for another
            )

    def close(self) -> None:
        self.client.close()

    # -- calendars ------------------------------------------------------------------

    def find_calendar(self, name: str) -> str | None:
        """The URL of the user's calendar with display name ``name``, if there is one."""
        with self._doing(f"looking for the calendar {name!r}"):
            found = self._named(name)
        if len(found) > 1:
            raise DavError(
                f"{len(found)} calendars are named {name!r} on {self.where} ({', '.join(found)}); "
                "rename one in the calendar app, or publish to another with --calendar"
            )
        if found:
            self.origin = _origin(found[0])
        return found[0] if found else None

    def _named(self, name: str) -> list[str]:
        """The URLs of the user's calendars whose display name is ``name``: exactly, else
        whatever its case ("personal" finds "Personal" rather than making a second one)."""
        principal = self.client.principal()
        named = [(str(cal.url), cal.get_display_name() or "") for cal in principal.get_calendars()]
        exact = [url for url, display in named if display == name]
        return exact or [url for url, display in named if display.casefold() == name.casefold()]

    def create_calendar(self, name: str) -> str:
        """Make a calendar named ``name`` (MKCALENDAR) in the user's calendar home; its URL."""
        from caldav.lib import error

        from servant_cli.models import name_key

        slug = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-") or "servant"
        with self._doing(f"creating the calendar {name!r}"):
            principal = self.client.principal()
            try:
                made = principal.make_calendar(name=name, cal_id=slug)
            except error.MkcalendarError as exc:
                if exc.status not in (405, 409):
                    raise
                # Something is at that address already: the same calendar, made a moment
                # ago by another run, or something else (then caldav chooses an address).
                found = self._named(name)
                if found:
                    self.origin = _origin(found[0])
                    return found[0]
                made = principal.make_calendar(name=name)
        self.origin = _origin(str(made.url))
        return str(made.url)

    # -- objects --------------------------------------------------------------------

    def objects(self, calendar: str) -> list[Object]:
        """Every object the calendar holds (one PROPFIND, depth 1: hrefs and ETags)."""
        with self._doing("listing the calendar"):
            response = self.client.propfind(calendar, props=["getetag", "resourcetype"], depth=1)
            if response.status not in (200, 207):
                _raise_for(response)
            own = href_path(calendar).rstrip("/")
            found = []
            for href, properties in _found(response):
                kinds = properties.get("{DAV:}resourcetype") or ()
                if href.rstrip("/") != own and "{DAV:}collection" not in kinds:
                    found.append(Object(href, properties.get("{DAV:}getetag")))
        return found

    def etag(self, href: str, what: str) -> str | None:
        """The ETag of the object at ``href`` now, or None when there is none."""
        with self._doing(f"looking at {what}"):
            response = self.client.propfind(self._url(href), props=["getetag"], depth=0)
            if response.status == 404:
                return None
            if response.status not in (200, 207):
                _raise_for(response)
            for _, properties in _found(response):
                etag: str | None = properties.get("{DAV:}getetag")
                return etag
        return None

    def put(self, href: str, body: bytes, etag: str | None, what: str) -> str | None:
        """Write an object: a new one (``etag`` None: ``If-None-Match: *``), or over the
        version with ``etag`` (``If-Match``). Returns the ETag the server answers with
        (None if it sends none); a 412 raises ``PreconditionFailed``."""
        from caldav.lib.python_utilities import WireBytes

        headers = {"Content-Type": _ICAL, **_condition(etag, new="If-None-Match")}
        with self._doing(f"saving {what}"):
            # WireBytes: sent as they are (caldav would rewrite line ends otherwise).
            response = self.client.put(self._url(href), WireBytes(body), headers)  # type: ignore[arg-type]
            if response.status == 412 and not _uid_taken(response):
                raise PreconditionFailed(href)
            if response.status not in (200, 201, 204):
                _raise_for(response)
            answered: str | None = response.headers.get("ETag")
        return answered

    def delete(self, href: str, etag: str | None, what: str) -> None:
        """Remove an object, if it is still the version with ``etag`` (a 412 raises
        ``PreconditionFailed``); one already gone is no error."""
        with self._doing(f"removing {what}"):
            response = self.client.delete(self._url(href), _condition(etag))
            if response.status == 412:
                raise PreconditionFailed(href)
            if response.status not in (200, 202, 204, 404):
                _raise_for(response)

    def _url(self, href: str) -> str:
        """The URL of an object: its path on the calendar's host, which may not be the
        host servant was given (iCloud keeps calendars on p…-caldav.icloud.com)."""
        return f"{self.origin}{quote(href, safe='/@:+,;=~!$&*()')}"

    # -- failures -------------------------------------------------------------------

    @contextmanager
    def _doing(self, step: str) -> Iterator[None]:
        """Say what is being done; any failure of it becomes one ``DavError`` line."""
        import warnings

        self.step = step
        try:
            with warnings.catch_warnings():
                # caldav warns about servers' quirks; servant reports what matters itself.
                warnings.simplefilter("ignore")
                yield
        except (DavError, PreconditionFailed):
            raise
        except Exception as exc:
            message = self._explain(exc)
            if message is None:
                raise
            raise DavError(message) from exc

    def _explain(self, exc: BaseException) -> str | None:
        """The line that says what ``exc`` means here, or None for an error that is not the server's."""
        import socket
        import ssl

        from caldav.lib import error
        from niquests import exceptions

        where, step = self.where, self.step
        if isinstance(exc, error.DAVError) and exc.status is not None:
            return self._refused(exc.status, exc)
        if isinstance(exc, error.DAVError):
            return f"the CalDAV server {where} gave an answer servant cannot use while {step}: {_first_line(exc)}"
        certificate = _cause(exc, ssl.SSLCertVerificationError)
        if certificate is not None:
            why = getattr(certificate, "verify_message", None) or "not trusted"
            return (
                f"the certificate of the CalDAV server {where} cannot be trusted: {why}; if it is your own "
                "server, give it a certificate from a known authority (e.g. Let's Encrypt), or trust its "
                "certificate with REQUESTS_CA_BUNDLE=/path/to/cert.pem"
            )
        tls = _cause(exc, ssl.SSLError)
        if tls is not None:
            why = getattr(tls, "reason", None) or tls
            if why == "WRONG_VERSION_NUMBER":
                return f"TLS with the CalDAV server {where} failed: it does not speak https on this port; check the url"
            return f"TLS with the CalDAV server {where} failed: {why}"
        if _cause(exc, socket.gaierror) is not None:
            host = urlsplit(self.settings.url).hostname
            return f"cannot find the CalDAV server {host!r}: no such host name (check the url, and the network)"
        if isinstance(exc, exceptions.Timeout) or _cause(exc, TimeoutError) is not None:
            return f"the CalDAV server {where} did not answer within {self.settings.timeout:g} s while {step}"
        if _cause(exc, ConnectionRefusedError) is not None:
            return f"cannot reach the CalDAV server {where}: connection refused (is it running, and is the port right?)"
        if isinstance(exc, exceptions.RequestException | OSError):
            cause = _cause(exc, OSError)
            said = getattr(cause, "strerror", None) or _first_line(exc)
            return f"cannot reach the CalDAV server {where} while {step}: {said}"
        if isinstance(exc, SyntaxError | ValueError):  # lxml's XMLSyntaxError is a SyntaxError
            return (
                f"the server at {self.settings.url} does not answer as a CalDAV server while {step} "
                f"({_first_line(exc)}); check the url"
            )
        return None

    def _refused(self, status: int, exc: Any) -> str:
        where, step = self.where, self.step
        said = f"{status} {_reason(status)}"
        if status == 401:
            if not self.settings.user:
                return (
                    f"the CalDAV server {where} wants a login ({said}): set user and password_command in the "
                    f"[dav] table of {config_path()}, or {ENV['user']} and {ENV['password']}"
                )
            return (
                f"the CalDAV server {where} refused the login of {self.settings.user!r} ({said}); check the user "
                "and password (some servers, iCloud among them, want an app-specific password)"
            )
        from caldav.lib import error

        if set(getattr(exc, "preconditions", ())) & set(error.UID_CONFLICT_PRECONDITIONS):
            # Radicale answers 409, Xandikos 412, others 403: the UID is in the calendar already.
            return (
                f"the calendar on {where} already holds an event with the same UID under another name "
                f"({said} while {step}; imported from a servant export?); delete that copy in the calendar "
                "app, or publish to another calendar with --calendar"
            )
        if status == 403 and step.startswith("creating"):
            return (
                f"the CalDAV server {where} does not let {self.settings.user or 'this user'!r} create a calendar "
                f"({said}); create it in the server's web page or app, or name one you have with --calendar"
            )
        if step.startswith("looking for") and status in (403, 404, 405, 501):
            # The address is not a CalDAV service this user may use: the usual mistake is the path.
            return (
                f"{self.settings.url} answered {said} while {step}: check the url (the README lists the "
                "URL of common servers) and that this user may use it"
            )
        return f"the CalDAV server {where} answered {said} while {step}"


def _reason(status: int) -> str:
    """The standard phrase of an HTTP status: 507 is "Insufficient Storage"."""
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _found(response: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each resource a PROPFIND answer found: its path (decoded) and properties."""
    for result in response.results or ():
        if getattr(result, "status", None) in (200, None):
            yield href_path(result.href), getattr(result, "properties", None) or {}


def _uid_taken(response: Any) -> bool:
    """Whether a refused write says another object holds the UID (CALDAV:no-uid-conflict)."""
    from caldav.lib import error

    body = getattr(response, "_raw", None)
    found = error.parse_preconditions(body if isinstance(body, bytes | str) else None)
    return bool(set(found) & set(error.UID_CONFLICT_PRECONDITIONS))


def _raise_for(response: Any) -> None:
    """Raise caldav's error for a response that is not a success (``_explain`` says it)."""
    from caldav.lib import error

    raise error.error_from_response(error.DAVError, response)


def _condition(etag: str | None, new: str | None = None) -> dict[str, str]:
    """``If-Match`` for a version; ``If-None-Match: *`` for a create. A weak ETag never
    matches (If-Match compares strongly, RFC 9110 13.1.1): that write goes unconditionally."""
    if etag is None:
        return {new: "*"} if new else {}
    return {} if etag.startswith("W/") else {"If-Match": etag}


def _origin(url: str) -> str:
    """``https://host:port`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def href_path(href: str) -> str:
    """An href's path, decoded: ``/ada/servant/occasion-1%40x.ics`` is ``/ada/servant/occasion-1@x.ics``."""
    return unquote(urlsplit(href).path)


def _cause(exc: BaseException, kind: type[BaseException]) -> Any:
    """``exc`` or the first error in its chain (cause, context, urllib3's reason) of ``kind``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        reason = getattr(current, "reason", None)
        current = current.__cause__ or current.__context__ or (reason if isinstance(reason, BaseException) else None)
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
