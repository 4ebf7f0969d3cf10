"""Press snapshots: a file of figures as the press reported them, kept without the pages' sentences.

The research pass's files carry, for each figure, a short verbatim excerpt of the page (`quote`;
events also a paraphrase, `detail`). The repository keeps figures, addresses, dates and titles
only, so `rebook snapshot press FILE --vintage YYYY-MM` writes the file without those columns
into `sources/press/<vintage>/` and keeps, as data, what curation needs from the excerpts:

- `quote_ref`: a short hash of the excerpt. Rows of one excerpt (the low and the high of a
  range, the figures of one sentence) share it; two excerpts of one page differ.
- `credits`: the agency or body the excerpt names as the origin of what it says.
- `qualifier` (figures only): the figure is stated as a bound or an estimate.
- `headline`: the story's headline, when the excerpt contains it.
- `stated_percentages.csv`: one row per percentage an excerpt states, with its sign, what it
  compares, the category words the page used and whether it describes the row's own figure.

The extraction is word lists over the languages the pages are written in. What it gets wrong
is corrected by hand in `extraction_corrections.csv` beside the output; the command applies the
corrections and refuses one whose `extracted` value is no longer what it extracts, so a
correction never lands on something it was not written for.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlparse

from .csvrows import read_rows, write_rows

GATHERED_FIGURE_COLUMNS = ("period", "partner", "product", "metric", "value", "unit", "source_url", "published", "quote")
GATHERED_EVENT_COLUMNS = ("date", "kind", "actor", "title", "detail", "affects", "source_url", "quote")
PAGE_TEXT_COLUMNS = ("detail", "quote")
FIGURE_EXTRACTED = ("quote_ref", "credits", "qualifier", "headline")
EVENT_EXTRACTED = ("quote_ref", "credits", "headline")
PERCENT_FIELDS = ["input_file", "input_line", "quote_ref", "stated_pct", "compares", "category_words", "of_row_figure"]
CORRECTION_FIELDS = ["input_file", "input_line", "column", "stated_pct", "extracted", "corrected", "reason"]
PERCENT_FILE = "stated_percentages.csv"
CORRECTIONS_FILE = "extraction_corrections.csv"

COMPARES = ("yoy", "mom", "ytd_yoy", "share", "other")
QUALIFIERS = ("about", "over", "under", "at least", "ask price")
VINTAGE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class SnapshotError(ValueError):
    """A file the snapshot cannot take (wrong columns) or a correction that no longer applies."""


# --- text -------------------------------------------------------------------------------------

def quote_ref(quote: str) -> str:
    """Eight hex digits of the excerpt's SHA-256: stable, and distinct for distinct excerpts."""
    text = quote.strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8] if text else ""


