from django.urls import reverse

from lessons.markdown import render_markdown
from tests.factories import make_lesson


def test_script_in_a_body_never_reaches_the_page(client, trainee):
    lesson = make_lesson(body='Hello <script>alert("x")</script> <img src=x onerror=alert(1)>')
    client.force_login(trainee)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "alert(" not in page
    assert "onerror" not in page
    assert "Hello" in page


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_callouts_render_as_boxes():
    html = render_markdown('!!! warning "Never swim alone"\n    Tell the lifeguard.\n')
    assert '<div class="admonition warning">' in html
    assert '<p class="admonition-title">Never swim alone</p>' in html


def test_images_and_headings_survive():
    html = render_markdown("## Steps\n\n![Four steps](/static/lessons/img/escape-algorithm.svg)")
    assert "<h2>Steps</h2>" in html
    assert 'src="/static/lessons/img/escape-algorithm.svg"' in html
    assert 'alt="Four steps"' in html


def test_course_page_requires_login(client, db):
    response = client.get(reverse("lessons:course_list"))
    assert response.status_code == 302


def test_an_image_with_a_title_gets_a_caption_of_real_text():
    from lessons.markdown import render_markdown

    html = str(render_markdown('![The steps](/static/a.svg "Hold on <first>")\n\nText'))
    assert html.startswith('<figure><img alt="The steps" src="/static/a.svg">')
    assert "<figcaption>Hold on &lt;first&gt;</figcaption></figure>" in html
    plain = str(render_markdown("![no title](/static/a.svg)"))
    assert plain == '<p><img alt="no title" src="/static/a.svg"></p>'
