from accounts.registry import Section


def personal_data(user):
    return {"reminder_days": [1, 3]}


def forget(user):
    pass


def sections(request):
    return [Section("Reminders", "reminders_example/section.html", {"days": "1 and 3"})]