def normal(text: str) -> str:
    """Full-width digits and signs folded (NFKC), Japanese decimal dots and odd hyphens made plain."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)・(?=\d)", ".", text)
    text = text.replace("\u2011", "-").replace("\u2010", "-")
    return re.sub(r"year\s*[-–—]\s*on\s*[-–—]\s*year", "year-on-year", text, flags=re.I)


def _alternation(words: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{w})" for w in words), re.I)


MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"

# A sign word applies to the nearest percentage in its clause.
FALLING = _alternation([
    r"\bfell\b", r"\bfall(?:s|ing)?\b", r"\bdown\b", r"\bdrop(?:s|ped|ping)?\b", r"\bdeclin(?:e|ed|es|ing)\b",
    r"\bdecreas(?:e|ed|es|ing)\b", r"\bsl(?:id|ide|ipped|ump|umped)\b", r"\btumbl(?:e|ed|ing)\b",
    r"\bplung(?:e|ed|ing)\b", r"\bplummet(?:ed|ing)?\b", r"\blower\b", r"\breduc(?:tion|ed)\b",
    r"\bcorrect(?:ing|ed)\b", r"\bshr(?:ank|ink)\b", r"\bturun\b", r"\bpenurunan\b", r"\bgiảm\b",
    r"\bgesunken\b", r"\bsanken\b", r"\bRückgang\b", r"\bzurück", r"\bcaída\b", r"\bcalo\b",
    "减少", "減少", "下降", "下跌", "回落", "减", "減", "감소", "줄었", "줄어", "하락", "급감", "↓",
])
RISING = _alternation([
    r"\brose\b", r"\brise\b", r"\bris(?:es|ing)\b", r"\bup\b", r"\bincreas(?:e|ed|es|ing)\b", r"\bjump(?:s|ed|ing)?\b",
    r"\bsurg(?:e|ed|es|ing)\b", r"\bclimb(?:s|ed|ing)?\b", r"\bgr(?:ew|ow|ows|owing|own|owth)\b", r"\bgain(?:s|ed)?\b",
    r"\bhigher\b", r"\badded\b", r"\brebound(?:ed|s)?\b", r"\bsoar(?:ed|ing)?\b", r"\bskyrocket(?:ed|ing)?\b",
    r"\bupsurge\b", r"\bboost(?:ed)?\b", r"\bnaik\b", r"\bpeningkatan\b", r"\btăng\b", r"\bgestiegen\b",
    r"\bstiegen\b", r"\bAnstieg\b", r"\bPlus\b", r"\bwuchsen\b", r"\bincremento\b", r"\baumento\b", r"\bmás\b",
    r"\bpor encima\b", "增长", "增長", "增加", "成長", "提升", "上升", "攀升", "高出", "激增", "大增", "增", "増",
    "증가", "급증", "늘어", "늘었", "상승", "↑",
])

SHARE = _alternation([
    r"\baccount(?:s|ed|ing)? for\b", r"\bshare\b", r"\bcaptures?\b", r"\brate\b", r"\bAnteil\b", "차지", "占",
])
MONTH_ON_MONTH = _alternation([
    r"\bmonth-?\s?(?:on|over)-?\s?month\b", r"\bm(?:o|/)m\b", r"\b(?:previous|prior|preceding) month\b",
    r"\bmonth (?:before|earlier)\b", r"\bmonthly\b", r"\bmensual\b", r"\bVormonat", r"\bmes anterior\b",
    r"\bbulan sebelumnya\b", r"\bso với tháng\b",
    rf"\b(?:from|than|over|to|compared (?:to|with)|versus|vs\.?)\s+(?:{MONTHS_EN})(?:'s)?\b(?!\s+(?:of\s+)?\d{{4}})",
    r"\bque en (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b",
    rf"\b(?:from|than|compared (?:to|with)|versus)\s+[\d,.]+ (?:metric )?(?:tons|tonnes|t)\b(?: recorded)? in (?:{MONTHS_EN})\b(?!\s+\d{{4}})",
    rf"\b(?:from|than|over|compared (?:to|with))\s+(?:the )?(?:figure|level|volume|total) (?:for|in|of) (?:{MONTHS_EN})\b",
    r"\bfrom last month\b", r"[與与]\s?\d{1,2}\s?月相比", r"\d{1,2}월\s?(?:\(?[\d.,]+\s?(?:톤|t)\)?)?\s?(?:에서|보다)",
    "环比", "環比", "月增", "月减", "月減", "上月", "上個月", r"[較较比]\s?的?\s?(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s?月",
    "前月比", "前月", "前の月", "전월 대비", "전달 대비", "전월", "전달", r"\d{1,2}월보다",
])
YEAR_ON_YEAR = _alternation([
    r"\byear-?\s?(?:on|over)-?\s?year\b", r"\by(?:o|/)y\b", r"\bon (?:the )?year\b", r"\ba year (?:earlier|before|ago)\b",
    r"\bthe year before\b", r"\b(?:same|corresponding) (?:month|period|quarter)\b", r"\b(?:previous|prior|last) year\b",
    r"\bannual(?:ly)?\b", r"\b(?:from|than|over|compared (?:to|with)|versus)\s+(?:the\s+)?(?:\w+\s+){0,3}20\d\d\b",
    rf"\b(?:from|than|compared (?:to|with)|versus)\s+(?:the\s+)?[\d,.]+\s+(?:metric\s+)?(?:tons|tonnes|t)\b(?:\s+\w+){{0,2}}\s+in\s+(?:{MONTHS_EN})\s+20\d\d\b",
    r"\bVorjahr", r"\binteranual\b", r"\bde 20\d\d\b", r"\bcùng kỳ\b", r"\btahun\b",
    "同比", "年增", "年减", "年減", "去年同期", "同期", "較去年", "前年同[月期]比?", "前年比", "前年", "前の年",
    "전년 동기 대비", "전년 대비", "전년", "작년",
])
SINCE = _alternation([r"\bsince\b", r"\bseit\b", r"\bdesde\b"])
YEAR_TO_DATE = _alternation([
    r"\bfirst (?:two|three|four|five|six|seven|eight|nine|ten|eleven|\d+) months\b", r"\bfirst (?:quarter|half)\b",
    r"\byear[- ]to[- ]date\b", r"\bcumulative\b", rf"\b(?:{MONTHS_EN})\s?(?:-|to|through)\s?(?:{MONTHS_EN})\b",
    "累計", "累计", r"前\s?\d+\s?[月个個]", r"1\s?[〜~-]\s?\d+\s?月",
])

# The words a page uses for what it counts; longer phrases first, so the most specific one wins.
CATEGORY = _alternation([
    r"rare[- ]earth products?\W+including magnets", r"rare[- ]earth (?:permanent )?magnets? and (?:permanent magnet )?alloys",
    r"rare[- ]earth permanent magnets?", r"rare[- ]earth magnets?", r"permanent magnets?", r"uncommon earth magnets?",
    r"\bREPMs?\b", r"(?:group of )?17 (?:minerals|elements)", r"rare[- ]earth products?",
    r"rare[- ]earth (?:metals? and alloys|metal ores?|ores?|concentrates|oxides|compounds|separation products|raw materials|metals|minerals|elements)",
    r"unlisted rare[- ]earth oxides?", r"mixed rare[- ]earth carbonate", r"rare[- ]earths?", r"\bmagnets?\b",
    r"dysprosium(?: oxide)?", r"terbium(?: oxide)?", r"yttrium(?: oxide| products)?", r"(?:NdPr|neodymium[- ]praseodymium) oxide",
    r"neodymium (?:oxide|metal)",
    "稀土永磁体", "稀土永磁", "稀土磁[鐵铁體体]", "稀土", "レアアース\\s?[(（]希土類[)）]\\s?磁石", "レアアース磁石", "希土類磁石材料",
    "希土類磁石", "永久磁石", "レアアース", "希土類", "희토류 영구자석", "희토류 자석", "희토류",
    r"Seltene-Erden-Magnet\w*", r"Seltenerdmagnet\w*", r"Seltene[n]? Erden", r"Dysprosium", r"Terbium",
    r"imanes de tierras raras", r"tierras raras", r"nam châm đất hiếm", r"đất hiếm", r"magnet tanah jarang",
    r"(?:bijih logam |karbonat |oksida )?tanah jarang(?: campuran)?", r"magneti",
])

CREDITS = [
    ("Reuters", re.compile(r"\bReuters\b")),
    ("Bloomberg", re.compile(r"\bBloomberg\b")),
    ("SMM", re.compile(r"\bSMM\b|Shanghai Metals Market")),
    ("Argus", re.compile(r"\bArgus\b")),
    ("Asian Metal", re.compile(r"\bAsian Metal\b")),
    ("Benchmark", re.compile(r"\bBenchmark\b")),
    ("Fastmarkets", re.compile(r"\bFastmarkets\b")),
    ("Adamas Intelligence", re.compile(r"\bAdamas\b")),
    ("China customs", re.compile(r"\bcustoms\b|\bGACC\b|海关|海關|해관총서|\bZoll|\baduanas?\b|\bbea cukai\b|\bhải quan\b", re.I)),
    ("Kyodo", re.compile(r"\bKyodo\b")),
    ("Nikkei", re.compile(r"\bNikkei\b")),
    ("Jiji", re.compile(r"\bJiji\b")),
    ("China Daily", re.compile(r"\bChina Daily\b")),
    ("CLEPA", re.compile(r"\bCLEPA\b")),
    ("EU Chamber of Commerce in China", re.compile(r"\bEU Chamber\b|European Union Chamber")),
    ("US Commerce Department", re.compile(r"\b(?:US|U\.S\.) Commerce Department\b")),
    ("MOFCOM", re.compile(r"\bMOFCOM\b|Ministry of Commerce|Commerce Ministry|commerce ministry|商务部|商務部")),
]

QUALIFIER_WORDS = [
    ("ask price", re.compile(r"\bask(?:ing)?[- ]price\b|\boffers?\b", re.I)),
    ("at least", re.compile(r"\bat least\s*$|至少\s*$|최소\s*$", re.I)),
    ("over", re.compile(r"(?:\bover|\bmore than|\babove|\bsurpassing|\btopping|\bexceeding|\bin excess of|\bupwards of"
                        r"|\bjust over|超过|超過|逾|\büber|\bmehr als|\bmás de)\s*\S{0,2}\s*$", re.I)),
    ("under", re.compile(r"(?:\bunder|\bless than|\bbelow|\bfewer than|不到|\bunter|\bweniger als)\s*\S{0,2}\s*$", re.I)),
    ("about", re.compile(r"(?:\babout|\bapproximately|\bapprox\.|\baround|\broughly|\bnearly|\balmost|\bsome|\bcirca"
                         r"|\bclose to|\bnear|~|≈|約|约|约为|大约|およそ|近|약|\bknapp|\brund|\betwa|\bcerca de"
                         r"|\balrededor de|\bsekitar|\bkhoảng)\s*(?:US)?\$?\s*$", re.I)),
]
QUALIFIER_AFTER = [("about", re.compile(r"^\s*\S{0,3}\s*(?:가량|정도|前後|左右)")), ("over", re.compile(r"^\s*\S{0,3}\s*(?:이상|以上|余|多)"))]
# A figure the excerpt compares against (the base of a change), not the figure that changed.
BASE_BEFORE = re.compile(r"(?:\b(?:from|than|compared (?:to|with)|versus|vs\.?|after|dari|dibandingkan dengan|so với)\s+"
                         r"(?:(?!(?:to|at|menjadi|hit|reach\w*|total\w*)\b)[\w-]+\s+){0,4}"
                         r"|\b(?:verglichen mit|nach|von)\s+|(?:[較较比从從]|對比)\s?(?:[^，,。\d]{0,8}?|\d{1,4}\s?[年月][^，,。]{0,6}?)的?\s?)"
                         r"(?:US)?\$?$", re.I)
BASE_AFTER = re.compile(r"^\s*\S{0,4}\s*(?:에서|보다|から)")


# --- numbers ----------------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:[.,]\d+)*)(?:\s*(million|mln|mio|billion|bn)\b|\s?(万|萬|만)(\d{1,4})?|천(\d{1,3}))?", re.I)
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                            "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
PERCENT = re.compile(
    r"(?:(?<!\d)(?P<sign>[+\-−↑↓])\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
    rf"|\b(?:{'|'.join(NUMBER_WORDS)})(?=\s?(?:percent|per\s?cent)\b))\s*"
    r"(?:%|\bpercent\b|\bper\s?cent\b|pc\b|\bProzent\b|퍼센트|\bpor ciento\b|\bper cento\b)", re.I)
PURITY_NEAR = re.compile(r"^\W{0,3}\s*(?:\)|[a-z]*\s*(?:dysprosium|terbium|yttrium|neodymium|samarium|praseodymium|oxide|metal|ratio|nd))", re.I)


PURITY_BEFORE = re.compile(r"(?:oxide|metal|dysprosium|terbium|yttrium|neodymium|samarium|praseodymium)\s*\(?\s*$|\(\s*$", re.I)


def _readings(token: str) -> set[Decimal]:
    """What a written number can mean: 4,400 and 16.686 may be thousands or decimals; 29,5 is 29.5."""
    out = set()
    seps = re.findall(r"[.,]", token)
    if not seps:
        return {Decimal(token)}
    groups = re.split(r"[.,]", token)
    if len(set(seps)) == 2:
        decimal = seps[-1]
        whole = re.sub(r"[.,]", "", token[:token.rfind(decimal)])
        return {Decimal(f"{whole}.{groups[-1]}")}
    if all(len(g) == 3 for g in groups[1:]):
        out.add(Decimal("".join(groups)))
    if len(seps) == 1:
        out.add(Decimal(f"{groups[0]}.{groups[1]}"))
    return out


@dataclass
class Number:
    start: int
    end: int
    values: set[Decimal]


def numbers(text: str) -> list[Number]:
    found = []
    for m in NUMBER.finditer(text):
        try:
            values = _readings(m.group(1))
        except InvalidOperation:
            continue
        word, myriad, rest, thousand_rest = m.group(2), m.group(3), m.group(4), m.group(5)
        if word:
            scale = Decimal(10) ** (9 if word.lower() in ("billion", "bn") else 6)
            values = {v * scale for v in values}
        elif myriad:
            values = {v * 10000 + Decimal(rest or 0) for v in values}
        elif thousand_rest:
            values = {v * 1000 + Decimal(thousand_rest) for v in values}
        found.append(Number(m.start(), m.end(), values))
    return found


AMOUNT_UNIT = re.compile(r"^\s?(?:metric\s+)?(?:tons?|tonnes?|t|mt|kg|kilograms?|Tonnen|Kilogramm|toneladas|tonnellate|ton|tấn"
                         r"|톤|噸|吨|公噸|公吨|トン|million|billion)(?![A-Za-z])|^/kg", re.I)


def amounts(text: str) -> list[Number]:
    """The numbers of the excerpt written with a unit of quantity or money (the figures it reports)."""
    return [n for n in numbers(text) if AMOUNT_UNIT.match(text[n.end:]) or text[max(0, n.start - 1):n.start] == "$"]


def locate_figure(text: str, value: str, metric: str) -> Number | None:
    """Where the row's figure is written in the excerpt (tonnes or kilograms, per tonne or per kilogram)."""
    try:
        target = Decimal(value)
    except InvalidOperation:
        return None
    percents = [(m.start("num"), m.end()) for m in PERCENT.finditer(text)]
    for n in numbers(text):
        if metric != "share_pct" and any(s <= n.start < e for s, e in percents):
            continue
        if any(v * scale == target for v in n.values for scale in (1, 1000, Decimal("0.001"))):
            return n
    return None


