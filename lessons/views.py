from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lessons import hooks, selectors, services
from lessons.translation import is_unreviewed_translation, show_in, show_one_in, shown_value


@login_required
def course_list(request):
    courses = selectors.visible_courses(request.user)
    if len(courses) == 1:
        return redirect(courses[0])
    return render(request, "lessons/course_list.html", {"courses": show_in(list(courses))})


@login_required
def course_detail(request, slug):
    course = selectors.get_course_for(request.user, slug)
    lessons = list(selectors.lessons_with_progress(request.user, course))
    show_one_in(course)
    show_in(lessons)
    return render(
        request,
        "lessons/course_detail.html",
        {
            "course": course,
            "lessons": lessons,
            "progress": selectors.course_progress(lessons),
        },
    )


@login_required
def lesson_detail(request, course_slug, lesson_slug):
    lesson, siblings = selectors.lesson_with_siblings(request.user, course_slug, lesson_slug)
    course = lesson.course
    position = next(i for i, sibling in enumerate(siblings) if sibling.pk == lesson.pk)
    if not request.user.is_staff and lesson.started_at is None:
        services.mark_lesson_started(request.user, lesson)
    next_steps = hooks.next_steps(lesson, request.user)
    show_one_in(course)
    show_in(siblings)  # the lesson is one of them
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "previous": siblings[position - 1] if position else None,
            "next": siblings[position + 1] if position + 1 < len(siblings) else None,
            "position": position + 1,
            "total": len(siblings),
            "next_steps": next_steps,
            "unreviewed_translation": is_unreviewed_translation(lesson),
        },
    )


@login_required
@require_POST
def mark_read(request, course_slug, lesson_slug):
    course = selectors.get_course_for(request.user, course_slug)
    lesson = get_object_or_404(
        selectors.lessons_with_progress(request.user, course), slug=lesson_slug
    )
    if request.POST.get("unread"):
        services.mark_lesson_unread(request.user, lesson)
        messages.info(
            request,
            gettext("“%(title)s” is marked as not read.") % {"title": shown_value(lesson, "title")},
        )
        return redirect(lesson)
    services.mark_lesson_read(request.user, lesson)
    messages.success(
        request, gettext("“%(title)s” is marked as read.") % {"title": shown_value(lesson, "title")}
    )
    return redirect(lesson)
