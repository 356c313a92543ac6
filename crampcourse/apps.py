from django.apps import AppConfig


class CrampCourseConfig(AppConfig):
    """The project's own app: its cache-table migration, template tags and system checks."""

    name = "crampcourse"
    verbose_name = "CrampCourse"

    def ready(self):
        from crampcourse import checks  # noqa: F401  (registers the deploy checks)
