"""The certificate as a one-page PDF (fpdf2) with a QR code (segno) to its verification page."""

import io
from pathlib import Path

import segno
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from fpdf import FPDF

BRAND = (0, 84, 147)
# DejaVu Sans (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt), embedded as the subset used: the
# PDF's built-in fonts cover Latin-1 only and printed "Łucja" as "?ucja". DejaVu covers Latin,
# Greek and Cyrillic; a letter it lacks is left out, and fpdf2 logs a warning.
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


def qr_png(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def holder_name(user):
    return user.get_full_name() or user.get_username()


def issued_by(organisation):
    """ "Issued by Dolphins SC, a member of Swim Region", or "" if no issuer is recorded."""
    if organisation is None:
        return ""
    if organisation.federation_id is not None:
        return gettext("Issued by %(club)s, a member of %(federation)s") % {
            "club": organisation.name,
            "federation": organisation.federation.name,
        }
    return gettext("Issued by %(organisation)s") % {"organisation": organisation.name}


def render_certificate(certificate, verify_url):
    """PDF bytes: holder, certification, issuer (with its logo), dates, code and a QR code of
    verify_url."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"{certificate.certification.title}: {holder_name(certificate.trainee)}")
    pdf.set_author("CrampCourse")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 30)
    pdf.set_xy(20, 28)
    pdf.cell(190, 14, "Certificate", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 14)
    pdf.set_x(20)
    pdf.cell(190, 10, "This certifies that", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 24)
    pdf.set_x(20)
    pdf.cell(190, 14, holder_name(certificate.trainee), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 14)
    pdf.set_x(20)
    pdf.cell(190, 10, "has met every requirement of", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.set_x(20)
    pdf.cell(190, 12, certificate.certification.title, new_x="LMARGIN", new_y="NEXT")
    issuer = certificate.issuer
    if issuer is not None:
        pdf.set_font(FONT, "", 13)
        pdf.set_x(20)
        pdf.multi_cell(190, 7, issued_by(issuer), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    pdf.ln(6)
    for label, moment in [
        ("Issued", certificate.issued_at),
        ("Valid until", certificate.valid_until),
    ]:
        pdf.set_x(20)
        pdf.cell(190, 8, f"{label}: {date_format(timezone.localtime(moment), 'j F Y')}")
        pdf.ln(8)
    pdf.set_x(20)
    pdf.set_font(FONT, "", 11)
    pdf.cell(190, 8, f"Code: {certificate.code}")
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    pdf.set_x(20)
    pdf.multi_cell(
        190,
        5,
        f"Check that it is genuine and still valid: scan the code or open {verify_url}\n"
        "This is training, not medical advice.",
    )
    pdf.image(qr_png(verify_url), x=215, y=30, w=62, h=62)
    pdf.set_xy(215, 94)
    pdf.set_font(FONT, "", 9)
    pdf.cell(62, 6, "Scan to verify", align="C")
    if issuer is not None and issuer.logo_sha256:
        # Checked as PNG or JPEG on upload (organisations/logos.py); scaled into the box
        # under the QR code, its proportions kept.
        logo = io.BytesIO(bytes(issuer.logo))
        pdf.image(logo, x=215, y=108, w=62, h=40, keep_aspect_ratio=True)
    return bytes(pdf.output())
