"""What certification keeps about a person, for My account (accounts gathers every app's
module): certificates, practical marks, the reminder setting and the reminders sent."""

from django.utils import timezone
from django.utils.translation import gettext

from accounts.registry import Section
from certification.forms import ReminderPreferenceForm
from certification.models import Certificate, PracticalMark, ReminderPreference, SentReminder
from certification.services import revoke_certificate


def personal_data(user):
    preference = ReminderPreference.objects.filter(user=user).first()
    return {
        "certificates": [
            {
                "certification": c.certification.title,
                "code": c.code,
                "issued_at": c.issued_at,
                "valid_until": c.valid_until,
                "revoked_at": c.revoked_at,
            }
            for c in Certificate.objects.filter(trainee=user).select_related("certification")
        ],
        "practical_marks": [
            {
                "skill": m.item.text,
                "result": m.get_result_display(),
                "note": m.note,
                "coach": m.coach.get_username() if m.coach else None,
                "marked_at": m.marked_at,
            }
            for m in PracticalMark.objects.filter(trainee=user).select_related("item", "coach")
        ],
        "email_reminders": preference.email_reminders if preference else True,
        "reminders_sent": [
            {"kind": r.kind, "sent_at": r.sent_at} for r in SentReminder.objects.filter(user=user)
        ],
    }


def forget(user):
    """A deleted account's certificates say "revoked" on the public check; marks, the
    reminder setting and the sent-log go."""
    now = timezone.now()
    for certificate in Certificate.objects.active().filter(trainee=user):
        revoke_certificate(certificate, reason="The holder deleted their account.", now=now)
    PracticalMark.objects.filter(trainee=user).delete()
    ReminderPreference.objects.filter(user=user).delete()
    SentReminder.objects.filter(user=user).delete()


def sections(request):
    preference = ReminderPreference.objects.filter(user=request.user).first()
    form = ReminderPreferenceForm(instance=preference or ReminderPreference(user=request.user))
    return [
        Section(
            gettext("Reminder emails"),
            "certification/includes/reminder_section.html",
            {"form": form},
        )
    ]
