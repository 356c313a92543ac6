"""The logo of a club or federation, from the database: public, as the /verify/ page is."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from organisations.models import Organisation


def logo(request, pk, sha256, extension):
    """The logo at the address of its bytes' hash, kept by browsers for a year.

    Its type was checked on upload (organisations/logos.py); nosniff and a sandbox keep a
    browser from reading it as anything else. A new logo is a new address; the old one is 404.
    """
    organisation = get_object_or_404(
        Organisation.objects.only("slug", "logo", "logo_type", "logo_sha256"),
        pk=pk,
        logo_sha256=sha256,
        logo_type=f"image/{extension}",
    )
    response = HttpResponse(bytes(organisation.logo), content_type=organisation.logo_type)
    response["Content-Disposition"] = content_disposition_header(
        False, f"{organisation.slug}-logo.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Private, as question images: signed-in pages are never in a shared cache (the
    # SignedInNoStore middleware keeps a view's own private choice).
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
