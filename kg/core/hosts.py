"""Whether a request's Host header names this machine (for servers bound to loopback: kg serve, kg review)."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """Whether a Host header names this machine: localhost, or a loopback address (any port)."""
    if host.startswith("["):  # [IPv6]:port
        name, bracket, _ = host[1:].partition("]")
        if not bracket:
            return False
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
