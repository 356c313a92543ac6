from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from lessons.hooks import register_next_step_provider
        from quizzes import receivers

        register_next_step_provider(receivers.quizzes_after_lesson)
