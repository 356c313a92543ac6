from django.conf import settings
from django.db import migrations
from django.utils.text import slugify


def name_the_issuers(apps, schema_editor):
    """Certificates issued before issuers were recorded get one: the club of the group the
    practical was signed off in (the latest "shown" mark that still stands), else of the
    trainee's group (the oldest they are still in, else the one they were in last), else the
    default club that training's 0010 moved the old groups into (made if it is missing).

    The issuer rule itself (certification.services.certificate_issuer) is not imported: a
    migration works on the models as they were, and no certification had an owner yet."""
    Certificate = apps.get_model("certification", "Certificate")
    PracticalMark = apps.get_model("certification", "PracticalMark")
    Membership = apps.get_model("training", "Membership")
    Organisation = apps.get_model("organisations", "Organisation")
    pending = Certificate.objects.filter(issuer__isnull=True)
    if not pending.exists():
        return
    trainees = pending.values("trainee_id")

    stacks = {}  # (trainee, item) -> the marks standing on it, undos applied
    marks = (
        PracticalMark.objects.filter(trainee_id__in=trainees)
        .order_by("marked_at", "pk")
        .values_list(
            "trainee_id", "item_id", "marked_at", "pk", "item__certification_id", "result",
            "group__club_id",
        )
    )  # fmt: skip
    for trainee_id, item_id, *mark in marks:
        stack = stacks.setdefault((trainee_id, item_id), [])
        if mark[3] == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(mark)
    # (trainee, certification) -> the club of the latest standing "shown" made in a group
    signed_off_in, latest = {}, {}
    for (trainee_id, _item), stack in stacks.items():
        if not stack:
            continue
        marked_at, pk, certification_id, result, club_id = stack[-1]
        key = (trainee_id, certification_id)
        if result == "shown" and club_id is not None and (marked_at, pk) > latest.get(key, ()):
            latest[key], signed_off_in[key] = (marked_at, pk), club_id

    current, former = {}, {}
    memberships = (
        Membership.objects.filter(trainee_id__in=trainees)
        .order_by("joined_at", "pk")
        .values_list("trainee_id", "removed_at", "group__club_id")
    )
    for trainee_id, removed_at, club_id in memberships:
        if removed_at is None:
            current.setdefault(trainee_id, club_id)  # the oldest group they are still in
        else:
            former[trainee_id] = club_id  # the last one they joined

    default_club = None
    changed = []
    for certificate in pending.only("pk", "trainee_id", "certification_id"):
        key = (certificate.trainee_id, certificate.certification_id)
        club_id = (
            signed_off_in.get(key)
            or current.get(certificate.trainee_id)
            or former.get(certificate.trainee_id)
        )
        if club_id is None:
            if default_club is None:
                name = settings.DEFAULT_CLUB_NAME
                default_club, _ = Organisation.objects.get_or_create(
                    slug=slugify(name)[:50] or "club", defaults={"name": name, "kind": "club"}
                )
            club_id = default_club.pk
        certificate.issuer_id = club_id
        changed.append(certificate)
    Certificate.objects.bulk_update(changed, ["issuer"], batch_size=500)


class Migration(migrations.Migration):
    # Apart from the column's migration, as training's 0010 is: PostgreSQL refuses to alter a
    # table in a transaction that has row updates still pending their foreign-key checks.
    dependencies = [
        ("certification", "0004_certificate_issuer_certification_owner"),
        ("training", "0011_every_group_in_a_club"),
    ]

    operations = [migrations.RunPython(name_the_issuers, migrations.RunPython.noop)]
