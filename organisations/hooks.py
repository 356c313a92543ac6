"""Extension points for apps built on organisations (training), registered in their ready().

- Role pages: (role, label, url name) a link on My clubs for whoever holds the role, to the
  page where an upper app lets them do it (certification: an assessor's sessions).

- Role-ending checks: (staff_role, club_keeps_an_admin) called inside the transaction that
  ends a coach's or club admin's role. They may refuse with StaffRuleBroken (a group would be
  left with nobody to run it) and tidy up what the role held (the person stops coaching the
  club's groups; the groups and their data stay).
"""

_role_ending = []


def register_role_ending_check(check):
    if check not in _role_ending:
        _role_ending.append(check)


def role_ending(staff_role, club_keeps_an_admin):
    for check in _role_ending:
        check(staff_role, club_keeps_an_admin)


_role_pages = []


def register_role_page(role, label, url_name):
    if (role, label, url_name) not in _role_pages:
        _role_pages.append((role, label, url_name))


def role_pages(roles):
    """[(label, url name)] of the pages for any of these roles, in registration order."""
    return [(label, url_name) for role, label, url_name in _role_pages if role in roles]
