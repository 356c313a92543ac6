from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training groups and progress")

    def ready(self):
        from quizzes import hooks
        from training import rules

        hooks.register_policy_provider(rules.quiz_allowances)
        hooks.register_attempt_viewer(rules.coach_may_view_attempt)
        hooks.register_review_closer(rules.quiz_due_dates)

        from organisations.hooks import register_role_ending_check

        register_role_ending_check(rules.before_coach_leaves)

        from organisations.reports import register_report_provider
        from training import reports

        register_report_provider(reports.figures, reports.METRICS)
