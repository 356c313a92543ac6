from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification"

    def ready(self):
        from certification import demo, receivers
        from organisations import hooks as organisation_hooks
        from organisations.models import Role
        from quizzes import hooks as quiz_hooks
        from training import hooks as training_hooks

        quiz_hooks.register_finish_listener(receivers.certify_after_attempt)
        quiz_hooks.register_regrade_listener(receivers.review_after_regrade)
        quiz_hooks.register_result_note(receivers.practical_still_to_do)
        training_hooks.register_column_provider(receivers.certified_until_columns)
        training_hooks.register_group_link_provider(receivers.poolside_links)
        training_hooks.register_extra_work_provider(receivers.refresher_work)
        training_hooks.register_demo_seeder(demo.seed_demo_certificates)
        organisation_hooks.register_role_page(
            Role.ASSESSOR, _("Assessment sessions"), "certification:assessments"
        )

        from certification import reports
        from organisations.reports import register_report_provider

        register_report_provider(reports.figures, reports.METRICS)
