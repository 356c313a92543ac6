"""Extension points for apps built on organisations (training), registered in their ready().

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
