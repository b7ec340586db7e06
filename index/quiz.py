"""Quiz questions made from the documents: a sentence stating a checkable fact, the fact
blanked, the passage's own words as the right option and facts of the same kind from
elsewhere in the corpus as the wrong ones.

Three kinds of fact: a number with its unit ("đủ 18 tuổi", "30 ngày làm việc", "hai phần
ba"), a list of forms or cases ("khiển trách, cảnh cáo, cách chức, khai trừ") and a body
that decides ("do cấp ủy trực thuộc Trung ương xem xét, quyết định"). A candidate is
rejected, and the rule counted in `Bank.rejected`, when it cannot be made sound:

- `date`: the number is part of a date ("19 tháng 01 năm 2011");
- `leak`: the right answer is still in the question;
- `negated`: the blank follows a negation ("không nhất thiết là ____"): any wrong value is true;
- `orphan`: the sentence has no subject of its own ("Được lập …", "Do … quyết định" without its lead-in);
- `series`: the fact is one of a series ("30 năm, 40 năm, 45 năm, …"), guessed from its neighbours;
- `short`: too little of the sentence is left around the blank to decide;
- `relative`: the body is named by its relation ('cấp ủy cấp trên trực tiếp'): it may be
  the body a wrong option names (such bodies are never wrong options either);
- `too_long`: the sentence does not fit Telegram's 300 characters around the blank;
- `few_options`: fewer than two wrong options survive the rules on options below.

A wrong option is dropped when it equals the right one (numbers by value: "mười hai
tháng" is "12 tháng"; bodies by their words, either containing the other), when the
passage itself states it, when another passage states it in a sentence like this one
(it would be true there too), or when the sentence's bound makes it true ("phải được ít
nhất hai phần ba" makes "ít nhất một nửa" true: only above a required lower bound and below
a required upper one; the other way round for a condition, "chi bộ có 9 đảng viên chính
thức trở lên bầu chi ủy").
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from index.models import Document, Passage

if TYPE_CHECKING:
    from index.search import Searcher
from index.text import fold, normalize, sentence_spans

MAX_QUESTION, MAX_OPTION, MAX_EXPLANATION = 300, 100, 200  # Telegram's limits for quiz polls
WRONG_OPTIONS = 3
MIN_CONTEXT_WORDS = 7  # words of the question besides the blank and the "Theo …:" prefix
ALSO_TRUE_OVERLAP = 0.5  # a sentence sharing this much of ours states the same rule
BLANK = "____"

_DIGITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6,
           "bảy": 7, "tám": 8, "chín": 9}
_NUMWORD = r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm)"
_NUMBER = rf"(?:\d+(?:[.,]\d+)?|{_NUMWORD}(?:\s+{_NUMWORD}){{0,3}})"
COUNTS = ("đảng viên", "tổ chức cơ sở đảng", "chi bộ")
_UNITS = ("ngày làm việc", "tuổi", "tháng", "ngày", "năm", "tuần", "giờ", "đảng viên",
          "tổ chức cơ sở đảng", "chi bộ")
QUANTITY_RE = re.compile(
    rf"(?<![\w/.,-])(?P<num>{_NUMBER})\s+(?P<unit>{'|'.join(_UNITS)})(?![\w-])"
    rf"|(?<![\w/.,-])(?P<pnum>{_NUMBER})\s*(?P<pct>%)"
    rf"|(?<![\w/.,-])(?P<fnum>{_NUMWORD})\s+phần\s+(?P<fden>{_NUMWORD}|tư|mười)(?![\w-])"
    r"|(?<![\w-])(?P<half>một nửa)(?![\w-])",
    re.IGNORECASE,
)
_BODY_HEADS = (r"ban thường vụ(?: cấp (?:uỷ|ủy)| đảng (?:uỷ|ủy)| tỉnh (?:uỷ|ủy)| thành (?:uỷ|ủy))?",
               r"ban chấp hành trung ương", r"bộ chính trị", r"ban bí thư",
               r"(?:uỷ|ủy) ban kiểm tra", r"cấp (?:uỷ|ủy)", r"chi bộ", r"đảng (?:uỷ|ủy)", r"tổ chức đảng")
_BODY_TAIL = (r"(?:\s+(?:cấp trên trực tiếp|cấp trên|cơ sở|trực thuộc trung ương|cùng cấp|"
              r"có thẩm quyền|được ủy quyền|được uỷ quyền|cấp tỉnh|cấp huyện|cấp xã|trung ương))*")
BODY = rf"(?:{'|'.join(_BODY_HEADS)}){_BODY_TAIL}"
DECIDES_RE = re.compile(
    rf"(?:\bdo\s+|\bđược\s+|\blên\s+|\bcủa\s+)(?P<body>{BODY})(?=\s*(?:xem xét,?\s*)?"
    rf"(?:quyết định|đồng ý|chuẩn y|phê duyệt|chỉ định|cho phép|xem xét)\b)",
    re.IGNORECASE,
)
LIST_RE = re.compile(r":\s*(?P<items>[^.;:()]{3,40}(?:,\s*[^.;:,()]{3,40}){2,7})\s*[;.]?\s*$")
ORPHAN_RE = re.compile(r"^(?:Được|Do|Là|Có|Phải|Không|Và|Nếu|Thì|Còn|Gồm|Trong đó)\b")
DEPENDENT_RE = re.compile(r"^(?:Khi|Trường hợp|Nếu|Trong đó|Đối với|Riêng)\b|" + ORPHAN_RE.pattern[1:])
NEGATED_RE = re.compile(r"(?:không nhất thiết(?: là)?|không phải(?: là)?|chưa)\s*$", re.IGNORECASE)
UPPER_RE = re.compile(r"(?:không quá|tối đa|dưới|chậm nhất|chậm quá|không được quá)\s*$", re.IGNORECASE)
LOWER_RE = re.compile(r"(?:ít nhất có|ít nhất là|ít nhất|tối thiểu|trên|từ|đủ|không dưới|phải sau|sau)\s*$",
                      re.IGNORECASE)
DEADLINE_RE = re.compile(r"(?:trong thời hạn|trong vòng|chậm nhất|chậm quá)\s*$", re.IGNORECASE)
REJECTIONS = ("leak", "negated", "orphan", "series", "short", "too_long")
_LEAD_RE = re.compile(r"^\s*(?:[-+•]|[a-zđ]\)|\d+(?:\.\d+)*\.)\s*", re.IGNORECASE)
_DATE_NEAR = re.compile(r"^\s*(?:\d|năm\s+\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Fact:
    """A checkable fact in a passage: its kind ('quantity', 'body', 'list'), the key two
    facts are equal by, the words as written and their span in the passage."""

    kind: str
    key: tuple[object, ...]
    text: str
    start: int
    end: int
    unit: str = ""  # a quantity's unit as written: "ngày làm việc", "tháng"

    @property
    def group(self) -> str:
        """Facts of one group can stand for each other: a unit, 'fraction', 'body', 'list'."""
        return str(self.key[0])


@dataclass(frozen=True)
class QuizQuestion:
    """One quiz poll: the blanked sentence, the options, the right one, the citation."""

    question: str
    options: tuple[str, ...]
    correct_option_id: int
    explanation: str
    passage: str
    passage_id: str
    doc_id: str
    location: str | None
    kind: str

    @property
    def answer(self) -> str:
        """The right option."""
        return self.options[self.correct_option_id]


# -- numbers --------------------------------------------------------------------------------


def number_value(words: str) -> Fraction | None:
    """The value of a number written in digits or Vietnamese words; None when not a number.

    >>> number_value("mười hai"), number_value("hai mươi lăm"), number_value("97,08"), number_value("năm một")
    (Fraction(12, 1), Fraction(25, 1), Fraction(2427, 25), None)
    """
    w = words.lower().split()
    if len(w) == 1 and re.fullmatch(r"\d+(?:[.,]\d+)?", w[0]):
        if re.fullmatch(r"\d+\.\d{3}", w[0]):  # 8.137: a thousands separator
            return Fraction(w[0].replace(".", ""))
        return Fraction(w[0].replace(",", "."))
    return _words_value(w)


def _words_value(w: list[str]) -> Fraction | None:
    if w == ["mười"]:
        return Fraction(10)
    if len(w) == 1 and w[0] in _DIGITS and w[0] not in ("mốt", "lăm"):
        return Fraction(_DIGITS[w[0]])
    if len(w) == 2 and w[0] == "mười" and w[1] in _DIGITS and w[1] not in ("mốt", "tư", "một"):
        return Fraction(10 + _DIGITS[w[1]])
    if len(w) in (2, 3) and w[0] in _DIGITS and w[1] == "mươi" and w[0] not in ("một", "mốt", "lăm"):
        tail = _DIGITS.get(w[2]) if len(w) == 3 else 0
        return None if tail is None or (len(w) == 3 and w[2] == "một") else Fraction(10 * _DIGITS[w[0]] + tail)
    return None


def number_words(n: int) -> str | None:
    """A whole number below 100 in Vietnamese words.

    >>> number_words(12), number_words(25), number_words(21), number_words(5)
    ('mười hai', 'hai mươi lăm', 'hai mươi mốt', 'năm')
    """
    names = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    if not 0 < n < 100:
        return None
    tens, unit = divmod(n, 10)
    if tens == 0:
        return names[unit]
    head = "mười" if tens == 1 else f"{names[tens]} mươi"
    last = "" if unit == 0 else "lăm" if unit == 5 else "mốt" if unit == 1 and tens > 1 else names[unit]
    return f"{head} {last}".strip()


# -- facts ----------------------------------------------------------------------------------


def quantities(text: str) -> list[Fact]:
    """Numbers with their unit, shares and fractions ('hai phần ba'), dates left out.

    >>> [f.text for f in quantities("phải đủ 18 tuổi, dự bị mười hai tháng, ngày 19 tháng 01 năm 2011")]
    ['18 tuổi', 'mười hai tháng']
    """
    found = []
    for m in QUANTITY_RE.finditer(text):
        fact = _quantity(m)
        if fact is not None and not _in_date(text, m):
            found.append(fact)
    return found


def _quantity(m: re.Match[str]) -> Fact | None:
    """The fact a QUANTITY_RE match states, or None when its number does not parse."""
    if m.group("half"):
        return Fact("quantity", ("fraction", Fraction(1, 2)), m.group(0), m.start(), m.end())
    if m.group("fnum"):
        num, den = number_value(m.group("fnum")), number_value(m.group("fden").replace("tư", "bốn"))
        if not num or not den or num >= den:
            return None
        return Fact("quantity", ("fraction", num / den), m.group(0), m.start(), m.end())
    unit = (m.group("unit") or "%").lower()
    value = number_value(m.group("num") or m.group("pnum"))
    if value is None or (value == 1 and unit in COUNTS):  # "một đảng viên": an article, not a count
        return None
    return Fact("quantity", (unit, value), m.group(0), m.start(), m.end(), m.group("unit") or "%")


def _in_date(text: str, m: re.Match[str]) -> bool:
    """'19 tháng 01', '01 năm 2011', 'tháng 5 năm', 'ngày 1 tháng': a date, not a duration."""
    unit = (m.group("unit") or "").lower()
    before = text[max(0, m.start() - 8):m.start()].lower()
    after = text[m.end():m.end() + 8]
    return bool(unit in ("tháng", "năm", "ngày") and _DATE_NEAR.match(after)) or bool(
        re.search(r"(?:ngày|tháng)\s*$", before))


def bodies(text: str) -> list[Fact]:
    """The bodies that decide: 'do X (xem xét,) quyết định', 'được X đồng ý', 'lên X xem xét'.

    >>> [f.text for f in bodies("Việc kết nạp do cấp ủy trực thuộc Trung ương xem xét, quyết định.")]
    ['cấp ủy trực thuộc Trung ương']
    """
    return [Fact("body", ("body", body_key(m.group("body"))), m.group("body"), m.start("body"), m.end("body"))
            for m in DECIDES_RE.finditer(text) if body_key(m.group("body")) not in GENERIC_BODIES]


GENERIC_BODIES = frozenset({"cấp ủy", "tổ chức đảng", "cấp ủy có thẩm quyền", "tổ chức đảng có thẩm quyền",
                            "tổ chức đảng cấp trên", "cấp ủy cấp trên"})


RELATIVE_RE = re.compile(r"cấp trên|cấp dưới|cùng cấp|có thẩm quyền|được ủy quyền|^ban thường vụ(?: cấp ủy| đảng ủy)?$")


def relative(key: str) -> bool:
    """A body named by its relation to another ('cấp ủy cấp trên trực tiếp'): which body it
    is depends on the case, so it may be the very one a wrong option names.

    >>> relative("cấp ủy cấp trên trực tiếp"), relative("chi bộ")
    (True, False)
    """
    return bool(RELATIVE_RE.search(key))


def body_key(words: str) -> str:
    """The words of a body, lowercased in one spelling ('cấp uỷ' is 'cấp ủy')."""
    return " ".join(normalize(words).lower().split())


def lists(text: str, sentence: tuple[int, int]) -> list[Fact]:
    """A list of three to eight short items closing a sentence after a colon.

    >>> t = "Đối với đảng viên chính thức: khiển trách, cảnh cáo, cách chức, khai trừ;"
    >>> [f.text for f in lists(t, (0, len(t)))]
    ['khiển trách, cảnh cáo, cách chức, khai trừ']
    """
    m = LIST_RE.search(text[sentence[0]:sentence[1]])
    if not m:
        return []
    items = list_items(m.group("items"))
    if len(items) < 3 or len(m.group("items")) > MAX_OPTION or any(len(i.split()) > 6 for i in items):
        return []
    start = sentence[0] + m.start("items")
    return [Fact("list", ("list", frozenset(items)), m.group("items").strip(), start,
                 start + len(m.group("items").strip()))]


def list_items(words: str) -> tuple[str, ...]:
    """The items of a list, lowercased in one spelling ('A, B và C' has two: 'và' may join
    one item's words, as in 'ban tuyên giáo và dân vận')."""
    parts = re.split(r",\s*", words)
    return tuple(body_key(p) for p in parts if p.strip())


def facts(text: str) -> list[tuple[Fact, tuple[int, int]]]:
    """Every fact of a passage with the sentence it lies in."""
    spans = sentence_spans(text)
    found = []
    for fact in quantities(text) + bodies(text):
        found.append((fact, next((s for s in spans if s[0] <= fact.start < s[1]), (0, len(text)))))
    for span in spans:
        found.extend((fact, span) for fact in lists(text, span))
    return found


# -- the bank -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """Where a fact is stated: its passage and the words of its sentence without it."""

    fact: Fact
    passage_id: str
    context: frozenset[str]


def context_words(text: str, sentence: tuple[int, int], fact: Fact) -> frozenset[str]:
    """The folded syllables of a sentence, the fact's own words left out."""
    words = text[sentence[0]:fact.start] + " " + text[fact.end:sentence[1]]
    return frozenset(re.findall(r"\w+", fold(normalize(words))))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller set the other holds."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass
class Bank:
    """Every sound question the corpus yields, and how many candidates each rule rejected."""

    questions: list[QuizQuestion] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)

    def pick(self, n: int, within: Iterable[str] | None = None, exclude: Iterable[str] = (),
             seed: int | str | None = None) -> list[QuizQuestion]:
        """Up to `n` questions (from the documents `within` when given), none from a passage
        in `exclude`, one per passage, the kinds and documents mixed."""
        allowed = set(within) if within is not None else None
        skip = set(exclude)
        pool = [q for q in self.questions
                if (allowed is None or q.doc_id in allowed) and q.passage_id not in skip]
        random.Random(seed).shuffle(pool)
        pool = round_robin(pool)
        chosen: list[QuizQuestion] = []
        for q in pool:
            if len(chosen) >= n:
                break
            if all(c.passage_id != q.passage_id for c in chosen):
                chosen.append(q)
        return chosen