# --- one excerpt ------------------------------------------------------------------------------

@dataclass
class StatedPercent:
    value: str
    compares: str
    category_words: str
    start: int
    end: int


def _nearest(pattern: re.Pattern, text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, re.Match] | None:
    """The match of `pattern` within text[lo:hi] nearest to the span start..end, with its distance."""
    best = None
    for m in pattern.finditer(text, lo, hi):
        if m.end() <= start:
            d = start - m.end()
        elif m.start() >= end:
            d = m.start() - end
        else:
            d = 0
        if best is None or d < best[0]:
            best = (d, m)
    return best


def _format_pct(num: str, negative: bool) -> str:
    num = str(NUMBER_WORDS.get(num.lower(), num))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", num):
        num = num.replace(",", "")
    num = num.replace(",", ".")
    return f"-{num}" if negative and Decimal(num) != 0 else num


def stated_percentages(quote: str, span: str = "") -> list[StatedPercent]:
    """Every percentage the excerpt states, signed (a fall is negative), with what it compares.

    Words are looked for first in the rest of the percentage's clause ("down 5% from July"),
    then in the clause before it ("前年比20.3%", "a decrease of 5.2%"), then anywhere between the
    neighbouring percentages; a percentage with no words of its own takes those of the one
    before ("down 51% MoM and 45% YoY" is two falls). `span` is what the row's figure covers:
    `ytd` (January to a month: a change on the year is `ytd_yoy`, and so is one that names no
    comparison), `year` (a change that names none is on the year before), or empty. Purities
    (99.5% dysprosium oxide) are not statements and are skipped.
    """
    text = normal(quote)
    matches = [m for m in PERCENT.finditer(text) if not _is_purity(text, m)]
    out: list[StatedPercent] = []
    previous: tuple[bool, str] | None = None
    for i, m in enumerate(matches):
        lo = matches[i - 1].end() if i else 0
        hi = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        start, end = m.start("num"), m.end()
        windows = _windows(text, m.start(), end, lo, hi)
        sign = m.group("sign")
        if sign in ("-", "−", "↓", "+", "↑"):
            negative = sign in ("-", "−", "↓")
        else:
            direction = _first(windows, text, start, end, (("fall", FALLING), ("rise", RISING)))
            negative = direction == "fall" if direction else (previous[0] if previous else False)
        compares = _compares(text, start, end, windows, span, previous[1] if previous else None)
        previous = (negative, compares)
        category = _nearest(CATEGORY, text, start, end, 0, len(text))
        out.append(StatedPercent(_format_pct(m.group("num"), negative and compares != "share"), compares,
                                 category[1].group(0) if category else "", start, end))
    return out


