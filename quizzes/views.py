from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from quizzes import review, selectors, services
from quizzes.forms import AttemptPageForm
from quizzes.models import AttemptQuestion, QuestionImage

TIME_UP = "Time is up. Your attempt was submitted with the answers saved before the deadline."


@login_required
def quiz_list(request):
    quizzes = selectors.quizzes_with_attempts(request.user).select_related("lesson")
    rows = [
        (quiz, services.overall_result(quiz.grading_method, quiz.pass_mark, quiz.my_attempts))
        for quiz in quizzes
    ]
    return render(request, "quizzes/quiz_list.html", {"rows": rows})


@login_required
def quiz_detail(request, slug):
    quiz = selectors.get_quiz_for(request.user, slug)
    services.finish_expired_attempts(quiz=quiz, trainee=request.user)
    attempts = list(quiz.attempts.of(request.user).order_by("number"))
    allowed = services.attempts_allowed_for(quiz, request.user)
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "attempts": attempts,
            "open_attempt": next((a for a in attempts if not a.is_finished), None),
            "result": services.overall_result(quiz.grading_method, quiz.pass_mark, attempts),
            "attempts_allowed": allowed,
            "attempts_left": None if allowed is None else max(0, allowed - len(attempts)),
            "time_limit": services.time_limit_for(quiz, request.user),
            "question_count": quiz.draw_count or quiz.questions.count(),
            "is_open": quiz.is_open(),
        },
    )


@login_required
@require_POST
def start_attempt(request, slug):
    quiz = selectors.get_quiz_for(request.user, slug)
    try:
        attempt = services.start_attempt(quiz, request.user)
    except services.AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(quiz)
    return redirect(attempt)


def _pages(attempt, slots):
    size = attempt.quiz.questions_per_page
    return [slots[i : i + size] for i in range(0, len(slots), size)] or [[]]


def _page_number(request, page_count):
    try:
        number = int(request.POST.get("page") or request.GET.get("page") or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), page_count)


def _closed_redirect(request, attempt):
    """The attempt takes no more answers: finish it if time ran out, then show the result."""
    if not attempt.is_finished:
        services.submit_attempt(attempt, timed_out=True)
        messages.warning(request, TIME_UP)
    else:
        messages.info(request, "This attempt is already submitted.")
    return redirect("quizzes:attempt_result", attempt.pk)


def _closed_refusal(request, attempt):
    """Answers sent to an attempt that no longer takes them: 409, nothing changed, a way on."""
    timed_out = not attempt.is_finished
    if timed_out:
        attempt, _ = services.submit_attempt(attempt, timed_out=True)
    return render(
        request,
        "quizzes/attempt_closed.html",
        {"attempt": attempt, "quiz": attempt.quiz, "timed_out": timed_out},
        status=409,
    )


@login_required
def attempt_page(request, pk):
    attempt = selectors.get_own_attempt(request.user, pk)
    if attempt.is_finished or not attempt.accepts_answers_at(timezone.now()):
        if request.method == "POST":
            return _closed_refusal(request, attempt)
        return _closed_redirect(request, attempt)
    slots = selectors.slots_of(attempt)
    pages = _pages(attempt, slots)
    number = _page_number(request, len(pages))
    form = AttemptPageForm(pages[number - 1], request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_answers(attempt, form.responses)
            except services.AttemptClosed:
                attempt.refresh_from_db()
                return _closed_refusal(request, attempt)
            action = request.POST.get("action", "save")
            if action == "finish":
                return redirect("quizzes:attempt_summary", attempt.pk)
            target = {"next": number + 1, "previous": number - 1}.get(action, number)
            target = min(max(target, 1), len(pages))
            if action == "save":
                messages.success(request, "Your answers are saved.")
            return redirect(f"{reverse('quizzes:attempt_page', args=[attempt.pk])}?page={target}")
        status = 400  # the page comes back with the answers as typed and what to fix
    return render(
        request,
        "quizzes/attempt_page.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "form": form,
            "page": number,
            "page_count": len(pages),
            "question_count": len(slots),
        },
        status=status,
    )


@login_required
def attempt_summary(request, pk):
    attempt = selectors.get_own_attempt(request.user, pk)
    if attempt.is_finished or not attempt.accepts_answers_at(timezone.now()):
        return _closed_redirect(request, attempt)
    slots = selectors.slots_of(attempt)
    size = attempt.quiz.questions_per_page
    rows = [(slot, (index // size) + 1) for index, slot in enumerate(slots)]
    return render(
        request,
        "quizzes/attempt_summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": rows,
            "unanswered": sum(1 for slot in slots if slot.response is None),
        },
    )


@login_required
@require_POST
def submit_attempt(request, pk):
    attempt = selectors.get_own_attempt(request.user, pk)
    attempt, finished_now = services.submit_attempt(attempt, timed_out=None)
    if not finished_now:
        messages.info(request, "This attempt was already submitted; it was scored once.")
    elif attempt.timed_out:
        messages.warning(request, TIME_UP)
    return redirect("quizzes:attempt_result", attempt.pk)


@login_required
def attempt_result(request, pk):
    attempt = selectors.get_attempt_to_view(request.user, pk)
    if not attempt.is_finished:
        if attempt.trainee_id == request.user.pk:
            return redirect(attempt)
        return render(request, "quizzes/attempt_in_progress.html", {"attempt": attempt})
    slots = selectors.slots_of(attempt)
    quiz = attempt.quiz
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "is_own": attempt.trainee_id == request.user.pk,
            "feedback": quiz.feedback_for(attempt.percent),
            "misses": review.must_pass_misses(slots),
            "rows": review.review_attempt(attempt, slots),
            "shows_details": quiz.review_answers
            or quiz.review_correct_answers
            or quiz.review_explanations,
        },
    )


@staff_member_required
def quiz_preview(request, slug):
    """The quiz as a trainee sees it, without starting an attempt."""
    quiz = selectors.get_quiz_for(request.user, slug)
    questions = list(quiz.questions.select_related("lesson__course").prefetch_related("options"))
    versions = services.current_versions(questions)
    slots = [
        AttemptQuestion(
            pk=position,
            version=version,
            position=position,
            layout=services.layout_for(version.data, quiz.shuffle_options),
        )
        for position, version in enumerate(versions, start=1)
    ]
    return render(
        request,
        "quizzes/quiz_preview.html",
        {"quiz": quiz, "form": AttemptPageForm(slots), "question_count": len(slots)},
    )


@login_required
def question_image(request, file_name):
    """An image of a question, from the database, so it is served wherever the app runs.

    Its type was checked on import; nosniff and a sandbox keep a browser from reading it as
    anything else. The address is the hash of the bytes, so the image never changes under it.
    """
    sha256, _, extension = file_name.partition(".")
    image = get_object_or_404(QuestionImage, sha256=sha256, content_type=f"image/{extension}")
    response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["Content-Disposition"] = content_disposition_header(False, image.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