def round_robin(pool: list[QuizQuestion]) -> list[QuizQuestion]:
    """The questions in rounds over their kinds: the i-th of each kind comes in round i."""
    seen: Counter[str] = Counter()
    ranked = []
    for q in pool:
        ranked.append((seen[q.kind], q))
        seen[q.kind] += 1
    return [q for _, q in sorted(ranked, key=lambda r: r[0])]


def build_bank(docs: Iterable[Document], passages: Iterable[Passage], seed: int = 18) -> Bank:
    """All sound questions of these passages (wrong options drawn from all of them)."""
    by_id = {d.doc_id: d for d in docs}
    stated: dict[str, list[tuple[Passage, Fact, tuple[int, int]]]] = defaultdict(list)
    pool: dict[str, list[Seen]] = defaultdict(list)
    for p in passages:
        if p.doc_id not in by_id:
            continue
        for fact, span in facts(p.text):
            stated[p.passage_id].append((p, fact, span))
            pool[fact.group].append(Seen(fact, p.passage_id, context_words(p.text, span, fact)))
    bank = Bank()
    rng = random.Random(seed)
    for found in stated.values():
        for p, fact, span in found:
            made = make_question(by_id[p.doc_id], p, fact, span, found, pool.get(fact.group, []), rng)
            if isinstance(made, str):
                bank.rejected[made] += 1
            else:
                bank.questions.append(made)
    return bank


