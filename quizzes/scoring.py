"""Scoring rules: one plain function per question type.

Each scorer takes the frozen question data (QuestionVersion.data) and the trainee's response in
its stored form, and returns the fraction of the question's points earned, a Decimal from 0 to 1.
A scorer never raises on a strange response: anything it cannot read earns 0.

Rules (the README repeats them for coaches):
- single choice, true/false: the chosen option's weight (100 for the right one).
- multiple response: the sum of the chosen options' weights, so a wrong tick with a negative
  weight costs marks; the total is kept between 0 and 100%.
  Worked example: weights A 50, B 50, C -50. Ticking A and C earns 50 - 50 = 0; A and B 100%.
- ordering: the longest set of items that stand in the right order relative to each other
  (not necessarily side by side), divided by the number of items. A lone item earns nothing.
  Worked example: right order A B C D; answer A B D C keeps A B C (or A B D) in order: 3/4.
  D C B A keeps only one item in order: 0.
- matching: the share of items paired with their right answer; distractors earn nothing.
- numerical: the best weight among the accepted answers whose value +/- tolerance contains
  the number given.
- short answer: the best weight among accepted answers equal to the text given, ignoring case
  and surrounding or repeated spaces.
"""

from bisect import bisect_left
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
FRACTION_PLACES = Decimal("0.0001")
POINT_PLACES = Decimal("0.01")


def _clamp(value):
    return min(ONE, max(ZERO, value)).quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)


def _weights(data):
    return {option["key"]: Decimal(option["weight"]) for option in data["options"]}


def score_choice(data, response):
    """Single choice and true/false."""
    chosen = (response or {}).get("option")
    weight = _weights(data).get(chosen, ZERO) if isinstance(chosen, str) else ZERO
    return _clamp(weight / HUNDRED)


def score_multiple(data, response):
    chosen = (response or {}).get("options")
    if not isinstance(chosen, list):
        return ZERO
    weights = _weights(data)
    keys = {key for key in chosen if isinstance(key, str)}  # stored JSON may hold anything
    total = sum((weights[key] for key in keys if key in weights), ZERO)
    return _clamp(total / HUNDRED)


def longest_ordered_run(positions):
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails = []
    for position in positions:
        index = bisect_left(tails, position)
        if index == len(tails):
            tails.append(position)
        else:
            tails[index] = position
    return len(tails)


def _right_positions(data, response):
    """The right position of each item, in the order the trainee put them; None if unreadable."""
    order = response.get("order") if isinstance(response, dict) else None
    right = {option["key"]: index for index, option in enumerate(data["options"])}
    if not isinstance(order, list) or not all(isinstance(key, str) for key in order):
        return None
    if sorted(order) != sorted(right):
        return None
    return [right[key] for key in order]


def score_ordering(data, response):
    positions = _right_positions(data, response)
    if positions is None:
        return ZERO
    run = longest_ordered_run(positions)
    return _clamp(Decimal(run) / Decimal(len(positions))) if run > 1 else ZERO


def misplaced_items(data, response):
    """Texts of the items outside the longest correctly ordered run (all of them if unanswered)."""
    positions = _right_positions(data, response)
    items = data["options"]
    if positions is None:
        return [item["text"] for item in items]
    # Recover one longest increasing subsequence to know which items are in place.
    best = [1] * len(positions)
    previous = [-1] * len(positions)
    for i, position in enumerate(positions):
        for j in range(i):
            if positions[j] < position and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    keep, index = set(), max(range(len(best)), key=best.__getitem__, default=-1)
    while index != -1:
        keep.add(positions[index])
        index = previous[index]
    if len(keep) < 2:
        keep = set()
    return [items[p]["text"] for p in sorted(positions) if p not in keep]


def matching_items(data):
    return [option for option in data["options"] if option["text"]]


def matching_answers(data):
    """Distinct answers, distractors included, in authoring order."""
    answers = []
    for option in data["options"]:
        if option["match_text"] and option["match_text"] not in answers:
            answers.append(option["match_text"])
    return answers


def score_matching(data, response):
    matches = (response or {}).get("matches")
    items = matching_items(data)
    if not isinstance(matches, dict) or not items:
        return ZERO
    right = sum(1 for item in items if matches.get(item["key"]) == item["match_text"])
    return _clamp(Decimal(right) / Decimal(len(items)))


# Numbers a trainee may answer or a question file may hold: far beyond any swimming answer, yet
# small enough that Decimal arithmetic on them can never overflow (1e999999999 once did).
NUMBER_LIMIT = Decimal("1e12")
MAX_DECIMAL_PLACES = 10
NOT_A_NUMBER = gettext_lazy("Enter a number, for example 200 or 2.5.")
NUMBER_OUT_OF_RANGE = gettext_lazy(
    "Enter a number smaller than a million million, with at most 10 digits after the point."
)


class NumberRefused(ValueError):
    """Text that is not a number we can mark; the message says so in plain words."""


def is_sane_number(number):
    """Finite and inside +/- NUMBER_LIMIT: safe for any arithmetic scoring does."""
    return number.is_finite() and -NUMBER_LIMIT < number < NUMBER_LIMIT


