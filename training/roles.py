"""The three roles: admins are staff, coaches and trainees are Django auth groups; a club's
coaches and club admins (organisations' staff roles) use the coach pages too."""

from organisations import access

COACH = "Coach"
TRAINEE = "Trainee"

ADMIN_ROLE = "admin"
COACH_ROLE = "coach"
TRAINEE_ROLE = "trainee"

# Model permissions each role's auth group holds, as "app_label.codename".
ROLE_PERMISSIONS = {
    COACH: [
        "lessons.view_course",
        "lessons.view_lesson",
        "quizzes.view_quiz",
        "quizzes.view_question",
        "quizzes.view_attempt",
        "training.view_traininggroup",
        "training.add_traininggroup",
        "training.change_traininggroup",
        "training.view_membership",
        "training.add_membership",
        "training.change_membership",
        "training.view_assignment",
        "training.add_assignment",
        "training.change_assignment",
        "training.delete_assignment",
        "training.view_quizoverride",
        "training.add_quizoverride",
        "training.change_quizoverride",
        "training.delete_quizoverride",
    ],
    TRAINEE: [
        "lessons.view_course",
        "lessons.view_lesson",
        "lessons.add_lessonprogress",
        "quizzes.view_quiz",
        "quizzes.add_attempt",
        "training.view_assignment",
    ],
}


def group_names(user):
    """The user's auth group names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_group_names"):
        user._role_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_group_names


def role_of(user):
    """'admin', 'coach', 'trainee', or None for an anonymous visitor.

    A coach is in the Coach group or runs groups for a club (coach or club admin there)."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return ADMIN_ROLE
    if COACH in group_names(user) or access.runs_groups(user):
        return COACH_ROLE
    return TRAINEE_ROLE


def is_coach(user):
    return role_of(user) == COACH_ROLE


def landing_url_name(user):
    """The page each role starts from after logging in."""
    return {
        ADMIN_ROLE: "admin:index",
        COACH_ROLE: "training:coach_groups",
        TRAINEE_ROLE: "training:my_assignments",
    }[role_of(user)]


def sync_role_groups(apps):
    """Create the Coach and Trainee groups and give them ROLE_PERMISSIONS.

    Called from data migrations (with the historical app registry), so later migrations
    that add models call it again to grant the new permissions.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
