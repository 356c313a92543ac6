# The course fixtures the training tests use: a lesson and a two-question quiz.
from tests.training.conftest import lesson, quiz  # noqa: F401