def corpus_bank(searcher: Searcher) -> Bank:
    """The bank of the searcher's current documents."""
    docs = searcher.documents()
    return build_bank(docs, searcher.store.document_passages([d.doc_id for d in docs]))


def question_json(q: QuizQuestion) -> dict[str, object]:
    """What `vankien quiz --json` prints for one question."""
    return {"question": q.question, "options": list(q.options), "correct_option_id": q.correct_option_id,
            "explanation": q.explanation, "passage": q.passage, "passage_id": q.passage_id,
            "doc_id": q.doc_id, "location": q.location, "kind": q.kind}


def make_question(doc: Document, p: Passage, fact: Fact, span: tuple[int, int],
                  siblings: list[tuple[Passage, Fact, tuple[int, int]]], pool: list[Seen],
                  rng: random.Random) -> QuizQuestion | str:
    """The quiz question of one fact, or the name of the rule that rejects it."""
    stem = blanked(doc, p, fact, span)
    if stem in REJECTIONS:
        return stem
    if fact.kind == "body" and relative(str(fact.key[1])):
        return "relative"
    in_passage = {f.key for _, f, _ in siblings}
    context = context_words(p.text, span, fact)
    wrong = wrong_options(fact, pool, in_passage, context, rng, bound_of(p.text, fact), p.text)
    if len(wrong) < 2:
        return "few_options"
    options = [option_text(fact.text), *(option_text(w) for w in wrong)]
    if len(set(options)) < len(options):
        return "few_options"
    rng.shuffle(options)
    return QuizQuestion(
        question=str(stem), options=tuple(options), correct_option_id=options.index(option_text(fact.text)),
        explanation=citation(doc, p), passage=p.text, passage_id=p.passage_id, doc_id=p.doc_id,
        location=p.location, kind=fact.kind,
    )


