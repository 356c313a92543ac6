"""The certificate as a one-page PDF (fpdf2) with a QR code (segno) to its verification page.

Everything it prints is what the certificate states as issued (certification.frozen), never
the live account: a holder who renames themselves still gets the paper in the issued name. A
revoked or superseded certificate's paper carries a stamp across the page saying so.
"""

import io
from pathlib import Path

import segno
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from fpdf import FPDF

from crampcourse.languages import speaking_to
from organisations.models import Organisation

BRAND = (0, 84, 147)
STAMP = (190, 30, 45)
MUTED = (85, 85, 85)
# DejaVu Sans (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt), embedded as the subset used: the
# PDF's built-in fonts cover Latin-1 only and printed "Łucja" as "?ucja". DejaVu covers Latin,
# Greek and Cyrillic; a letter it lacks is left out, and fpdf2 logs a warning.
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"

# The page (A4 landscape, mm): the text column on the left, the QR code's column on the right.
LEFT, TEXT_WIDTH = 22, 180
QR_X, QR_Y, QR_SIZE = 220, 26, 54
LOGO_BOX = (46, 20)
LABEL_WIDTH = 38
# A skill is printed by its first clause ("Floats on the back for a minute in deep water"),
# at most this long: the paper lists what was assessed, the course file says how.
SKILL_LENGTH = 90


