from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from lessons.hooks import register_next_step_provider
        from quizzes import receivers

        register_next_step_provider(receivers.quizzes_after_lesson)
