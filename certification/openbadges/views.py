"""What verifiers and wallets fetch: the DID document, issuer profiles, status lists and the
badge image. Public and small; not cached, so a revocation or a new key shows at once."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from certification.openbadges import baking, identity, issuing
from certification.openbadges.keys import NotConfigured
from organisations.models import Organisation


def _json(document, content_type="application/json"):
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages
    return response


def _issuer(slug):
    """An organisation that has signed with a key here; others are no issuer."""
    return get_object_or_404(
        Organisation.objects.filter(badge_keys__isnull=False).distinct(), slug=slug
    )


def did_document(request):
    return _json(issuing.did_document(), "application/did+json")


def issuer(request, slug):
    organisation = _issuer(slug)
    return _json(identity.issuer_profile(organisation), "application/ld+json")


def status_list(request, slug, purpose="revocation"):
    """Always computed from the certificates, so a revocation shows at once."""
    organisation = _issuer(slug)
    try:
        token = issuing.signed_status_list(organisation, purpose)
    except NotConfigured as refused:
        raise Http404(str(refused)) from None
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def suspension_list(request, slug):
    """The issuer's second list (statusPurpose "suspension"): suspended certificates now."""
    return status_list(request, slug, purpose="suspension")


def badge_image(request):
    return HttpResponse(baking.badge_png(), content_type="image/png")