def qr_png(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def issued_by_names(name, federation_name=""):
    """ "Issued by Dolphins SC, a member of Swim Region", or "" if no issuer is recorded."""
    if not name:
        return ""
    if federation_name:
        return gettext("Issued by %(club)s, a member of %(federation)s") % {
            "club": name,
            "federation": federation_name,
        }
    return gettext("Issued by %(organisation)s") % {"organisation": name}


def issued_by(certificate):
    """The issuer as the certificate states it (frozen at issue, moved by a renewal)."""
    return issued_by_names(certificate.issuer_name, certificate.issuer_federation_name)


def short_skill(text):
    """A skill's first clause, e.g. "Gets support first" for "Gets support first: takes hold
    of the wall…"; cut with an ellipsis past SKILL_LENGTH."""
    head = text.partition(":")[0].strip() or text.strip()
    return head if len(head) <= SKILL_LENGTH else head[: SKILL_LENGTH - 1].rstrip() + "…"


def long_date(moment):
    """ "3 December 2026"; "E" is the month as a date says it ("3 декабря 2026" in Russian),
    and the same as "F" in English."""
    return date_format(timezone.localtime(moment), "j E Y")


def stamp_text(certificate):
    """("REVOKED", "3 December 2026"), ("SUPERSEDED", "3 December 2026, by CC-2026-000124"),
    or None for a certificate in force (or simply expired: its dates say so)."""
    if certificate.revoked_at is not None:
        return gettext("REVOKED"), long_date(certificate.revoked_at)
    if certificate.superseded_at is not None:
        when = long_date(certificate.superseded_at)
        replacement = certificate.superseded_by
        if replacement is not None and replacement.number:
            return gettext("SUPERSEDED"), gettext("%(date)s, by %(number)s") % {
                "date": when,
                "number": replacement.number,
            }
        return gettext("SUPERSEDED"), when
    return None


def facts(certificate):
    """[(label, value)] of what was shown, as printed under the certification's title."""
    rows = []
    if certificate.theory_passed_at is not None:
        rows.append(
            (
                gettext("Theory"),
                gettext("Passed with %(percent)s%% on %(date)s")
                % {
                    "percent": floatformat(certificate.theory_percent, -1),
                    "date": long_date(certificate.theory_passed_at),
                },
            )
        )
    if certificate.practical_at is not None:
        rows.append(
            (
                gettext("Practical"),
                gettext("Shown on %(date)s") % {"date": long_date(certificate.practical_at)},
            )
        )
    if certificate.assessor_name:
        rows.append((gettext("Assessor"), certificate.assessor_name))
    if certificate.assessed:
        skills = "\n".join(f"• {short_skill(text)}" for text in certificate.assessed)
        rows.append((gettext("Skills assessed"), skills))
    issued = long_date(certificate.issued_at)
    replaced = certificate.replaced.order_by("-superseded_at").first()
    if replaced is not None:
        issued = gettext("%(date)s, replacing %(number)s") % {
            "date": issued,
            "number": replaced.number,
        }
    rows += [
        (gettext("Issued"), issued),
        (gettext("Valid until"), long_date(certificate.valid_until)),
        (gettext("Number"), certificate.number or ""),
        (gettext("Code"), certificate.code),
    ]
    return rows


def issuer_logo(certificate):
    """(PNG or JPEG bytes, width, height) of the issuer's logo, or None. The manager defers
    the bytes (up to a megabyte); only the paper asks for them."""
    issuer = certificate.issuer
    if issuer is None or not issuer.logo_sha256:
        return None
    data = Organisation.objects.filter(pk=issuer.pk).values_list("logo", flat=True).first()
    if not data:
        return None
    return bytes(data), issuer.logo_width, issuer.logo_height


def _fit(width, height, box_width, box_height):
    if not (width and height):
        return box_width, box_height
    scale = min(box_width / width, box_height / height)
    return width * scale, height * scale


def render_certificate(certificate, verify_url):
    """PDF bytes of the certificate as issued: issuer (with its logo), holder, certification,
    what was shown and by whom, dates, number, code and a QR code of verify_url; stamped if it
    is revoked or superseded. In the holder's language, whoever downloads it: it is their paper."""
    with speaking_to(certificate.trainee):
        return _render(certificate, verify_url)


def _render(certificate, verify_url):
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"{certificate.certification_title}: {certificate.holder_name}")
    pdf.set_author(certificate.issuer_name or "CrampCourse")
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, 16, 297 - LEFT)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)

    # The issuer: logo, then who issued it.
    y = 20
    logo = issuer_logo(certificate)
    text_x = LEFT
    if logo is not None:
        data, width, height = logo
        w, h = _fit(width, height, *LOGO_BOX)
        pdf.image(io.BytesIO(data), x=LEFT, y=y, w=w, h=h)
        text_x = LEFT + w + 5
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(text_x, y + (LOGO_BOX[1] - 10) / 2 if logo is not None else y)
    pdf.multi_cell(LEFT + TEXT_WIDTH - text_x, 5, issued_by(certificate), align="L")

    # Who, and what for.
    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 28)
    pdf.set_xy(LEFT, 44)
    pdf.cell(TEXT_WIDTH, 12, gettext("Certificate"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 12)
    pdf.cell(TEXT_WIDTH, 8, gettext("This certifies that"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(TEXT_WIDTH, 10, certificate.holder_name, align="L", new_x="LMARGIN")
    pdf.set_font(FONT, "", 12)
    pdf.cell(TEXT_WIDTH, 8, gettext("has met the requirements of"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(TEXT_WIDTH, 8, certificate.certification_title, align="L", new_x="LMARGIN")
    pdf.ln(4)

    # What was shown, label and value side by side; the labels' column widens for a language
    # whose labels are longer («Практический экзамен»), so none runs into its value.
    rows = facts(certificate)
    pdf.set_font(FONT, "B", 10)
    label_width = max([LABEL_WIDTH] + [pdf.get_string_width(label) + 4 for label, _ in rows])
    for label, value in rows:
        top = pdf.get_y()
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(LEFT, top)
        pdf.cell(label_width, 5.5, label)
        pdf.set_font(FONT, "", 10)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(LEFT + label_width, top)
        pdf.multi_cell(TEXT_WIDTH - label_width, 5.5, value, align="L")
        pdf.set_y(pdf.get_y() + 0.8)

    # How to check it.
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(LEFT, 182)
    pdf.multi_cell(
        250,
        4.2,
        "\n".join(
            [
                gettext("Check that it is genuine and still valid: scan the code or open %(url)s")
                % {"url": verify_url},
                gettext("This is training, not medical advice."),
            ]
        ),
        align="L",
    )

    # The QR code, and the number under it for whoever reads it aloud.
    pdf.image(qr_png(verify_url), x=QR_X, y=QR_Y, w=QR_SIZE, h=QR_SIZE)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 9)
    pdf.set_xy(QR_X, QR_Y + QR_SIZE + 1)
    pdf.cell(QR_SIZE, 5, gettext("Scan to verify"), align="C")
    if certificate.number:
        pdf.set_font(FONT, "B", 10)
        pdf.set_xy(QR_X, QR_Y + QR_SIZE + 6)
        pdf.cell(QR_SIZE, 5, certificate.number, align="C")

    stamp = stamp_text(certificate)
    if stamp is not None:
        _stamp(pdf, *stamp)
    return bytes(pdf.output())


def _stamp(pdf, title, detail):
    """The stamp across the middle of the page, in red, under a slant; the text under it
    stays readable round its edges."""
    pdf.set_font(FONT, "B", 40)
    width = pdf.get_string_width(title)
    pdf.set_font(FONT, "B", 14)
    width = max(width, pdf.get_string_width(detail)) + 20
    height = 34
    x, y = (297 - width) / 2, (210 - height) / 2
    with pdf.rotation(18, x=148.5, y=105), pdf.local_context(fill_opacity=0.85):
        pdf.set_fill_color(255, 255, 255)
        pdf.set_draw_color(*STAMP)
        pdf.set_line_width(1.8)
        pdf.rect(x, y, width, height, style="DF")
        pdf.set_text_color(*STAMP)
        pdf.set_font(FONT, "B", 40)
        pdf.set_xy(x, y + 3)
        pdf.cell(width, 17, title, align="C")
        pdf.set_font(FONT, "B", 14)
        pdf.set_xy(x, y + 21)
        pdf.cell(width, 8, detail, align="C")
