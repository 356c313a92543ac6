"""A trainee's phone, as far as the server can tell: real HTTP, cookies, forms, CSRF tokens.

Standard library only, so the load tests need nothing beyond the app's own dependencies.
"""

import http.cookiejar
import random
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The inputs, selects and buttons of every form on a page."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": [], "selects": {}})
        elif not self.forms:
            return
        elif tag in ("input", "button") and attrs.get("name"):
            kind = attrs.get("type", "text" if tag == "input" else "submit")
            self.forms[-1]["fields"].append((attrs["name"], kind, attrs.get("value", "")))
        elif tag == "select":
            self._select = attrs["name"]
            self.forms[-1]["selects"][self._select] = []
        elif tag == "option" and self._select:
            self.forms[-1]["selects"][self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read_forms(html):
    reader = FormReader()
    reader.feed(html)
    return reader.forms


class Phone:
    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.statuses = []

    def request(self, path, data=None):
        """(final status, final URL, body), following redirects as a browser does."""
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if body is not None:
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, timeout=60) as response:
                result = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            result = error.code, url, error.read().decode(errors="replace")
        self.statuses.append(result[0])
        return result

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def log_in(self, username, password):
        self.request("/accounts/login/")
        return self.request(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )


def random_answers(form, rng):
    """Answers for every question on an attempt page, chosen as a hurried trainee might."""
    data = defaultdict(list)
    radios, checks = defaultdict(list), defaultdict(list)
    for name, kind, value in form["fields"]:
        if kind == "hidden":
            data[name].append(value)
        elif kind == "radio":
            radios[name].append(value)
        elif kind == "checkbox":
            checks[name].append(value)
        elif kind == "text":
            data[name].append(rng.choice(["3", "4", "4,0", " 12 ", ""]))
    for name, values in radios.items():
        if rng.random() < 0.9:
            data[name].append(rng.choice(values))
    for name, values in checks.items():
        data[name].extend(v for v in values if rng.random() < 0.5)
    by_question = defaultdict(list)
    for name in form["selects"]:
        by_question[name.rsplit("-", 1)[0]].append(name)
    for names in by_question.values():
        values = [v for v in form["selects"][names[0]] if v]
        if values == [str(p) for p in range(1, len(names) + 1)]:  # ordering: a permutation
            for name, position in zip(names, rng.sample(values, len(values)), strict=True):
                data[name].append(position)
        else:  # matching: any answer for each item
            for name in names:
                data[name].append(rng.choice(values))
    return dict(data)


def start_quiz(phone, quiz_slug):
    """Open the quiz and press Start: (status, url, html of the first page)."""
    phone.request(f"/quizzes/{quiz_slug}/")
    return phone.request(f"/quizzes/{quiz_slug}/start/", {"csrfmiddlewaretoken": phone.csrf()})


def answer_form(html):
    return next(f for f in read_forms(html) if "/attempts/" in f["action"])


def answer_pages(phone, html, rng):
    """Answer every page at random and press finish: (summary html, answers sent by page)."""
    sent = []
    while True:
        form = answer_form(html)
        answers = random_answers(form, rng)
        actions = [value for name, _, value in form["fields"] if name == "action"]
        answers["action"] = ["next" if "next" in actions else "finish"]
        sent.append({k: v for k, v in answers.items() if k != "csrfmiddlewaretoken"})
        _, _, html = phone.request(form["action"], answers)
        if answers["action"] == ["finish"]:
            return html, sent


def submit_from(phone, summary_html):
    submit = next(f for f in read_forms(summary_html) if f["action"].endswith("/submit/"))
    return phone.request(submit["action"], {"csrfmiddlewaretoken": phone.csrf()})


def take_quiz(phone, quiz_slug, seed):
    """Start the quiz, answer every page at random, submit: (status, url, answers sent)."""
    _, _, html = start_quiz(phone, quiz_slug)
    summary, sent = answer_pages(phone, html, random.Random(seed))
    status, url, _ = submit_from(phone, summary)
    return status, url, sent
