from django.db import migrations
from django.utils import timezone

from certification.frozen import combined_theory, first_pass


def freeze(apps, schema_editor):
    """Certificates issued before their facts were frozen get them from the data as it is now,
    as far as it goes back to the day of issue: the holder's display name, the certification's
    title, the issuer's names, the theory's first pass (certification.frozen's rule), the
    practical (the latest "shown" standing on the day of issue, on the skills required then,
    and who made it), and a number from the year of issue and the row.

    certification.frozen's two pure functions are imported: they read only an attempt's
    fields, which these rows have; the rest works on the models as they were."""
    Certificate = apps.get_model("certification", "Certificate")
    PracticalItem = apps.get_model("certification", "PracticalItem")
    PracticalMark = apps.get_model("certification", "PracticalMark")
    Attempt = apps.get_model("quizzes", "Attempt")
    User = apps.get_model("auth", "User")
    pending = list(
        Certificate.objects.filter(number__isnull=True)
        .select_related("trainee", "certification", "issuer__federation")
        .order_by("pk")
    )
    if not pending:
        return
    trainee_ids = {c.trainee_id for c in pending}
    certification_ids = {c.certification_id for c in pending}

    items = {}  # certification -> its required skills, in order
    for item in PracticalItem.objects.filter(
        certification_id__in=certification_ids, required=True
    ).order_by("order", "pk"):
        items.setdefault(item.certification_id, []).append(item)
    marks = {}  # (trainee, item) -> [(marked_at, pk, result, coach_id)], in order
    for trainee_id, item_id, *mark in (
        PracticalMark.objects.filter(trainee_id__in=trainee_ids)
        .order_by("marked_at", "pk")
        .values_list("trainee_id", "item_id", "marked_at", "pk", "result", "coach_id")
    ):
        marks.setdefault((trainee_id, item_id), []).append(tuple(mark))
    quizzes = {}  # certification -> its quizzes
    for certification in {c.certification for c in pending}:
        quizzes[certification.pk] = list(certification.quizzes.all())
    attempts = {}  # (trainee, quiz) -> finished attempts
    for attempt in Attempt.objects.filter(trainee_id__in=trainee_ids, state="finished"):
        attempts.setdefault((attempt.trainee_id, attempt.quiz_id), []).append(attempt)
    names = {}

    def display_name(user):
        return f"{user.first_name} {user.last_name}".strip() or user.username

    def name_of(user_id):
        if user_id not in names:
            user = User.objects.filter(pk=user_id).first()
            names[user_id] = display_name(user) if user else ""
        return names[user_id]

    for certificate in pending:
        trainee = certificate.trainee
        issued_at = certificate.issued_at
        required = [
            item
            for item in items.get(certificate.certification_id, [])
            if item.retired_at is None or item.retired_at > issued_at
        ]
        latest = None  # the latest standing "shown" on the day of issue
        for item in required:
            stack = []
            for marked_at, pk, result, coach_id in marks.get((trainee.pk, item.pk), []):
                if marked_at > issued_at:
                    break
                if result == "undo":
                    if stack:
                        stack.pop()
                else:
                    stack.append((marked_at, pk, result, coach_id))
            if stack and stack[-1][2] == "shown" and (latest is None or stack[-1] > latest):
                latest = stack[-1]
        theory = combined_theory(
            [
                first_pass(
                    quiz.grading_method, quiz.pass_mark, attempts.get((trainee.pk, quiz.pk), [])
                )
                for quiz in quizzes[certificate.certification_id]
            ]
        )
        issuer = certificate.issuer
        certificate.holder_name = display_name(trainee)
        certificate.certification_title = certificate.certification.title
        certificate.issuer_name = issuer.name if issuer else ""
        certificate.issuer_federation_name = (
            issuer.federation.name if issuer and issuer.federation_id else ""
        )
        certificate.assessed = [item.text for item in required]
        certificate.practical_at = latest[0] if latest else None
        certificate.assessor_id = latest[3] if latest else None
        certificate.assessor_name = name_of(latest[3]) if latest and latest[3] else ""
        certificate.theory_percent = theory.percent if theory else None
        certificate.theory_passed_at = theory.passed_at if theory else None
        certificate.number = f"CC-{timezone.localtime(issued_at).year}-{certificate.pk:06d}"
    Certificate.objects.bulk_update(
        pending,
        [
            "holder_name", "certification_title", "issuer_name", "issuer_federation_name",
            "assessed", "practical_at", "assessor", "assessor_name", "theory_percent",
            "theory_passed_at", "number",
        ],
        batch_size=500,
    )  # fmt: skip


class Migration(migrations.Migration):
    # Apart from the columns' migration, as 0005 is: PostgreSQL refuses to alter a table in a
    # transaction that has row updates still pending their foreign-key checks.
    dependencies = [
        ("certification", "0008_frozen_certificates"),
        ("quizzes", "0005_slots_review_options_regrades"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