def bound_of(text: str, fact: Fact) -> str | None:
    """'upper' for 'không quá ____', 'lower' for 'ít nhất ____' or '____ trở lên', else None;
    the other way round in a condition ('có ____ trở lên (thì) bầu chi ủy': a larger number
    makes a true condition too, a smaller one a false rule).

    >>> t = "phải được ít nhất hai phần ba số đảng viên"
    >>> bound_of(t, quantities(t)[0])
    'lower'
    """
    if fact.kind != "quantity":
        return None
    before, after = text[max(0, fact.start - 20):fact.start], text[fact.end:fact.end + 30]
    if DEADLINE_RE.search(before):
        return "upper"  # a deadline is always a requirement: 'trong thời hạn 30 ngày làm việc'
    bound = None
    if UPPER_RE.search(before) or re.match(r"\s*trở xuống", after):
        bound = "upper"
    elif LOWER_RE.search(before) or re.match(r"\s*(?:[^\W\d]+\s+){0,2}trở lên", after):
        bound = "lower"
    if bound and condition(text, fact):
        return "lower" if bound == "upper" else "upper"  # a condition: 'chi bộ có 9 đảng viên trở lên (thì) bầu chi ủy'
    return bound


def condition(text: str, fact: Fact) -> bool:
    """The fact bounds a condition ('khi …', '… thì', 'chi bộ có ____ trở lên'), not a requirement."""
    before, after = text[max(0, fact.start - 60):fact.start], text[fact.end:fact.end + 80]
    if re.search(r"\bphải\b", text[max(0, fact.start - 25):fact.start]):
        return False
    return bool(re.search(r"\b(?:khi|nếu)\b", before, re.IGNORECASE) or re.match(r"[^.;]*?\b(?:thì|có thể)\b", after)
                or re.search(r"\bcó(?:\s+(?:từ|trên|dưới|ít nhất|không quá))?\s*$", before))


