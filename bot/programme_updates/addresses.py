"""Which addresses a redirect from PROGRAMME_URL may lead to: public ones only, unless the organiser allows more.

A programme server that redirects the bot to 127.0.0.1, 10.x or 169.254.169.254 (cloud metadata) would have
the bot fetch from inside the organiser's network and show, or with auto-apply publish, what it finds.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.request

import httpx

FOLLOW = "PROGRAMME_ALLOW_PRIVATE_REDIRECTS=true follows such redirects"


def kind_of(address: str) -> str:
    """'' for a public address, else what it is: 'a loopback address', 'a private address' …"""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ('fe80::1%eth0') is no part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_global:
        return ""
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private and not ip.is_unspecified:  # 0.0.0.0 counts as private; it means this host
        return "a private address"
    return "not a public address"


async def redirect_refusal(host: str, port: int | None) -> str:
    """Why a redirect to `host` is refused ('' when it is not): the first non-public address it resolves to."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except OSError:
        return ""  # unresolvable: the request itself then fails with a clear error
    for *_, sockaddr in found:
        kind = kind_of(str(sockaddr[0]))
        if kind:
            return f"{kind}: refused ({FOLLOW})"
    return ""


def peer_refusal(response: httpx.Response) -> str:
    """The same check on the address actually connected to, in case the name resolved differently this time.

    Behind an HTTP proxy the peer is the proxy, which says nothing about the target: no check then.
    """
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer or urllib.request.getproxies():
        return ""
    kind = kind_of(str(peer[0]))
    return f"{kind} when connecting: refused ({FOLLOW})" if kind else ""
