"""Keep ``scrape`` on the public web: the check is made on the address actually connected to.

A public page can redirect to ``http://127.0.0.1:8080/admin`` or to a cloud
metadata address, and a name can resolve to a private address (or to a public
one at a first look and a private one at the next: DNS rebinding). So the
check is made in urllib3's connection step: the host is resolved once, every
address is checked, and the socket is opened to an address that passed, never
to a name resolved again. Loopback, private, link-local, multicast, reserved,
unspecified and shared (carrier NAT) addresses are refused, IPv4 and IPv6
alike, including IPv4 addresses mapped into or embedded in IPv6.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

#: ``resolve(host, port)`` -> the addresses to try, in order.
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolve(host: str, port: int) -> list[str]:
    """The host's addresses, as the system resolver gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def non_public_kind(address: IPAddress) -> str:
    """What kind of non-public address ``address`` is ("loopback", ...), or "" when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return non_public_kind(embedded)
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:
        return "non-global"  # shared address space (100.64.0.0/10) and other special ranges
    return ""


def typed_address_is_private(url: str) -> bool:
    """True when the URL's host is itself a non-public IP address or ``localhost``: the user's own site."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return bool(non_public_kind(ipaddress.ip_address(host)))
    except ValueError:
        return False


class RefusedAddress(Exception):
    """A connection to a non-public address was refused (see :func:`guarded_pool_classes`)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        where = address if host.strip("[]") == address else f"{host} resolves to {address}"
        super().__init__(f"{where}, a {kind} address")
        self.host, self.address, self.kind = host, address, kind


@dataclass
class AddressPolicy:
    """How the connections of one fetcher resolve and which addresses they may reach."""

    resolve: Resolver = system_resolve
    #: Let connections reach non-public addresses (the user's own network).
    allow_private: bool = False
    #: Host names pinned to an address by whoever runs the scrape (as curl's
    #: ``--resolve``): used as given, since that person chose them.
    hosts: dict[str, str] = field(default_factory=dict)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` that may be connected to; :class:`RefusedAddress` when none may."""
        pinned = self.hosts.get(host.rstrip(".").lower())
        if pinned:
            return [pinned]
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            candidates = self.resolve(host, port)
        else:
            candidates = [str(literal)]
        if self.allow_private:
            return candidates
        allowed, refused = [], None
        for candidate in candidates:
            kind = non_public_kind(ipaddress.ip_address(candidate.split("%", 1)[0]))
            if kind:
                refused = refused or RefusedAddress(host, candidate, kind)
            else:
                allowed.append(candidate)
        if not allowed and refused is not None:
            raise refused
        return allowed


def guarded_pool_classes(policy: AddressPolicy) -> dict[str, type]:
    """urllib3 pool classes, by scheme, whose connections go only where ``policy`` lets them."""
    from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.connection import HTTPConnection, HTTPSConnection

    def new_conn(connection: HTTPConnection) -> socket.socket:
        # The same errors as urllib3's own _new_conn, but to an address checked here.
        from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
        from urllib3.util.connection import create_connection

        try:
            addresses = policy.addresses(connection._dns_host, connection.port)
            if not addresses:
                raise socket.gaierror(socket.EAI_NONAME, "no address")
            error: OSError | None = None
            for address in addresses:
                try:
                    return create_connection(
                        (address, connection.port), connection.timeout,
                        source_address=connection.source_address, socket_options=connection.socket_options,
                    )
                except socket.timeout:
                    raise
                except OSError as exc:
                    error = exc
            raise error  # type: ignore[misc]
        except socket.gaierror as exc:
            raise NameResolutionError(connection.host, connection, exc) from exc
        except socket.timeout as exc:
            raise ConnectTimeoutError(connection, f"Connection to {connection.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(connection, f"Failed to establish a new connection: {exc}") from exc

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

    class GuardedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