def _beyond(fact: Fact, other: Fact, bound: str | None) -> bool:
    """A wrong value the bound does not make true: below an upper bound, above a lower one
    ('không quá 6 tháng' makes 'không quá 12 tháng' true too)."""
    if bound is None:
        return True
    a, b = _months(fact.key), _months(other.key)
    return b < a if bound == "upper" else b > a


def _months(key: tuple[object, ...]) -> Fraction:
    value = key[1]
    assert isinstance(value, Fraction)
    return value * 12 if key[0] == "năm" else value


def wrong_options(fact: Fact, pool: list[Seen], in_passage: set[tuple[object, ...]],
                  context: frozenset[str], rng: random.Random, bound: str | None = None,
                  passage: str = "") -> list[str]:
    """Up to three facts of the same kind, none equal to the right one, stated in this
    passage, stated elsewhere in a sentence like this one, or made true by the sentence's
    bound."""
    also_true = {k for s in pool if overlap(s.context, context) >= ALSO_TRUE_OVERLAP for k in equivalents(s.fact.key)}
    if fact.kind == "list":
        return list_options(fact, pool, also_true | in_passage, rng)
    taken = also_true | {k for key in in_passage for k in equivalents(key)} | equivalents(fact.key)
    seen: dict[tuple[object, ...], Fact] = {}
    for s in pool:
        k = s.fact.key
        if k in taken or k in seen or any(_nested(f, s.fact) for f in (fact, *seen.values())) or (
                k[0] == "body" and relative(str(k[1]))):
            continue
        if not _beyond(fact, s.fact, bound):
            continue
        seen[k] = s.fact
    ranked = sorted(seen.values(), key=lambda f: _distance(fact, f))
    near = ranked[: WRONG_OPTIONS + 1]
    rng.shuffle(near)
    options = []
    for f in near:
        text = styled(f, fact)
        if (text and len(text) <= MAX_OPTION and text.lower() != fact.text.lower() and text not in options
                and not mentioned(text, passage)):
            options.append(text)
    return options[:WRONG_OPTIONS]


