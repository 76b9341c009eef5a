"""Where a webhook may be sent. An endpoint URL is typed by an administrator, but the request is made
by the server, from inside the network: without care it could reach the database, a cloud metadata
service or an admin panel on localhost (server-side request forgery). So only http and https are
allowed, and every address the host name resolves to must be a public one — checked when the request
is made, and the connection then goes to the address that was checked, so a DNS answer that changes
in between (rebinding) cannot redirect it. Redirects are not followed. Loopback and private
addresses are allowed only with CASEWORK_WEBHOOKS_ALLOW_PRIVATE (tests, or a receiver on the LAN)."""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(Exception):
    """The URL may not be called; the message says why and is safe to show."""


def check_url(url: str, *, resolve: bool = True) -> tuple[str, str, int, str, list[str]]:
    """(scheme, host, port, path with query, vetted IP addresses) or AddressRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused(_("Only http:// and https:// addresses can receive webhooks."))
    host = parts.hostname or ""
    if not host or parts.username or parts.password:
        raise AddressRefused(_("The URL needs a host name and no user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    literal = _as_ip(host)
    if literal is not None:
        _refuse_private(literal)
        return parts.scheme, host, port, path, [str(literal)]
    if not resolve:
        if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
            _refuse_private(ipaddress.ip_address("127.0.0.1"))
        return parts.scheme, host, port, path, []
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(_("The host name %(host)s does not resolve.") % {"host": host}) from None
    addresses = []
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        _refuse_private(address)
        addresses.append(str(address))
    return parts.scheme, host, port, path, addresses


def _as_ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _refuse_private(address) -> None:
    if settings.CASEWORK_WEBHOOKS_ALLOW_PRIVATE:
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not address.is_global or address.is_multicast:
        raise AddressRefused(
            _("%(address)s is a private, loopback or reserved address; webhooks go only to public ones.") % {"address": address}
        )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int, str]:
    """POSTs to a vetted address of `url`; (HTTP status, the start of the answer). Raises
    AddressRefused, or OSError / http.client.HTTPException when the receiver cannot be reached."""
    scheme, host, port, path, addresses = check_url(url)
    last_error: OSError | None = None
    for address in addresses:
        kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read(500).decode("utf-8", "replace")
        except ConnectionRefusedError as error:
            last_error = error  # try the host's next address
        finally:
            connection.close()
    raise last_error or OSError("no address to connect to")