def _is_purity(text: str, m: re.Match) -> bool:
    """99.5% dysprosium oxide, neodymium oxide 99.5%, a purity of 99.999%, Samarium oxide (99.9%)."""
    if not 99 <= Decimal(_format_pct(m.group("num"), False)) < 100:
        return False
    before = text[max(0, m.start() - 30):m.start()]
    return bool(PURITY_NEAR.match(text[m.end():]) or PURITY_BEFORE.search(before) or re.search(r"purity of\s*$", before))


CLAUSE_END = re.compile(r"[;:。，、()]|[,.](?!\d)|\s[–—-]\s|\b(?:and|but|while|y|und)\b|그리고")


def _windows(text: str, start: int, end: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where a percentage's words are: the rest of its clause, the clause before it, the segment."""
    after = CLAUSE_END.search(text, end, hi)
    before = max((m.end() for m in CLAUSE_END.finditer(text, lo, start)), default=lo)
    return [(end, after.start() if after else hi), (before, start), (lo, hi)]


def _first(windows: list[tuple[int, int]], text: str, start: int, end: int, patterns) -> str | None:
    """The name of the pattern found nearest the percentage in the first window holding any."""
    for lo, hi in windows:
        hits = [(hit[0], name) for name, pattern in patterns if (hit := _nearest(pattern, text, start, end, lo, hi))]
        if hits:
            return min(hits)[1]
    return None


def _compares(text: str, start: int, end: int, windows: list[tuple[int, int]], span: str, previous: str | None) -> str:
    if re.match(r"\s*(?:%|percent|per\s?cent)?\s*of\b", text[end:], re.I) or re.match(r"\s*(?:를|을)?\s*차지", text[end:]):
        return "share"
    kinds = (("share", SHARE), ("mom", MONTH_ON_MONTH), ("yoy", YEAR_ON_YEAR))
    # 'since January' counts only in the percentage's own clauses ('lowest since 2017' elsewhere does not)
    code = _first(windows[:2], text, start, end, kinds + (("other", SINCE),)) or _first(windows[2:], text, start, end, kinds)
    if code is None:
        return previous or {"ytd": "ytd_yoy", "year": "yoy"}.get(span, "other")
    if code == "yoy" and (span == "ytd" or (not span and YEAR_TO_DATE.search(text))):
        return "ytd_yoy"
    return code


def credits_of(quote: str) -> str:
    """The agencies or bodies the excerpt names, in a fixed order, `; ` between them."""
    text = normal(quote)
    return "; ".join(name for name, pattern in CREDITS if pattern.search(text))


def qualifier_of(quote: str, value: str, metric: str) -> str:
    """`about`, `over`, ... when the words just before or after the row's figure make it a bound or an estimate."""
    text = normal(quote)
    figure = locate_figure(text, value, metric)
    if figure is None:
        return ""
    before = text[max(0, figure.start - 40):figure.start]
    before = re.split(r"(?<!approx)[.;,，、。]\s", before)[-1]
    after = text[figure.end:figure.end + 12]
    found = [name for name, pattern in QUALIFIER_WORDS if pattern.search(before)]
    if "ask price" not in found and QUALIFIER_WORDS[0][1].search(text[:figure.start]):
        found.insert(0, "ask price")
    found += [name for name, pattern in QUALIFIER_AFTER if pattern.search(after) and name not in found]
    return "; ".join(dict.fromkeys(found))


def headline_of(quote: str, url: str) -> str:
    """The excerpt's opening words when they are the story's headline: a short run, with no
    closing full stop, holding most of the words of the page address's slug (which news sites
    make from the headline)."""
    text = normal(quote).strip()
    head = re.split(r"\s[|–—-]\s", text, maxsplit=1)[0].strip()
    slug = [w for w in re.split(r"[^a-z0-9]+", unquote(urlparse(url).path).lower()) if len(w) > 2 and not w.isdigit()]
    words = set(re.findall(r"[a-z0-9]+", head.lower().replace("’", "").replace("'", "")))
    if len(slug) < 4 or head.endswith(".") or len(head.split()) > 16:
        return ""
    return head if sum(w in words for w in slug) / len(slug) >= 0.8 else ""


def is_base(text: str, figure: Number) -> bool:
    """True when the excerpt names the figure as the base of a comparison ('up 5% from 4,725 t')."""
    return bool(BASE_BEFORE.search(text[max(0, figure.start - 40):figure.start]) or BASE_AFTER.search(text[figure.end:figure.end + 8]))


# --- one file ---------------------------------------------------------------------------------

@dataclass
class Snapshot:
    """A file stripped of page text, with what was extracted from it."""

    name: str
    columns: list[str]
    rows: list[dict]
    percentages: list[dict]
    corrections_applied: int = 0



def extract(path: Path) -> Snapshot:
    """The automatic extraction of one gathered file (no corrections applied)."""
    columns, records = read_rows(path)
    is_events = "date" in columns
    required = GATHERED_EVENT_COLUMNS if is_events else GATHERED_FIGURE_COLUMNS
    missing = [c for c in required if c not in columns]
    if missing:
        raise SnapshotError(f"{path.name}: missing column(s) {', '.join(missing)}; expected a file of reported "
                            f"{'events' if is_events else 'figures'} with columns {', '.join(required)}")
    extracted = EVENT_EXTRACTED if is_events else FIGURE_EXTRACTED
    kept = [c for c in columns if c not in PAGE_TEXT_COLUMNS] + list(extracted)
    by_quote: dict[str, list[tuple[int, dict]]] = {}
    for line, rec in enumerate(records, start=2):
        by_quote.setdefault(rec["quote"].strip(), []).append((line, rec))
    refs: dict[str, str] = {}
    rows, percentages = [], []
    for line, rec in enumerate(records, start=2):
        quote = rec["quote"].strip()
        ref = quote_ref(quote)
        if ref and refs.setdefault(ref, quote) != quote:
            raise SnapshotError(f"{path.name}:{line}: two different excerpts share the hash {ref}; lengthen quote_ref")
        row = {c: rec[c] for c in columns if c not in PAGE_TEXT_COLUMNS}
        row.update(quote_ref=ref, credits=credits_of(quote), headline=headline_of(quote, rec["source_url"]))
        if not is_events:
            row["qualifier"] = qualifier_of(quote, rec["value"].strip(), rec["metric"])
        rows.append(row)
        for pct in stated_percentages(quote, "" if is_events else _span(rec["period"], rec["metric"])):
            percentages.append({
                "input_file": path.name, "input_line": str(line), "quote_ref": ref, "stated_pct": pct.value,
                "compares": pct.compares, "category_words": pct.category_words,
                "of_row_figure": "" if is_events else _of_row_figure(quote, pct, line, rec, by_quote[quote]),
                "extracted_pct": pct.value,
            })
    return Snapshot(path.name, kept, rows, percentages)


def _span(period: str, metric: str) -> str:
    if metric.startswith("price"):
        return ""
    if period.endswith("-YTD"):
        return "ytd"
    return "year" if re.fullmatch(r"\d{4}", period) else "month"


def _of_row_figure(quote: str, pct: StatedPercent, line: int, rec: dict, sharing: list[tuple[int, dict]]) -> str:
    """`yes` when the percentage describes the row's own figure; `no` when the row's figure is the
    base of the comparison, or another amount of the excerpt stands nearer to the percentage."""
    text = normal(quote)
    own = locate_figure(text, rec["value"].strip(), rec["metric"])
    if own is None:
        return "yes"
    if is_base(text, own):
        return "no"
    def distance(n: Number) -> int:
        return min(abs(pct.start - n.end), abs(n.start - pct.end))
    others = [locate_figure(text, r["value"].strip(), r["metric"]) for other, r in sharing if other != line]
    others += amounts(text)
    others = [n for n in others if n is not None and n.start != own.start and not is_base(text, n)]
    return "no" if any(distance(n) < distance(own) for n in others) else "yes"


# --- corrections ------------------------------------------------------------------------------

def apply_corrections(snapshot: Snapshot, corrections: list[dict]) -> Snapshot:
    """Applies the hand corrections for this file, in their order.

    A row column (`credits`, `qualifier`, `headline`) is named by its line; a percentage by its
    line and the value the extraction gave (`stated_pct`), or the added value for one the
    extraction missed (a `stated_pct` correction with no `stated_pct`); an empty `corrected`
    percentage drops it. A correction whose `extracted` value is not what the extraction gives,
    or that names a line or percentage that does not exist, stops the snapshot.
    """
    by_line = {str(i): r for i, r in enumerate(snapshot.rows, start=2)}
    for c in (c for c in corrections if c["input_file"] == snapshot.name):
        where = f"{CORRECTIONS_FILE}: {c['input_file']}:{c['input_line']} {c['column']}"
        row = by_line.get(c["input_line"])
        if row is None:
            raise SnapshotError(f"{where}: no such line in {snapshot.name}")
        if c["column"] in ("credits", "qualifier", "headline"):
            if c["column"] not in row:
                raise SnapshotError(f"{where}: {snapshot.name} has no column {c['column']}")
            target = row
        elif c["column"] == "stated_pct" and not c["stated_pct"]:
            snapshot.percentages.append({
                "input_file": snapshot.name, "input_line": c["input_line"], "quote_ref": row["quote_ref"],
                "stated_pct": c["corrected"], "compares": "other", "category_words": "",
                "of_row_figure": "yes" if "qualifier" in row else "", "extracted_pct": ""})
            snapshot.corrections_applied += 1
            continue
        elif c["column"] in ("stated_pct", "compares", "category_words", "of_row_figure"):
            target = _percentage(snapshot, c, where)
        else:
            raise SnapshotError(f"{where}: unknown column (expected credits, qualifier, headline, stated_pct, "
                                "compares, category_words or of_row_figure)")
        if target[c["column"]] != c["extracted"]:
            raise SnapshotError(f"{where}: expected the extraction to give {c['extracted']!r}, it gives "
                                f"{target[c['column']]!r}; review the correction")
        target[c["column"]] = c["corrected"]
        snapshot.corrections_applied += 1
    snapshot.percentages = sorted((p for p in snapshot.percentages if p["stated_pct"] != ""),
                                  key=lambda p: int(p["input_line"]))
    return snapshot


def _percentage(snapshot: Snapshot, c: dict, where: str) -> dict:
    hits = [p for p in snapshot.percentages if p["input_line"] == c["input_line"]
            and (p["extracted_pct"] or p["stated_pct"]) == c["stated_pct"]]
    if len(hits) != 1:
        raise SnapshotError(f"{where}: {len(hits)} percentage(s) {c['stated_pct']!r} on that line; expected one")
    return hits[0]


def check(snapshot: Snapshot) -> None:
    """The codes of the output are the documented ones."""
    for p in snapshot.percentages:
        where = f"{snapshot.name}:{p['input_line']}: percentage {p['stated_pct']}"
        try:
            Decimal(p["stated_pct"])
        except InvalidOperation:
            raise SnapshotError(f"{where}: not a number") from None
        if p["compares"] not in COMPARES:
            raise SnapshotError(f"{where}: compares {p['compares']!r} is not one of {', '.join(COMPARES)}")
        if p["of_row_figure"] not in (("yes", "no") if "qualifier" in snapshot.columns else ("",)):
            raise SnapshotError(f"{where}: of_row_figure {p['of_row_figure']!r}")
    for line, row in enumerate(snapshot.rows, start=2):
        for q in filter(None, row.get("qualifier", "").split("; ")):
            if q not in QUALIFIERS:
                raise SnapshotError(f"{snapshot.name}:{line}: qualifier {q!r} is not one of {', '.join(QUALIFIERS)}")


def snapshot_press(path: Path, vintage: str, out_root: Path) -> Snapshot:
    """Writes the stripped copy of `path` and its percentages into out_root/<vintage>/."""
    if not VINTAGE.fullmatch(vintage):
        raise SnapshotError(f"--vintage {vintage!r}: expected YYYY-MM, the month the gathering covers up to")
    if not path.is_file():
        raise SnapshotError(f"{path}: no such file")
    out_dir = out_root / vintage
    corrections_path = out_dir / CORRECTIONS_FILE
    corrections = read_rows(corrections_path)[1] if corrections_path.is_file() else []
    snapshot = apply_corrections(extract(path), corrections)
    check(snapshot)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_rows(out_dir / path.name, snapshot.columns, snapshot.rows)
    pct_path = out_dir / PERCENT_FILE
    others = [p for p in (read_rows(pct_path)[1] if pct_path.is_file() else []) if p["input_file"] != path.name]
    merged = sorted(others + snapshot.percentages, key=lambda p: p["input_file"])
    write_rows(pct_path, PERCENT_FIELDS, merged)
    return snapshot
