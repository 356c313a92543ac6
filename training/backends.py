"""Log-in backend that reads a user's roles together with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from organisations import access
from training.models import ManagedAccount
from training.roles import COACH, TRAINEE


class RoleAwareBackend(ModelBackend):
    """Every page needs the signed-in person's role (navigation, permission checks); reading
    it in the same query as the user saves a query on every request."""

    def get_user(self, user_id):
        User = get_user_model()
        memberships = Group.objects.filter(user=OuterRef("pk"))
        try:
            user = User._default_manager.annotate(
                in_coach_group=Exists(memberships.filter(name=COACH)),
                in_trainee_group=Exists(memberships.filter(name=TRAINEE)),
                # A coach's one-time password still in use: accounts' middleware sends the
                # person to change it first.
                must_change_password=Exists(
                    ManagedAccount.objects.filter(user=OuterRef("pk"), must_change_password=True)
                ),
                runs_groups=access.runs_groups_filter(),
                # Whether "My clubs" belongs in the navigation (a staff role, or an offer).
                sees_my_clubs=access.sees_my_clubs_filter(),
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._runs_groups = user.runs_groups  # the cache access.runs_groups() reads
        # The cache roles.group_names() reads; only the role groups matter to it.
        user._role_group_names = frozenset(
            name
            for name, member in ((COACH, user.in_coach_group), (TRAINEE, user.in_trainee_group))
            if member
        )
        return user