def equivalents(key: tuple[object, ...]) -> set[tuple[object, ...]]:
    """A fact's key and the keys that state the same ('1 năm' is '12 tháng').

    >>> sorted(equivalents(("năm", Fraction(1))))
    [('năm', Fraction(1, 1)), ('tháng', Fraction(12, 1))]
    """
    unit, value = key[0], key[1]
    if unit == "năm" and isinstance(value, Fraction):
        return {key, ("tháng", value * 12)}
    if unit == "tháng" and isinstance(value, Fraction):
        return {key, ("năm", value / 12)}
    return {key}


def mentioned(words: str, text: str) -> bool:
    """The words stand in the text (any case, either tone-mark spelling).

    >>> mentioned("Đảng uỷ cơ sở", "cho các đảng ủy cơ sở ở cơ quan"), mentioned("chi bộ", "chi bộ cơ sở")
    (True, True)
    """
    a, b = (" ".join(normalize(x).lower().split()) for x in (words, text))
    return bool(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", b))


def _nested(right: Fact, other: Fact) -> bool:
    """A body containing the other ('cấp ủy cấp trên' in 'cấp ủy cấp trên trực tiếp'): both may be true."""
    if right.kind != "body":
        return False
    a, b = str(right.key[1]), str(other.key[1])
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _distance(right: Fact, other: Fact) -> float:
    """How far a wrong value is from the right one (near values are the plausible ones)."""
    if right.kind == "quantity":
        a, b = float(right.key[1]), float(other.key[1])  # type: ignore[arg-type]
        return abs(a - b) / max(abs(a), abs(b), 1e-9)
    return 0.0


def styled(wrong: Fact, right: Fact) -> str | None:
    """A wrong fact written the way the right one is: digits or words, its unit's spelling."""
    if wrong.kind != "quantity" or wrong.group in ("fraction", "%"):
        return _cased(wrong.text, right.text)
    value = wrong.key[1]
    assert isinstance(value, Fraction)
    right_words = not right.text[0].isdigit()
    unit = right.unit
    if right_words:
        words = number_words(int(value)) if value.denominator == 1 else None
        number = words
    else:
        number = str(value.numerator) if value.denominator == 1 else None
    if number is None:
        return None
    return _cased(f"{number} {unit}", right.text)


def _cased(text: str, like: str) -> str:
    """`text` with its first letter in the case of `like`'s."""
    if not text or not like:
        return text
    first = text[0].upper() if like[0].isupper() else text[0].lower()
    return first + text[1:]


def option_text(words: str) -> str:
    """An option as shown: one spelling of the tone marks, a capital first letter.

    >>> option_text("cấp uỷ cấp trên trực tiếp")
    'Cấp ủy cấp trên trực tiếp'
    """
    text = normalize(" ".join(words.split()))
    return text[:1].upper() + text[1:]


def list_options(fact: Fact, pool: list[Seen], also_true: set[tuple[object, ...]],
                 rng: random.Random) -> list[str]:
    """The right list with one item swapped for an item of a list of the same kind (one
    sharing two items with it), or with its last item dropped; never a list this passage
    states, nor one stated in a sentence like this one."""
    right = list_items(fact.text)
    shown = [s.strip() for s in re.split(r",\s*", fact.text) if s.strip()]
    kin = [s for s in pool if len(set(list_items(s.fact.text)) & set(right)) >= 2 and s.fact.key != fact.key]
    swaps = sorted({i for s in kin for i in list_items(s.fact.text)} - set(right))
    made: list[list[str]] = []
    for item in swaps:
        for pos in range(len(shown)):
            made.append(shown[:pos] + [item] + shown[pos + 1:])
    made.append(shown[:-1])
    rng.shuffle(made)
    options = []
    for items in made:
        key = ("list", frozenset(list_items(", ".join(items))))
        text = ", ".join(items)
        if key != fact.key and key not in also_true and text not in options and len(text) <= MAX_OPTION:
            options.append(text)
    return options[:WRONG_OPTIONS] if swaps else []


# -- the question's text --------------------------------------------------------------------


def source_name(doc: Document) -> str:
    """How a question names its source: the code, the Charter's name, or a short title."""
    from index.relations import short_title

    name = doc.code or short_title(doc) or doc.title
    if len(name) > 60:
        name = name[:60].rsplit(" ", 1)[0] + "…"
    return name


def blanked(doc: Document, p: Passage, fact: Fact, span: tuple[int, int]) -> str:
    """'Theo 294-QĐ/TW: … phải đủ ____ đến đủ 60 tuổi …', or the rule it breaks: 'leak',
    'short', 'too_long'."""
    text = p.text
    sentence = text[span[0]:fact.start] + BLANK + text[fact.end:span[1]]
    sentence = _LEAD_RE.sub("", sentence, count=1).strip()
    if NEGATED_RE.search(text[span[0]:fact.start]):
        return "negated"
    if sentence.startswith(BLANK) is False and _starts_list_item(text, span):
        sentence = _lead(text, span) + " " + sentence
    elif DEPENDENT_RE.match(sentence) and (before := _previous(text, span)):
        sentence = before + " " + sentence
    sentence = re.sub(r":\s*[-+•]\s+", ": ", sentence)
    if _leaks(sentence, fact):
        return "leak"
    if ORPHAN_RE.match(sentence):
        return "orphan"
    if fact.kind == "quantity" and (sum(f.group == fact.group for f in quantities(sentence)) >= 3
                                    or re.search(r"(?:\d+,\s*){2,}$", text[span[0]:fact.start])):
        return "series"
    prefix = f"Theo {source_name(doc)}: "
    body = shortened(sentence, MAX_QUESTION - len(prefix))
    if body is None:
        return "too_long"
    if len(re.findall(r"\w+", body.replace(BLANK, " "))) < MIN_CONTEXT_WORDS:
        return "short"
    return prefix + _cased(body, "A")


def _previous(text: str, span: tuple[int, int]) -> str | None:
    """The sentence before `span` in the passage, without its numbering; None at the start."""
    before = [s for s in sentence_spans(text) if s[1] <= span[0] and text[s[0]:s[1]].strip()]
    if not before:
        return None
    s = before[-1]
    return _LEAD_RE.sub("", text[s[0]:s[1]], count=1).strip()


def _starts_list_item(text: str, span: tuple[int, int]) -> bool:
    """A sentence opening with '-', '+' or 'a)' reads on from the passage's lead-in."""
    return bool(re.match(r"\s*(?:[-+•]|[a-zđ]\))", text[span[0]:span[1]])) and ":" in text[:span[0]]


def _lead(text: str, span: tuple[int, int]) -> str:
    """The lead-in of a passage's list, up to its colon, without its numbering."""
    head = text[:text.index(":") + 1] if ":" in text[:span[0]] else ""
    return _LEAD_RE.sub("", head, count=1).strip()


def _leaks(sentence: str, fact: Fact) -> bool:
    """The answer is still readable in the question."""
    rest = sentence.replace(BLANK, " ")
    if fact.kind == "list":
        return any(f" {i} " in f" {body_key(rest)} " for i in list_items(fact.text))
    if fact.kind == "body":
        plain = body_key(re.sub(r"[^\w ]", " ", rest))
        return f" {fact.key[1]} " in f" {plain} "
    return any(f.key == fact.key for f in quantities(rest))


def shortened(sentence: str, limit: int) -> str | None:
    """The sentence cut to `limit` characters at clause boundaries around the blank, with '…'."""
    if len(sentence) <= limit:
        return sentence
    clauses = re.split(r"(?<=[,;:])\s+", sentence)
    at = next(i for i, c in enumerate(clauses) if BLANK in c)
    lo, hi = at, at + 1
    while True:
        grown = False
        for lo2, hi2 in ((lo - 1, hi), (lo, hi + 1)):  # the subject first
            if 0 <= lo2 and hi2 <= len(clauses) and len(_joined(clauses, lo2, hi2)) <= limit:
                lo, hi, grown = lo2, hi2, True
                break
        if not grown:
            break
    text = _joined(clauses, lo, hi)
    return text if len(text) <= limit else None


def _joined(clauses: list[str], lo: int, hi: int) -> str:
    text = " ".join(clauses[lo:hi])
    text = ("… " if lo > 0 else "") + text
    return text.rstrip(",;:") + " …" if hi < len(clauses) else text


def citation(doc: Document, p: Passage) -> str:
    """The explanation of a poll: where the sentence is, within 200 characters."""
    heading = f"{doc.code} – {doc.title}" if doc.code and doc.code not in doc.title else doc.title
    who = doc.issuer or doc.publisher
    parts = [heading, who, _date(doc.date), p.location]
    text = "Nguồn: " + " · ".join(x for x in parts if x)
    return text if len(text) <= MAX_EXPLANATION else text[: MAX_EXPLANATION - 1] + "…"


def _date(iso: str | None) -> str | None:
    if not iso or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso
    y, m, d = iso.split("-")
    return f"ngày {d}/{m}/{y}"
