# SPDX-License-Identifier: Apache-2.0
"""A strict parser of the Prometheus text exposition format (0.0.4) for the
integration tests that scrape weir's /metrics endpoints (test_metrics.py for
the registry and REST proxy, broker/test_broker_metrics.py for the broker).

It owns the format checks and the lookups, nothing else: parse() refuses,
with an AssertionError naming the line, any text that breaks a rule below,
and Scrape wraps one parsed answer with lookup helpers. Fetching /metrics
(status, Content-Type) and what the numbers must be are the tests' business.

Rules: the text ends with a newline and has no empty line; a `# HELP` or
`# TYPE` line is well formed (known type, HELP escapes only \\\\ and \\n), at
most one of each per family, TYPE before the family's first sample; every
sample's family is declared (a histogram's or summary's _bucket/_sum/_count
samples belong to it); a family's lines (HELP, TYPE, samples) are contiguous;
no series appears twice; names, label names, label values (escapes only \\\\,
\\" and \\n) and values are well formed; no label twice in a sample; no
timestamp (weir never writes one); counters are not negative; a histogram
has only _bucket (with an le label), _sum and _count samples, and each of its
series has buckets in ascending le order, cumulative, ending with le="+Inf"
equal to _count, and a _sum that is not negative."""

import math
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SAMPLE_RE = re.compile(rf"^({NAME})(?:\{{(.*)\}})? (\S+)$")
LABEL_RE = re.compile(rf'({LABEL})="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
HELP_RE = re.compile(rf"^# HELP ({NAME}) ((?:[^\\\n]|\\[\\n])*)$")
TYPE_RE = re.compile(rf"^# TYPE ({NAME}) ({'|'.join(TYPES)})$")
VALUE_RE = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
SUFFIXES = ("_bucket", "_sum", "_count")


def unescape(v):
    """A label value's text with its escapes (\\\\, \\", \\n) resolved."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "\\": "\\", '"': '"'}[m.group(1)], v)


def parse_value(text, line):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    assert VALUE_RE.fullmatch(text), f"bad sample value {text!r} in {line!r}"
    return float(text)


def parse_labels(text, line):
    """{name: unescaped value} of the text between { and }."""
    labels = {}
    pos = 0
    while pos < len(text):
        m = LABEL_RE.match(text, pos)
        assert m, f"bad label set at {text[pos:]!r} in {line!r}"
        assert m.group(1) not in labels, f"label {m.group(1)} twice in {line!r}"
        labels[m.group(1)] = unescape(m.group(2))
        pos = m.end()
    return labels


def family_of(name, types):
    """The declared family a sample name belongs to (histogram and summary
    suffixes); AssertionError when there is none."""
    if name in types:
        return name
    for suffix in SUFFIXES:
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) in ("histogram", "summary"):
            return base
    raise AssertionError(f"sample {name} has no # TYPE line before it")


def parse(text):
    """Parses exposition text strictly (the rules in the module comment).
    Returns (types, samples): types {family: type} in the text's order,
    samples {(name, frozenset(labels.items())): value} in the text's order."""
    assert text.endswith("\n"), "the exposition must end with a newline"
    types, helps, samples = {}, set(), {}
    closed, current = set(), None  # families already written / being written
    for line in text[:-1].split("\n"):
        assert line, "empty line in the exposition"
        if line.startswith("#"):
            if line.startswith("# TYPE "):
                m = TYPE_RE.match(line)
                assert m, f"bad TYPE line {line!r}"
                fam = m.group(1)
                assert fam not in types, f"second TYPE line for {fam}"
                types[fam] = m.group(2)
            elif line.startswith("# HELP "):
                m = HELP_RE.match(line)
                assert m, f"bad HELP line {line!r}"
                fam = m.group(1)
                assert fam not in helps, f"second HELP line for {fam}"
                helps.add(fam)
            else:
                continue  # a plain comment
        else:
            m = SAMPLE_RE.match(line)
            assert m, f"malformed sample line {line!r}"
            name, label_text, value_text = m.groups()
            labels = parse_labels(label_text or "", line)
            fam = family_of(name, types)
            key = (name, frozenset(labels.items()))
            assert key not in samples, f"series twice: {line!r}"
            samples[key] = parse_value(value_text, line)
            if types[fam] == "counter":
                assert samples[key] >= 0, f"negative counter {line!r}"
            if types[fam] == "histogram":
                assert name != fam, f"histogram sample without a suffix: {line!r}"
                assert ("le" in labels) == (name == fam + "_bucket"), f"le label misplaced in {line!r}"
        if fam != current:
            assert fam not in closed, f"lines of {fam} are not contiguous"
            if current is not None:
                closed.add(current)
            current = fam
    for fam, t in types.items():
        if t == "histogram":
            check_histogram(fam, samples)
    return types, samples


def check_histogram(fam, samples):
    """Every series of histogram fam: buckets in ascending le order (as
    written), cumulative, ending with +Inf equal to _count; _sum present and
    not negative; no _sum or _count without buckets. Returns the number of
    series."""
    series = {}
    for (name, labels), v in samples.items():
        if name not in (fam + "_bucket", fam + "_sum", fam + "_count"):
            continue
        d = dict(labels)
        le = d.pop("le", None)
        s = series.setdefault(frozenset(d.items()), {"buckets": [], "count": None, "sum": None})
        if name == fam + "_bucket":
            s["buckets"].append((parse_value(le, f"{name}{{le={le!r}}}"), v))
        else:
            s[name[len(fam) + 1:]] = v
    for key, s in series.items():
        where = f"{fam}{dict(key)}"
        les = [le for le, _ in s["buckets"]]
        assert les and les == sorted(les) and les[-1] == math.inf, f"{where}: buckets {les}, no +Inf last"
        counts = [c for _, c in s["buckets"]]
        assert counts == sorted(counts), f"{where}: buckets not cumulative: {counts}"
        assert s["count"] == counts[-1], f"{where}: _count {s['count']} != +Inf bucket {counts[-1]}"
        assert s["sum"] is not None and s["sum"] >= 0, f"{where}: _sum {s['sum']}"
    return len(series)


class Scrape:
    """One parsed /metrics answer (parse() has checked it) with lookups.
    types {family: type}; samples {(name, frozenset(labels.items())): value}."""

    def __init__(self, text):
        self.text = text
        self.types, self.samples = parse(text)

    def get(self, name, **labels):
        """The value of exactly this series (AssertionError when absent)."""
        key = (name, frozenset(labels.items()))
        assert key in self.samples, f"no series {name}{labels} in scrape"
        return self.samples[key]

    def value(self, name, default=0.0, **labels):
        """The value of this series, default when the series does not exist
        (yet); its family must be declared (AssertionError otherwise)."""
        family_of(name, self.types)
        return self.samples.get((name, frozenset(labels.items())), default)

    def series(self, name, **match):
        """[(labels dict, value)] of name whose labels include match."""
        out = []
        for (n, labels), v in self.samples.items():
            d = dict(labels)
            if n == name and all(d.get(k) == val for k, val in match.items()):
                out.append((d, v))
        return out

    def check_histograms(self):
        """Number of histogram series (parse() has checked each of them);
        AssertionError when a histogram family has no series at all."""
        checked = 0
        for fam, t in self.types.items():
            if t == "histogram":
                n = check_histogram(fam, self.samples)
                assert n, f"histogram {fam} has no buckets"
                checked += n
        return checked


# the texts parse() must refuse, one rule each (run by the tests' self-test)
BAD_EXPOSITIONS = [
    "# TYPE x counter\nx 1",                                      # no final newline
    "# TYPE x counter\n\nx 1\n",                                  # empty line
    "x 1\n",                                                      # no TYPE
    "x 1\n# TYPE x counter\n",                                    # TYPE after the sample
    "# TYPE x counter\n# TYPE x counter\nx 1\n",                  # TYPE twice
    "# TYPE x nonsense\nx 1\n",                                   # unknown type
    "# TYPE 1x counter\n",                                        # bad TYPE name
    "# HELP x a\n# HELP x b\n# TYPE x counter\nx 1\n",            # HELP twice
    "# HELP x bad \\q escape\n# TYPE x counter\nx 1\n",           # bad HELP escape
    "# HELP x\n# TYPE x counter\nx 1\n",                          # HELP without text
    "# TYPE x counter\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n",             # series twice
    "# TYPE x counter\nx{a=1} 1\n",                               # unquoted label
    "# TYPE x counter\nx{a=\"1\",a=\"2\"} 1\n",                   # label twice
    "# TYPE x counter\nx{a=\"\\q\"} 1\n",                         # bad label escape
    "# TYPE x counter\nx{1a=\"1\"} 1\n",                          # bad label name
    "# TYPE x counter\n# TYPE y gauge\ny 1\nx 2\n",               # x not contiguous (TYPE, y, x)
    "# TYPE x gauge\nx{a=\"1\"} 1\n# TYPE y gauge\ny 1\nx{a=\"2\"} 2\n",  # samples of x split
    "# TYPE x gauge\nx one\n",                                    # bad value
    "# TYPE x gauge\nx 1 1700000000000\n",                        # timestamp
    "# TYPE x gauge\nx  1\n",                                     # two spaces
    "# TYPE x counter\nx -1\n",                                   # negative counter
    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  # not cumulative
    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                          # no +Inf
    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  # le order
    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",                       # _count != +Inf
    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",                                # no _sum
    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum -1\nh_count 1\n",                      # negative _sum
    "# TYPE h histogram\nh_sum 1\nh_count 1\n",                                                # no buckets
    "# TYPE h histogram\nh_bucket 1\nh_sum 1\nh_count 1\n",                                    # bucket without le
    "# TYPE h histogram\nh 1\n",                                                               # no suffix
]

GOOD_EXPOSITION = (
    "# a plain comment\n"
    "# HELP x A counter with \\\\ and \\n in its help.\n"
    "# TYPE x counter\n"
    "x{a=\"q\\\"uo\\\\te\\n\",b=\"\"} 3\n"
    "x 0\n"
    "# TYPE g gauge\n"
    "g -2.5e-3\n"
    "g{k=\"v\"} NaN\n"
    "# HELP h A histogram.\n"
    "# TYPE h histogram\n"
    "h_bucket{le=\"0.5\"} 1\n"
    "h_bucket{le=\"+Inf\"} 3\n"
    "h_sum 4.5\n"
    "h_count 3\n"
)


def self_test():
    """parse() refuses every BAD_EXPOSITIONS text and reads GOOD_EXPOSITION
    right: the checks the tests rely on do fail on bad input."""
    for text in BAD_EXPOSITIONS:
        try:
            parse(text)
        except AssertionError:
            continue
        raise AssertionError(f"parser accepted {text!r}")
    s = Scrape(GOOD_EXPOSITION)
    assert s.types == {"x": "counter", "g": "gauge", "h": "histogram"}, s.types
    assert s.get("x", a='q"uo\\te\n', b="") == 3 and s.get("x") == 0
    assert s.get("g") == -0.0025 and math.isnan(s.get("g", k="v"))
    assert s.value("x", a="nope") == 0.0 and s.value("h_count") == 3
    assert s.series("h_bucket") == [({"le": "0.5"}, 1), ({"le": "+Inf"}, 3)]
    assert s.check_histograms() == 1
    try:
        s.value("undeclared")
    except AssertionError:
        pass
    else:
        raise AssertionError("value() of an undeclared family answered")
    try:
        Scrape("# TYPE h histogram\n# TYPE x counter\nx 1\n").check_histograms()
    except AssertionError:
        pass
    else:
        raise AssertionError("check_histograms() accepted a histogram without buckets")
