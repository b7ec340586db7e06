"""Vietnamese text analysis: one `analyze` for documents and questions alike.

>>> analyze("Chỉ thị 05-CT/TW về học tập").codes
('5-ct', '5-ct-tw')
>>> fold("Đảng ủy Khối")
'dang uy khoi'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from underthesea import sent_tokenize, text_normalize

from index.segmenter import word_tokenize

MAX_QUESTION_CHARS = 1000
# Bump when `analyze` gives other terms, or chunking other passages, for the same text:
# `vankien index` then analyses every file again (the stored passages are stale).
# 2: "đa" + number is a code only as "ĐA"; 3: a long point's bare label ("3.4.1.") is no
# longer a passage of its own.
ANALYSIS_VERSION = 3

# --- document codes ---------------------------------------------------------

# Kind abbreviation as written in a code -> canonical kind term.
CODE_KINDS = {
    "ct": "ct", "nq": "nq", "kl": "kl", "qd": "qd", "qdi": "qd", "hd": "hd", "kh": "kh",
    "tb": "tb", "qc": "qc", "bc": "bc", "ctr": "ctr", "cv": "cv", "tt": "tt", "da": "da",
    "ttr": "ttr", "qdnd": "qd",
}
# Kind words ("Chỉ thị số 05") -> canonical kind terms; folded, so unaccented questions match.
KIND_WORDS = {
    "chi thi": ("ct",), "nghi quyet": ("nq",), "ket luan": ("kl",), "quy dinh": ("qd",),
    "quyet dinh": ("qd",), "huong dan": ("hd",), "ke hoach": ("kh",), "thong bao": ("tb",),
    "quy che": ("qc",), "bao cao": ("bc",), "chuong trinh": ("ctr",), "cong van": ("cv",),
}
# Kind abbreviations that are also syllables ("đa"): before a number they name a code only
# when written in capitals ("ĐA 03"); the pattern is matched against the original text.
SYLLABLE_KINDS = {"da": "[ĐD]A"}
_KIND_ALT = "|".join(sorted(CODE_KINDS, key=len, reverse=True))
_NUM = r"(?<![\d.,/])(\d{1,4})"
# 05-CT/TW, 05 -CT/TW, 01- KL/TW, 05/CT-TW, 05-CT-TW, 44-KH/ĐUK, 08-QĐi/TW
FULL_CODE_RE = re.compile(
    _NUM + r"\s?[-/]\s?(" + _KIND_ALT + r")\s?[-/]\s?([a-z]{1,8})(?![a-z])", re.IGNORECASE
)
SHORT_CODE_RE = re.compile(_NUM + r"\s?[-/]\s?(" + _KIND_ALT + r")(?![a-z/-])", re.IGNORECASE)
GLUED_CODE_RE = re.compile(r"(?<![a-z])(" + _KIND_ALT + r")\s?(\d{1,4})(?![\d.,/])", re.IGNORECASE)
KIND_WORD_RE = re.compile(
    r"(?<![a-z])(" + "|".join(k.replace(" ", r"\s+") for k in KIND_WORDS) + r")"
    r"(?:\s+(?:so|số))?\s+(\d{1,4})(?![\d.,/])",
    re.IGNORECASE,
)

# --- abbreviations (expanded on both sides so either spelling meets the other) ---

ABBREVIATIONS = {
    "NQTW": "nghị quyết trung ương", "NQ": "nghị quyết", "CT": "chỉ thị", "KL": "kết luận",
    "QĐ": "quy định", "HD": "hướng dẫn", "KH": "kế hoạch", "TW": "trung ương",
    "BCH": "ban chấp hành", "BCHTW": "ban chấp hành trung ương", "BCT": "bộ chính trị",
    "BBT": "ban bí thư", "BTV": "ban thường vụ", "TCCS": "tổ chức cơ sở",
    "TCCSĐ": "tổ chức cơ sở đảng", "ĐUK": "đảng ủy khối", "CBĐV": "cán bộ đảng viên",
    "ĐV": "đảng viên", "HĐND": "hội đồng nhân dân", "UBND": "ủy ban nhân dân",
    "MTTQ": "mặt trận tổ quốc", "UBKT": "ủy ban kiểm tra", "CSVN": "cộng sản việt nam",
    "ĐCSVN": "đảng cộng sản việt nam", "TƯ": "trung ương", "BTG": "ban tuyên giáo",
    "TUV": "tỉnh ủy viên", "CNXH": "chủ nghĩa xã hội", "XHCN": "xã hội chủ nghĩa",
    "HCM": "hồ chí minh", "BTC": "ban tổ chức", "CCVC": "công chức viên chức",
}
# Lowercase spellings accepted from questions typed casually: 3+ letters (not syllables),
# and the two-letter "đv" and "tw" (no vowel, and no other common meaning; "kh", "ct", "hd"
# are also casual "không", "công ty", "hợp đồng", so they stay capitals only).
_CASUAL = {k.lower(): v for k, v in ABBREVIATIONS.items() if len(k) >= 3 or k in ("ĐV", "TW")}
_CASUAL.update({fk: v for k, v in list(_CASUAL.items()) if (fk := k.replace("đ", "d")) != k})
ABBR_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)")
CASUAL_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(_CASUAL, key=len, reverse=True)) + r")(?!\w)")
# How words are shortened on a phone ("dc ko", "ntn", "bn tuổi"): read as the words they
# stand for, in questions only.
PHONE_SPELLINGS = {
    "đc": "được", "dc": "được", "ko": "không", "k": "không", "kg": "không", "hok": "không", "hông": "không",
    "j": "gì", "ntn": "như thế nào", "bn": "bao nhiêu", "cb": "cán bộ", "mk": "mình", "vs": "với",
    "ng": "người", "trc": "trước", "đk": "điều kiện", "dk": "điều kiện", "tg": "thời gian",
    "đvdb": "đảng viên dự bị", "dvdb": "đảng viên dự bị", "cbcc": "cán bộ công chức", "cbcnv": "cán bộ công nhân viên",
    "xklđ": "xuất khẩu lao động", "xkld": "xuất khẩu lao động",
}
PHONE_RE = re.compile(r"(?<![\w/-])(" + "|".join(sorted(PHONE_SPELLINGS, key=len, reverse=True)) + r")(?![\w/-])",
                      re.IGNORECASE)

# --- everyday wording of what the documents say otherwise ---

# Each group starts with the documents' own wording, then the everyday or older wording a
# cadre may type for the same thing ("bố mẹ" for "cha mẹ", "lớp cảm tình Đảng" for the
# class now called "lớp bồi dưỡng nhận thức về Đảng"). A question holding one of the
# latter is also asked in the documents' wording (`reworded`), and a passage answers it
# if it answers either reading. Phrases, not single words, where a word has other senses:
# "nộp" is "đóng" only before "đảng phí", "bố" is "cha" only beside "mẹ" or "đẻ".
SYNONYMS = (
    ("cha mẹ", "bố mẹ"),
    ("cha đẻ", "bố đẻ"),
    ("đồng ý", "tán thành", "nhất trí"),
    ("đóng đảng phí", "nộp đảng phí"),
    ("khai trừ", "đuổi khỏi", "đuổi ra khỏi"),
    ("miễn sinh hoạt", "nghỉ sinh hoạt"),
    ("nhận thức về đảng", "cảm tình đảng"),
    ("chuyển sinh hoạt đảng", "chuyển đảng"),
    ("thẻ đảng viên", "thẻ đảng"),
    ("ít nhất", "tối thiểu"),
    ("không quá", "tối đa"),
    ("sinh hoạt chi bộ", "họp chi bộ"),
    ("bằng tốt nghiệp", "bằng cấp", "văn bằng"),
    ("nghỉ hưu", "về hưu"),
    ("từ trần", "qua đời", "chết"),
    ("bệnh nặng", "ốm nặng"),
    ("bổ nhiệm", "đề bạt", "lên chức"),
    ("hồ sơ", "giấy tờ"),
    ("ra khỏi đảng", "bỏ đảng"),
)
Groups = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=8)
def _wording(groups: Groups) -> tuple[dict[str, str], re.Pattern[str]]:
    """Phrase -> the documents' phrase of its group, and a pattern of every phrase, longest
    first ("thẻ đảng viên" is not "thẻ đảng")."""
    of = {normalize(p).lower(): normalize(g[0]).lower() for g in groups for p in g if p.strip()}
    alternatives = "|".join(sorted(map(re.escape, of), key=len, reverse=True))
    return of, re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)", re.IGNORECASE)


def reworded(question: str, extra: Groups = ()) -> str | None:
    """The question with its everyday phrases said as the documents say them
    (`SYNONYMS`, then the administrators' own groups `extra`), or None when it has none.

    >>> reworded("Bố mẹ là đảng viên thì có thẩm tra lý lịch không?")
    'cha mẹ là đảng viên thì có thẩm tra lý lịch không?'
    >>> reworded("Mất thẻ đảng viên thì làm gì?") is None
    True
    >>> reworded("Góp quỹ đảng ở đâu?", (("đóng đảng phí", "góp quỹ đảng"),))
    'đóng đảng phí ở đâu?'
    """
    of, pattern = _wording(SYNONYMS + extra)
    text = normalize(question)
    out = pattern.sub(lambda m: of[m.group(1).lower()], text)
    return out if out.lower() != text.lower() else None


# Words that carry no meaning for retrieval (question words included).
STOPWORDS = frozenset(
    """và của là các những có được trong cho với thì mà này đó theo về tại từ đến để khi
    như một đã sẽ đang cũng lại rằng hay hoặc nhưng nếu vì do bởi nên ra vào lên
    gì nào ai đâu mấy bao_nhiêu sao thế_nào như_thế_nào không chưa có_phải phải hả ạ nhỉ vậy
    bị cái việc thì_là là_gì hỏi nói cho_biết xin bạn tôi mình ở ra_sao
    bao_lâu bao_giờ khi_nào lúc_nào tại_sao vì_sao ở_đâu làm_sao như_nào
    muốn cần
    em anh chị ạ ad admin bot ơi nhé nha à ừ nhỉ đồng_chí tụi bọn chúng_em chúng_tôi luôn nữa thôi ấy
    vâng dạ""".split()
)
STOP_FOLDS = frozenset(
    """va cua la cac nhung duoc trong cho voi thi ma nay theo ve tu khi nhu mot se cung lai
    rang hay hoac neu vi boi nen vao len gi nao ai dau may sao khong chua phai ha nhi
    vay bi cai viec hoi xin ban toi minh em anh ad bot oi nhe nha""".split()
)
# Question phrases of several syllables ("thế nào"), longest first: a question's own
# segmentation may split them across words ("Thế nào là …" -> "thế", "nào_là").
QUESTION_PHRASES = tuple(sorted((tuple(w.split("_")) for w in STOPWORDS if "_" in w), key=len, reverse=True))
# Unaccented question phrases that carry no meaning ("bao nhieu" must not look like "báo").
STOP_FOLD_PHRASES = (
    ("bao", "nhieu"), ("nhu", "the", "nao"), ("the", "nao"), ("khi", "nao"), ("o", "dau"),
    ("tai", "sao"), ("vi", "sao"), ("la", "gi"), ("ra", "sao"), ("co", "phai"), ("cho", "biet"), ("noi", "gi"),
    ("bao", "lau"), ("bao", "gio"), ("luc", "nao"), ("lam", "sao"), ("nhu", "nao"),
)

_OLD_TONE_RE = re.compile(r"[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ]")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Options:
    """Switches for the analysis, so evaluations can measure what each part is worth."""

    segment: bool = True  # underthesea word segmentation (off: words are syllables)
    fold: bool = True  # diacritic-free forms for unaccented questions
    codes: bool = True  # document codes and abbreviation expansion

    def to_dict(self) -> dict[str, bool]:
        """For the index manifest."""
        return {"segment": self.segment, "fold": self.fold, "codes": self.codes}


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class Analysis:
    """The terms one text contributes: words, syllables, folded syllables, codes."""

    words: tuple[str, ...]  # segmented, lowercase: "học_tập"
    sylls: tuple[str, ...]  # lowercase syllables: "học", "tập"
    folds: tuple[str, ...]  # diacritic-free syllables: "hoc", "tap"
    codes: tuple[str, ...]  # canonical document codes: "5-ct", "5-ct-tw"
    accented: bool = True  # False when typed without diacritics ("ket luan 01")
    names: tuple[str, ...] = ()  # capitalised words inside a question ("NASA"), lowercased


def fold(text: str) -> str:
    """Strip diacritics and lowercase.

    >>> fold("Kết luận số 01")
    'ket luan so 01'
    """
    return _fold_cached(text) if len(text) < 40 else _fold(text)


def _fold(text: str) -> str:
    return _strip_marks(text.lower()).replace("đ", "d")


def _strip_marks(text: str) -> str:
    """The text decomposed, without its combining marks (tones, hooks, breves)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def _fold_cached(text: str) -> str:
    return _fold(text)


def unaccented(text: str) -> str:
    """The text as typed without diacritics, in its own case.

    >>> unaccented("Đảng viên dự bị")
    'Dang vien du bi'
    """
    return unicodedata.normalize("NFC", _strip_marks(text).replace("đ", "d").replace("Đ", "D"))


def normalize(text: str) -> str:
    """NFC and one tone-mark placement.

    >>> normalize("Đảng uỷ hoà")
    'Đảng ủy hòa'
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
    if _OLD_TONE_RE.search(text):
        text = " ".join(_normalize_word(w) if _OLD_TONE_RE.search(w) else w for w in text.split())
    return text


@lru_cache(maxsize=20_000)
def _normalize_word(word: str) -> str:
    return str(text_normalize(word)).replace(" ", "")


def find_codes(text: str) -> tuple[str, ...]:
    """Canonical document codes named in a text, in every spelling.

    >>> find_codes("Kết luận số 01- KL/TW và CT05")
    ('1-kl', '1-kl-tw', '5-ct')
    >>> find_codes("phạt tù tối đa 03 năm"), find_codes("theo ĐA 03")
    ((), ('3-da',))
    """
    folded = fold(text)
    found: list[str] = []
    for m in FULL_CODE_RE.finditer(folded):
        base = f"{int(m.group(1))}-{CODE_KINDS[m.group(2).lower()]}"
        found += [base, f"{base}-{m.group(3).lower()}"]
    for m in SHORT_CODE_RE.finditer(folded):
        found.append(f"{int(m.group(1))}-{CODE_KINDS[m.group(2).lower()]}")
    for m in GLUED_CODE_RE.finditer(folded):
        kind = m.group(1).lower()
        if kind in SYLLABLE_KINDS and not re.search(rf"(?<!\w){SYLLABLE_KINDS[kind]}\s?\d", text):
            continue  # "tối đa 03 năm" is not "ĐA 03"
        found.append(f"{int(m.group(2))}-{CODE_KINDS[kind]}")
    for m in KIND_WORD_RE.finditer(folded):
        kind = " ".join(m.group(1).split())
        found += [f"{int(m.group(2))}-{k}" for k in KIND_WORDS[kind]]
    return tuple(dict.fromkeys(found))


def strip_codes(text: str) -> str:
    """Blank out code spellings (`05-CT/TW`, `CT05`, the number of `Chỉ thị 05`) so every
    spelling leaves the same words; the code itself is one term of its own.

    >>> strip_codes("theo 44-KH/ĐUK và Chỉ thị số 05").split()
    ['theo', 'và', 'Chỉ', 'thị', 'số']
    """
    folded = fold(text)
    if len(folded) != len(text):
        return text
    spans = [m.span() for rx in (FULL_CODE_RE, SHORT_CODE_RE, GLUED_CODE_RE) for m in rx.finditer(folded)]
    spans += [m.span(2) for m in KIND_WORD_RE.finditer(folded)]  # "Chỉ thị 05": keep the words
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def expand_abbreviations(text: str, casual: bool = False) -> str:
    """Replace abbreviations with their expansion.

    >>> expand_abbreviations("Các TCCS và CBĐV")
    'Các tổ chức cơ sở và cán bộ đảng viên'
    """
    text = ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    if casual:
        text = CASUAL_RE.sub(lambda m: _CASUAL[m.group(1)], text)
        text = PHONE_RE.sub(lambda m: PHONE_SPELLINGS[m.group(1).lower()], text)
    return text


def segment(text: str) -> list[str]:
    """Lowercase word tokens joined with `_`, punctuation dropped.

    >>> segment("Học tập và làm theo Bác.")
    ['học_tập', 'và', 'làm', 'theo', 'bác']
    """
    out = []
    for tok in word_tokenize(text):
        sylls = _TOKEN_RE.findall(tok.lower())
        if sylls:
            out.append("_".join(sylls))
    return out


def syllables(text: str) -> list[str]:
    """Lowercase syllables without segmentation (the ablation of `segment`)."""
    return _TOKEN_RE.findall(text.lower())


def analyze(text: str, question: bool = False, options: Options = DEFAULT_OPTIONS) -> Analysis:
    """All the terms of a text; questions also accept casual lowercase abbreviations.

    >>> analyze("Học tập và làm theo Bác").words
    ('học_tập', 'và', 'làm', 'theo', 'bác')
    """
    text = normalize(text)
    codes: tuple[str, ...] = ()
    body = text
    if options.codes:
        codes = find_codes(text)
        body = expand_abbreviations(strip_codes(text), casual=question)
    if not body.strip():
        words: list[str] = []
    else:
        words = segment(body) if options.segment else syllables(body)
        if question and options.segment:
            words = regroup(words, QUESTION_PHRASES)
    sylls = [s for w in words for s in w.split("_")]
    folds = [fold(s) for s in sylls] if options.fold else list(sylls)
    accented = fold(text) != text.lower() or not options.fold
    names = proper_names(text) if question else ()
    return Analysis(tuple(words), tuple(sylls), tuple(folds), codes, accented, names)


def regroup(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    """Words with every occurrence of a phrase made one word; the syllables of a word it
    cut through stand alone.

    >>> regroup(["thế", "nào_là", "hoàn_thành"], (("thế", "nào"),))
    ['thế_nào', 'là', 'hoàn_thành']
    """
    sylls = [s for w in words for s in w.split("_")]
    ends: dict[int, int] = {}  # start -> end of each phrase found (leftmost, longest)
    i = 0
    while i < len(sylls):
        n = next((len(ph) for ph in phrases if tuple(sylls[i : i + len(ph)]) == ph), 0)
        if n:
            ends[i] = i + n
        i += n or 1
    inside = {k for start, end in ends.items() for k in range(start, end)}
    out, pos = [], 0
    for w in words:
        span = range(pos, pos + w.count("_") + 1)
        pos = span.stop
        if inside.isdisjoint(span):
            out.append(w)
            continue
        for k in span:
            if k in ends:
                out.append("_".join(sylls[k : ends[k]]))
            elif k not in inside:
                out.append(sylls[k])
    return out


def proper_names(text: str) -> tuple[str, ...]:
    """Lowercased syllables written with a capital, except at the start of a sentence.

    >>> proper_names("Ai là người đứng đầu NASA? Hà Nội")
    ('nasa', 'nội')
    """
    out = []
    for sentence in re.split(r"[.?!\n]+", text):
        toks = _TOKEN_RE.findall(sentence)
        out += [t.lower() for t in toks[1:] if t[:1].isupper()]
    return tuple(dict.fromkeys(out))


def content_terms(a: Analysis) -> tuple[str, ...]:
    """The question's meaningful syllables (folded when typed unaccented), in order.

    >>> content_terms(analyze("Người vào Đảng phải đủ bao nhiêu tuổi?"))
    ('người', 'đảng', 'đủ', 'tuổi')
    """
    if a.accented:
        terms = [s for w in a.words if w not in STOPWORDS for s in w.split("_")]
    else:
        terms = [f for f in drop_stop_phrases(a.folds) if f not in STOP_FOLDS]
    return tuple(dict.fromkeys(terms))


def drop_stop_phrases(folds: tuple[str, ...]) -> list[str]:
    """Folded syllables without question phrases like "bao nhieu", "the nao".

    >>> drop_stop_phrases(("du", "bao", "nhieu", "tuoi"))
    ['du', 'tuoi']
    """
    out, i = [], 0
    while i < len(folds):
        for phrase in STOP_FOLD_PHRASES:
            if folds[i : i + len(phrase)] == phrase:
                i += len(phrase)
                break
        else:
            out.append(folds[i])
            i += 1
    return out


def tokens_with_spans(text: str) -> list[tuple[int, int, str]]:
    """Word-character runs of `text` with their spans, for marking matches."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


_LABEL_ONLY = re.compile(r"^[\W\d]*[a-zđ]?[.)]?$", re.I)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`; a bare label ("1.1.2.", "a)") joins the
    sentence after it."""
    spans: list[tuple[int, int]] = []
    pos, glue = 0, None
    for sentence in sent_tokenize(text):
        start = text.find(sentence, pos)
        if start < 0:
            start = pos
        end = min(len(text), start + len(sentence))
        pos = end
        if _LABEL_ONLY.match(sentence.strip()):
            glue = start if glue is None else glue
            continue
        spans.append((glue if glue is not None else start, end))
        glue = None
    if glue is not None:
        spans.append((glue, len(text)))
    return spans or [(0, len(text))]
