import random
from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from crampcourse.numbers import MAX_ID, bounded_int
from lessons.translation import show_in, show_one_in
from quizzes import hooks, review, selectors, services
from quizzes.forms import AttemptPageForm
from quizzes.models import AttemptQuestion, QuestionImage
from quizzes.slots import questions_per_attempt
from quizzes.translation import show_slots_in

TIME_UP = gettext_lazy(
    "Time is up. Your attempt was submitted with the answers saved before the deadline."
)


@login_required
def quiz_list(request):
    quizzes = selectors.quizzes_with_attempts(request.user).select_related("lesson")
    results = [
        (quiz, services.overall_result(quiz.grading_method, quiz.pass_mark, quiz.my_attempts))
        for quiz in quizzes
    ]
    failed = services.out_of_attempts(results, request.user)
    show_in([quiz for quiz, _result in results])
    show_in([quiz.lesson for quiz, _result in results if quiz.lesson])
    rows = [(quiz, result, quiz.pk in failed) for quiz, result in results]
    return render(request, "quizzes/quiz_list.html", {"rows": rows})


@login_required
def quiz_detail(request, slug):
    quiz = selectors.get_quiz_for(request.user, slug)
    services.finish_expired_attempts(quiz=quiz, trainee=request.user)
    attempts = list(quiz.attempts.of(request.user).order_by("number"))
    allowed = services.attempts_allowed_for(quiz, request.user)
    time_limit = services.time_limit_of(quiz, request.user)
    question_count = questions_per_attempt(quiz)
    show_one_in(quiz)
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
            "out_of_attempts": allowed is not None and len(attempts) >= allowed,
            "time_limit": time_limit.minutes if time_limit else None,
            "time_limit_note": services.time_limit_note(time_limit),
            "question_count": question_count,
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


def _page_number(request, page_count, resume_at=1):
    """The page asked for; without one, the page the trainee was last on (any device)."""
    asked = request.POST.get("page") or request.GET.get("page")
    if not asked:
        return min(max(resume_at, 1), page_count)
    # A page past the end is the last page, as before; what is not a number is the first.
    number = bounded_int(asked, low=0, high=MAX_ID, default=1)
    return min(max(number, 1), page_count)


def _question_asked_for(request, question_count):
    return bounded_int(request.POST.get("goto"), low=1, high=question_count)


def _navigator(attempt, slots):
    """Every question of the attempt with its page and state, for the sticky header."""
    size = attempt.quiz.questions_per_page
    return [
        {
            "number": slot.position,
            "page": index // size + 1,
            "answered": slot.response is not None,
            "flagged": slot.flagged,
        }
        for index, slot in enumerate(slots)
    ]


def _navigator_words():
    """What the navigator says of each question, to a screen reader; translated once a page."""
    return {
        "answered": gettext("answered"),
        "answered_flagged": gettext("answered, flagged"),
        "not_answered": gettext("not answered"),
        "not_answered_flagged": gettext("not answered, flagged"),
    }


def _seconds_left(attempt):
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _time_limit_of(attempt, trainee):
    """The attempt's time limit with how a coach's allowance made it, while that still tells
    its deadline (not cut short by the quiz's closing, nor changed since it started)."""
    usual = attempt.quiz.time_limit_minutes
    if attempt.deadline is None or not usual:
        return None
    if attempt.deadline <= attempt.started_at + timedelta(minutes=usual):
        return None  # the usual time, or less: no allowance to explain, and no query to ask
    limit = services.time_limit_of(attempt.quiz, trainee)
    if limit is None or attempt.deadline != attempt.started_at + timedelta(minutes=limit.minutes):
        return None
    return limit


def _closed_redirect(request, attempt):
    """The attempt takes no more answers: finish it if time ran out, then show the result."""
    if not attempt.is_finished:
        services.submit_attempt(attempt, timed_out=True)
        messages.warning(request, TIME_UP)
    else:
        messages.info(request, gettext("This attempt is already submitted."))
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
    slots = show_slots_in(selectors.slots_of(attempt))
    pages = _pages(attempt, slots)
    number = _page_number(request, len(pages), attempt.last_page)
    form = AttemptPageForm(pages[number - 1], request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_answers(attempt, form.responses, flags=form.flags)
            except services.AttemptClosed:
                attempt.refresh_from_db()
                return _closed_refusal(request, attempt)
            action = request.POST.get("action", "save")
            if action == "finish":
                return redirect("quizzes:attempt_summary", attempt.pk)
            target = {"next": number + 1, "previous": number - 1}.get(action, number)
            anchor = ""
            question = _question_asked_for(request, len(slots))
            if question:  # a navigator button: save this page, open that question's page
                target = (question - 1) // attempt.quiz.questions_per_page + 1
                anchor = f"#question-{question}"
            elif action == "save":
                messages.success(request, gettext("Your answers are saved."))
            target = min(max(target, 1), len(pages))
            url = reverse("quizzes:attempt_page", args=[attempt.pk])
            return redirect(f"{url}?page={target}{anchor}")
        status = 400  # the page comes back with the answers as typed and what to fix
    else:
        services.note_page(attempt, number)
    navigator = _navigator(attempt, slots)
    time_limit = _time_limit_of(attempt, request.user)
    show_one_in(attempt.quiz)
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
            "navigator": navigator,
            "words": _navigator_words(),
            "answered": sum(1 for item in navigator if item["answered"]),
            "seconds_left": _seconds_left(attempt),
            "time_limit": time_limit.minutes if time_limit else None,
            "time_limit_note": services.time_limit_note(time_limit),
        },
        status=status,
    )


