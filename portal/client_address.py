"""The address a request came from, as far as we can trust it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, taking from X-Forwarded-For only what our own proxies wrote.

    Each of our TRUSTED_PROXY_COUNT proxies appends the address it saw, so the client is that
    many entries from the right; anything further left is the client's to forge. With no
    proxies (or a header too short to have passed through them all) it is REMOTE_ADDR.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(forwarded) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote_addr


def client_network(ip: str | None) -> str | None:
    """What one client is counted by in per-address limits: its IPv4 address, or its IPv6
    /64 network. One household or host is usually given a whole /64, so counting single IPv6
    addresses would let one client take a fresh address for every few guesses."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)