def read_number(text):
    """A number typed on a phone: spaces ignored, a decimal comma accepted.

    Raises NumberRefused for anything else, and for numbers out of range or too precise.
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise NumberRefused(NOT_A_NUMBER)
    if isinstance(text, int) and not -NUMBER_LIMIT < text < NUMBER_LIMIT:
        raise NumberRefused(NUMBER_OUT_OF_RANGE)  # before str(), which refuses huge ints
    cleaned = str(text).strip().replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise NumberRefused(NOT_A_NUMBER) from error
    if not number.is_finite():
        raise NumberRefused(NOT_A_NUMBER)
    # The exponent too: 0e99999999 is zero, but no phone types it.
    exponent = number.as_tuple().exponent
    if not is_sane_number(number) or not -MAX_DECIMAL_PLACES <= exponent < NUMBER_LIMIT.adjusted():
        raise NumberRefused(NUMBER_OUT_OF_RANGE)
    return number


def parse_number(text):
    """The number in a stored or typed answer; None if it is not one we can mark."""
    try:
        return read_number(text)
    except NumberRefused:
        return None


def is_within(option, response):
    """Whether a numerical answer's number is within this option's value and tolerance."""
    number = parse_number((response or {}).get("value"))
    if number is None or option.get("value") is None:
        return False
    tolerance = Decimal(option.get("tolerance") or 0)
    return abs(number - Decimal(option["value"])) <= tolerance


def score_numerical(data, response):
    weights = [Decimal(o["weight"]) for o in data["options"] if is_within(o, response)]
    return _clamp(max(weights, default=ZERO) / HUNDRED)


def normalise_text(text):
    return " ".join(str(text).split()).casefold()


def accepted_texts(data, position):
    """The texts an accepted answer is known by: its own and its translations' (by position,
    so an answer given in any language of the question earns the same weight)."""
    texts = {normalise_text(data["options"][position]["text"])}
    for translated in (data.get("translations") or {}).values():
        options = translated.get("options") or []
        if position < len(options) and options[position].get("text"):
            texts.add(normalise_text(options[position]["text"]))
    return texts


def score_short_answer(data, response):
    given = (response or {}).get("text")
    if not isinstance(given, str) or not given.strip():
        return ZERO
    given = normalise_text(given)
    weights = [
        Decimal(option["weight"])
        for position, option in enumerate(data["options"])
        if given in accepted_texts(data, position)
    ]
    return _clamp(max(weights, default=ZERO) / HUNDRED)


SCORERS = {
    "single": score_choice,
    "truefalse": score_choice,
    "multiple": score_multiple,
    "ordering": score_ordering,
    "matching": score_matching,
    "numerical": score_numerical,
    "shortanswer": score_short_answer,
}


def score_response(data, response):
    """Fraction of the points earned by a response to a question (0 for no response)."""
    if not isinstance(response, dict):
        return ZERO
    return SCORERS[data["type"]](data, response)


def points_for(data, fraction):
    return (Decimal(data["points"]) * fraction).quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def percent_of(score, max_score):
    if not max_score:
        return ZERO
    return (Decimal(score) * HUNDRED / Decimal(max_score)).quantize(
        POINT_PLACES, rounding=ROUND_HALF_UP
    )


def full_marks_response(data):
    """A response that earns full marks (for demo data and checks)."""
    options = data["options"]
    best = max(options, key=lambda o: Decimal(o["weight"]), default=None)
    kind = data["type"]
    if kind in ("single", "truefalse"):
        return {"option": best["key"]}
    if kind == "multiple":
        return {"options": [o["key"] for o in options if Decimal(o["weight"]) > 0]}
    if kind == "ordering":
        return {"order": [o["key"] for o in options]}
    if kind == "matching":
        return {"matches": {o["key"]: o["match_text"] for o in matching_items(data)}}
    if kind == "numerical":
        return {"value": best["value"]}
    return {"text": best["text"]}


def option_words(option):
    """An option in words: its text, or for a picture alone the picture's alt text."""
    return option["text"] or " ".join(image["alt"] for image in option.get("images", []))


def wrong_answers(data, response):
    """Plain-words labels for what was wrong in a response, for a coach's item analysis."""
    response = response if isinstance(response, dict) else {}
    options = {option["key"]: option for option in data["options"]}
    kind = data["type"]
    if kind in ("single", "truefalse"):
        key = response.get("option")
        chosen = options.get(key) if isinstance(key, str) else None
        if chosen and Decimal(chosen["weight"]) < HUNDRED:
            return [option_words(chosen)]
        return []
    if kind == "multiple":
        chosen = response.get("options")
        chosen = [key for key in chosen if isinstance(key, str)] if isinstance(chosen, list) else []
        return [
            option_words(options[key])
            for key in dict.fromkeys(chosen)
            if key in options and Decimal(options[key]["weight"]) <= 0
        ]
    if kind == "ordering":
        if not response:
            return []
        return [f"{text} (out of place)" for text in misplaced_items(data, response)]
    if kind == "matching":
        matches = response.get("matches")
        if not isinstance(matches, dict):
            return []
        return [
            f"{item['text']} → {matches[item['key']]}"
            for item in matching_items(data)
            if matches.get(item["key"]) not in (None, "", item["match_text"])
        ]
    given = response.get("value" if kind == "numerical" else "text")
    if given in (None, "") or score_response(data, response) == ONE:
        return []
    return [normalise_text(given)]
