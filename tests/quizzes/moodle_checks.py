"""What Moodle itself checks when it imports a file, written out for our exports.

From Moodle's qformat_xml, qformat_gift and qformat_default::importprocess: a question needs a
name (xmlimportnoname), a known text format, and every answer grade within 0.00001 of
question_bank::fraction_options_full, or the whole import stops; GIFT reads a weight only in
the shape %-NN.NNN% (its answerweightparser); ordering answers carry their position instead.
These helpers list every such problem, so a test can assert there are none.
"""

import base64
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import unquote

# Moodle's list, as fractions with seven decimals (lib/questionlib.php).
_FRACTIONS = """1.0 0.9 0.8333333 0.8 0.75 0.7 0.6666667 0.6 0.5 0.4 0.3333333 0.3 0.25 0.2
    0.1666667 0.1428571 0.125 0.1111111 0.1 0.05"""
MOODLE_FRACTIONS = [Decimal(f) for f in _FRACTIONS.split()]
MOODLE_FRACTIONS += [-f for f in MOODLE_FRACTIONS] + [Decimal(0)]
XML_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown", "wiki_like"}
GIFT_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")


def moodle_accepts_grade(percent):
    fraction = Decimal(percent) / 100
    return any(abs(fraction - grade) < Decimal("0.00001") for grade in MOODLE_FRACTIONS)


def _text_problems(element, where):
    problems = []
    if element.get("format") is not None and element.get("format") not in XML_FORMATS:
        problems.append(f"{where}: unknown format {element.get('format')!r}")
    files = {
        f"{file.get('path', '/').strip('/')}/{file.get('name')}".lstrip("/"): file
        for file in element.findall("file")
    }
    for file in files.values():
        if file.get("encoding") != "base64" or not base64.b64decode(file.text or "", validate=True):
            problems.append(f"{where}: the file {file.get('name')} is not base64")
    for link in PLUGINFILE.findall(element.findtext("text") or ""):
        if unquote(link) not in files:
            problems.append(f"{where}: @@PLUGINFILE@@/{link} has no <file>")
    return problems


def moodle_xml_problems(text):
    """Every reason Moodle would refuse or mangle a Moodle XML file; empty when it imports."""
    root = ET.fromstring(text.encode())
    if root.tag != "quiz":
        return ["the outer element is not <quiz>"]
    problems = []
    for number, question in enumerate(root.findall("question"), start=1):
        kind = question.get("type")
        where = f"question {number} ({kind})"
        if kind == "category":
            if not (question.findtext("category/text") or "").strip():
                problems.append(f"{where}: a category needs its path")
            continue
        if not (question.findtext("name/text") or "").strip():
            problems.append(f"{where}: no name (Moodle: xmlimportnoname)")
        questiontext = question.find("questiontext")
        if questiontext is None or questiontext.find("text") is None:
            problems.append(f"{where}: no <questiontext><text>")
            continue
        for element in question.iter():
            if element.find("text") is not None:
                problems += _text_problems(element, f"{where} <{element.tag}>")
        try:
            if Decimal(question.findtext("defaultgrade", "1")) < 0:
                problems.append(f"{where}: negative default grade")
        except ArithmeticError:
            problems.append(f"{where}: the default grade is not a number")
        answers = question.findall("answer")
        fractions = [Decimal(a.get("fraction", "0")) for a in answers]
        if kind == "ordering":
            if sorted(fractions) != list(range(1, len(answers) + 1)):
                problems.append(f"{where}: ordering answers must give positions 1..n")
            continue
        problems += [
            f"{where}: the grade {f} is not on Moodle's list"
            for f in fractions
            if not moodle_accepts_grade(f)
        ]
        if kind == "truefalse":
            said = sorted((a.findtext("text") or "").strip() for a in answers)
            if said != ["false", "true"]:
                problems.append(f"{where}: true/false needs the answers true and false")
        if kind == "multichoice":
            if question.findtext("single") not in ("true", "false"):
                problems.append(f"{where}: <single> must be true or false")
            if question.findtext("single") == "true" and 100 not in fractions:
                problems.append(f"{where}: single choice needs an answer at 100%")
            if question.findtext("single") == "false":
                total = sum(f for f in fractions if f > 0)
                if round(total / 100, 2) != 1:  # as Moodle's edit form rounds it
                    problems.append(f"{where}: the right answers add up to {total}%, not 100%")
        if kind == "numerical":
            for answer in answers:
                said = (answer.findtext("text") or "").strip()
                if said != "*":
                    Decimal(said)  # a number, or the test fails here
                Decimal(answer.findtext("tolerance", "0"))
        if kind in ("shortanswer", "numerical") and 100 not in fractions:
            problems.append(f"{where}: no answer at 100%")
        if kind == "matching" and len(question.findall("subquestion")) < 2:
            problems.append(f"{where}: matching needs two subquestions")
    return problems


def gift_problems(text):
    """Every reason Moodle's GIFT import would refuse or misread a file we wrote."""
    problems = []
    for number, block in enumerate(re.split(r"\n\s*\n", text), start=1):
        lines = [line for line in block.strip().splitlines() if not line.startswith("//")]
        body = "\n".join(lines).strip()
        if not body or body.startswith("$CATEGORY:"):
            continue
        unescaped = re.sub(r"\\.", "", body)
        if not body.startswith("::") or unescaped.count("::") < 2:
            problems.append(f"block {number}: no ::name::")
        if unescaped.count("{") != 1 or unescaped.count("}") != 1:
            problems.append(f"block {number}: the answers must be one {{...}} block")
        answers = unescaped[unescaped.find("{") + 1 : unescaped.find("}")]
        for weight in re.findall(r"[=~](%[^%]*%)", answers):
            match = GIFT_WEIGHT.match(weight)
            if not match or match.group(0) != weight:
                problems.append(f"block {number}: Moodle cannot read the weight {weight}")
            elif not moodle_accepts_grade(weight.strip("%")):
                problems.append(f"block {number}: the weight {weight} is not on Moodle's list")
    return problems
