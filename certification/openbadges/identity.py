"""Where the site's issuers are found: the public address, the did:web DID and the URLs that
credentials name. Every address in a credential is built here from OPENBADGES_BASE_URL."""

import uuid
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from certification.openbadges.keys import NotConfigured

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0"}


def base_url():
    return settings.OPENBADGES_BASE_URL.rstrip("/")


def check_host():
    """Refuse, off DEBUG, to name a host a verifier elsewhere cannot reach."""
    parts = urlsplit(base_url())
    host = (parts.hostname or "").lower()
    if settings.DEBUG:
        if not host:
            raise NotConfigured(gettext("OPENBADGES_BASE_URL names no host."))
        return
    if host in LOCAL_HOSTS or host.endswith(".localhost") or parts.scheme != "https":
        raise NotConfigured(
            gettext(
                "Open Badges credentials are not issued until the site's public https address "
                "is set (OPENBADGES_BASE_URL or SITE_URL; not localhost)."
            )
        )


def absolute(path):
    return f"{base_url()}{path}"


def site_did():
    """did:web of the site's host (a port is written %3A, as did:web asks)."""
    parts = urlsplit(base_url())
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}%3A{parts.port}"
    path = [quote(segment) for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path])


def key_url(issuer_key):
    return f"{site_did()}#{issuer_key.key_id}"


def issuer_url(organisation):
    return absolute(reverse("openbadges:issuer", args=[organisation.slug]))


def status_list_url(organisation, purpose="revocation"):
    """The issuer's revocation list, or its suspension list (purpose "suspension")."""
    if purpose == "suspension":
        return absolute(reverse("openbadges:suspension_list", args=[organisation.slug]))
    return absolute(reverse("openbadges:status_list", args=[organisation.slug]))


def badge_image_url():
    return absolute(reverse("openbadges:badge_image"))


def achievement_id(certification_slug):
    """A stable URN per certification and site: the same achievement in every credential."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url()}/{certification_slug}')}"


def issuer_profile(organisation):
    """The issuer's Open Badges Profile, as published at issuer_url."""
    profile = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_url(organisation),
        "type": ["Profile"],
        "name": organisation.name,
        "url": organisation.website or absolute("/"),
    }
    if organisation.logo_url:
        profile["image"] = {"id": absolute(organisation.logo_url), "type": "Image"}
    return profile