@login_required
@require_POST
def attempt_autosave(request, pk):
    """The page's answers as they change (JavaScript only), through the page's own form and
    save; answers with a mistake are left as they were and the mistake is sent back. The reply
    says what is saved and how many are answered, never what is right."""
    attempt = selectors.get_own_attempt(request.user, pk)
    if attempt.is_finished or not attempt.accepts_answers_at(timezone.now()):
        if not attempt.is_finished:
            services.submit_attempt(attempt, timed_out=True)
        return JsonResponse(
            {"closed": True, "url": reverse("quizzes:attempt_result", args=[attempt.pk])},
            status=409,
        )
    slots = selectors.slots_of(attempt)
    pages = _pages(attempt, slots)
    number = _page_number(request, len(pages))
    form = AttemptPageForm(pages[number - 1], request.POST)
    form.is_valid()
    responses = form.valid_responses() if hasattr(form, "responses") else {}
    flags = getattr(form, "flags", {})
    try:
        services.save_answers(attempt, responses, flags=flags)
    except services.AttemptClosed:
        return JsonResponse(
            {"closed": True, "url": reverse("quizzes:attempt_result", args=[attempt.pk])},
            status=409,
        )
    for slot in slots:
        if slot.pk in responses:
            slot.response = responses[slot.pk]
        slot.flagged = flags.get(slot.pk, slot.flagged)
    navigator = _navigator(attempt, slots)
    errors = {str(q.number): q.errors for q in form.questions if q.errors}
    return JsonResponse(
        {
            "saved_at": timezone.localtime().strftime("%H:%M"),
            "answered": sum(1 for item in navigator if item["answered"]),
            "total": len(navigator),
            "questions": navigator,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def attempt_summary(request, pk):
    attempt = selectors.get_own_attempt(request.user, pk)
    if attempt.is_finished or not attempt.accepts_answers_at(timezone.now()):
        return _closed_redirect(request, attempt)
    slots = selectors.slots_of(attempt)
    size = attempt.quiz.questions_per_page
    rows = [(slot, (index // size) + 1) for index, slot in enumerate(slots)]
    show_one_in(attempt.quiz)
    return render(
        request,
        "quizzes/attempt_summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": rows,
            "unanswered": sum(1 for slot in slots if slot.response is None),
            "seconds_left": _seconds_left(attempt),
        },
    )


@login_required
@require_POST
def submit_attempt(request, pk):
    attempt = selectors.get_own_attempt(request.user, pk)
    attempt, finished_now = services.submit_attempt(attempt, timed_out=None)
    if not finished_now:
        messages.info(request, gettext("This attempt was already submitted; it was scored once."))
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
    slots = show_slots_in(selectors.slots_of(attempt))
    quiz = attempt.quiz
    is_own = attempt.trainee_id == request.user.pk
    shows = review.review_shows(attempt, request.user)
    attempts_left = None
    next_lesson = None
    if is_own and attempt.passed:
        next_lesson = selectors.next_lesson_after(quiz, request.user)
    elif is_own:
        allowed = services.attempts_allowed_for(quiz, request.user)
        if allowed is not None:
            attempts_left = max(0, allowed - services.attempts_used(quiz, request.user))
    feedback = ""
    if shows.overall_feedback:
        feedback = quiz.feedback_for(
            attempt.percent, passed=attempt.passed, pass_mark=attempt.pass_mark
        )
    show_one_in(quiz)
    if next_lesson is not None:
        show_one_in(next_lesson)
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "is_own": is_own,
            "feedback": feedback,
            "attempts_left": attempts_left,
            "next_lesson": next_lesson,
            "misses": review.must_pass_misses(slots, shows),
            "notes": hooks.result_notes(attempt) if is_own else [],
            "rows": review.review_attempt(slots, shows),
            "shows": shows,
        },
    )


@staff_member_required
def quiz_preview(request, slug):
    """The quiz as a trainee sees it, to answer and check: a staff try, never an attempt.

    The options are shuffled from a seed the page carries, so the answers sent back are read
    against the same order that was shown."""
    quiz = selectors.get_quiz_for(request.user, slug)
    questions = list(quiz.questions.select_related("lesson__course").prefetch_related("options"))
    versions = services.current_versions(questions)
    seed = bounded_int(request.POST.get("seed"), low=0, high=10**9 - 1)
    if seed is None:
        seed = random.SystemRandom().randrange(10**9)
    rng = random.Random(seed)
    slots = show_slots_in(
        [
            AttemptQuestion(
                pk=position,
                version=version,
                position=position,
                layout=services.layout_for(version.data, quiz.shuffle_options, rng),
            )
            for position, version in enumerate(versions, start=1)
        ]
    )
    form = AttemptPageForm(slots, request.POST if request.method == "POST" else None, preview=True)
    checked = review.check_preview(slots, form) if request.method == "POST" else None
    return render(
        request,
        "quizzes/quiz_preview.html",
        {
            "quiz": quiz,
            "form": form,
            "question_count": len(slots),
            "preview": True,
            "seed": seed,
            "checked": checked,
        },
        status=400 if form.is_bound and form.errors else 200,
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
