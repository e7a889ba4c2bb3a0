"""The engine: a document in, its kept paragraphs and the reasons for every removal out.

`Cleaner` compiles a `RuleSet` once. Cleaning a document is a pure function of the text:

1. line breaks are unified and the `normalize` rules transform the whole text (line count kept);
2. every non-blank line, stripped, is a paragraph that remembers its input line;
3. the trigger scan (`cleaner.scan`) flags the few paragraphs any rule could drop, each with
   the rules whose triggers it may match, so plain prose costs at most one regex call a
   paragraph;
4. every dropping rule looks at the same document (a rule with triggers at the flagged
   paragraphs put down to it) and names the paragraphs it drops; the first rule (in load
   order) to name a paragraph is the one reported for it;
5. the first kept paragraph, if it reads as a headline, is the title.

No document state survives a call (all that fills in as documents pass is the trigger scan's
compile cache, see `cleaner.scan`), so one `Cleaner` serves any number of threads, and it
pickles to worker processes (the rules are recompiled there).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import regex

from .derived import PatternFacts, default_cache_dir
from .kinds import Kind, NormalizeRule, Page
from .kinds.line import LineRule
from .loader import RuleSet, load_rules, site_matches
from .model import Cleaned, Removal, RuleError, RuleTimeout
from .normalize import split_lines
from .scan import LengthTiers
from .schema import PATTERN_FLAGS
from .shapes import is_headline, is_title_like

TITLE_RULE_ID = "title"
TITLE_WHY = "The headline, left out on request (title=False)."

# Each regex call (trigger scan or rule) may run this long, in seconds, before the document is
# given up as failed: far above what any sane pattern needs on a 50 MB line, far below a hang.
DEFAULT_REGEX_TIMEOUT = 0.25
# ...plus this much per character of the document: a linear scan runs at 20-200 ns a character,
# so a long document is never failed for its length alone.
REGEX_SECONDS_PER_CHAR = 1e-6

# The removal guard looks only at documents of at least this many paragraphs: on a shorter one
# (a "Read more:" header and its one link, say) a rule may rightly remove nearly everything.
GUARD_MIN_PARAGRAPHS = 5

# Passes of the dropping rules over what earlier passes kept (see `Cleaner.clean`); real pages
# settle in two, and the cap keeps a hostile document from costing one pass per paragraph.
MAX_PASSES = 4


def guard_warning(rule_id: str, indices: Sequence[int], texts: Sequence[str], max_share: float) -> str | None:
    """A warning when one rule would remove most of a document's article, else None.

    "Most" is counted twice, and both counts must pass `max_share`: the share of the text (in
    characters: furniture lines are short, so on a furniture-heavy page a rule may rightly remove
    most *paragraphs*) and the share of the prose, the paragraphs that do not read as titles or
    labels. A `.*` pattern or a tail marker near the top removes most of both; a link-list rule
    on a page that holds nothing but menus removes all of the text but no prose, and is right.
    A paragraph whose very text stays elsewhere in the document is not counted: removing a copy
    loses nothing, and a page that prints its article three times over loses two thirds of its
    text to the dedupe rule, rightly.
    """
    if len(texts) < GUARD_MIN_PARAGRAPHS or not indices:
        return None
    chosen = set(indices)
    total = sum(map(len, texts))
    if sum(len(texts[i]) for i in chosen) <= max_share * total:
        return None  # the common answer, without looking for copies: they only lower the share
    kept = {t for i, t in enumerate(texts) if i not in chosen}
    chosen = {i for i in chosen if texts[i] not in kept}
    share = sum(len(texts[i]) for i in chosen) / total
    if share <= max_share:
        return None
    prose = [i for i, t in enumerate(texts) if not is_title_like(t)]
    prose_chars = sum(len(texts[i]) for i in prose)
    if not prose_chars or sum(len(texts[i]) for i in prose if i in chosen) <= max_share * prose_chars:
        return None
    return (
        f"guard: rule '{rule_id}' would remove {share:.0%} of the text, over max_removed_share "
        f"{max_share:.0%}; document kept whole"
    )


def verdict_is_per_paragraph(rule: Kind) -> bool:
    """True when whether `rule` drops a paragraph depends on nothing but that paragraph: then a
    later pass of `Cleaner.clean` over what the first pass kept cannot drop anything more with it.

    So far that is a `line` rule without `within_first`/`within_last`. Proof: its `select` names
    a paragraph if and only if the paragraph is a candidate, is at most `max_chars` long and its
    matcher matches it. A later pass sees a subset of the paragraphs, each with the same text and
    the same candidate flag (the scan is not repeated; `flagged_kept` carries the flags over), so
    every kept paragraph gets the same answer as in the first pass, and that answer was no (had
    the rule named it, it would have been dropped: the later passes run only when the first had
    no guard warning). The guard warns only about a rule that names something, so leaving the
    rule out of the later passes changes neither the drops nor the warnings. Every other kind
    looks at positions or neighbours (the first lines, the tail, a header's run, earlier copies)
    and is asked again.
    """
    return isinstance(rule, LineRule) and rule.within_first is None and rule.within_last is None


def _stored_facts(use_cache: bool) -> PatternFacts:
    """What earlier builds worked out about pattern texts (`cleaner.derived`), read from the
    cache folder; an empty memo without a file when `use_cache` is off."""
    return PatternFacts.load(default_cache_dir() if use_cache else None)


def site_of(url: str | None) -> str | None:
    """The host of a URL (or a bare domain), lower-cased, without 'www.' kept or removed: as given."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname
    return host.lower() if host else None


class Cleaner:
    """Compiled rules, built once and reused for any number of documents.

    >>> cleaner = Cleaner()
    >>> result = cleaner.clean("Read more:\\nA link title\\nThe article says this.")
    >>> result.text
    'The article says this.'
    >>> [(r.line, r.rule_id) for r in result.removed]
    [(1, 'read-more-list'), (2, 'read-more-list')]
    """

    def __init__(
        self,
        rule_paths: Iterable[str | os.PathLike[str]] = (),
        *,
        defaults: bool = True,
        ruleset: RuleSet | None = None,
        regex_timeout: float | None = DEFAULT_REGEX_TIMEOUT,
        use_cache: bool = True,
    ) -> None:
        """Rules from `rule_paths` (after the shipped ones, unless `defaults=False`), or an
        already loaded `ruleset`: not both. With `use_cache`, what the build works out about the
        patterns is read from and kept in the cache folder (`cleaner.derived`), which makes a
        build more than twice as fast once any build has run with the same rules and code."""
        rule_paths = tuple(rule_paths)
        if ruleset is not None and rule_paths:
            raise TypeError("Cleaner() takes rule_paths or a ruleset, not both")
        facts = _stored_facts(use_cache)
        if ruleset is None:
            read_from_file = bool(facts.known)
            try:
                ruleset = load_rules(rule_paths, defaults=defaults, facts=facts)
            except RuleError:
                if not read_from_file:
                    raise
                # A rule's example failed with answers from the file: work them all out again
                # (a wrong file must not turn into an error that blames the rules).
                facts = PatternFacts(facts.path)
                ruleset = load_rules(rule_paths, defaults=defaults, facts=facts)
        self.ruleset = ruleset
        self.regex_timeout = regex_timeout
        self.use_cache = use_cache
        self._compile(facts)
        facts.save()

    def _compile(self, facts: PatternFacts) -> None:
        enabled = [r for r in self.ruleset.rules if r.meta.enabled]
        self._normalizers: tuple[NormalizeRule, ...] = tuple(r for r in enabled if isinstance(r, NormalizeRule))
        self._droppers: tuple[Kind, ...] = tuple(r for r in enabled if not isinstance(r, NormalizeRule))
        self._site_scoped = any(r.meta.sites for r in enabled)
        self._tiers = LengthTiers.build(((r.max_chars, r.triggers()) for r in self._droppers), facts)
        # Each rule with triggers by its position in `_droppers`: the scan puts flagged
        # paragraphs down to rules by it.
        self._positions = {id(r): position for position, r in enumerate(self._droppers) if r.triggers()}
        # The rules asked in a pass of `clean`, in load order, by (whether the page has
        # candidates, whether it is a later pass), worked out once rather than per document: a
        # page without candidates is asked only the rules without triggers (see `Kind`), and a
        # later pass only the rules whose verdict is not a function of the paragraph alone (see
        # `verdict_is_per_paragraph`).
        self._asked: dict[tuple[bool, bool], tuple[Kind, ...]] = {
            (has_candidates, later): tuple(
                r
                for r in self._droppers
                if (has_candidates or not r.triggers()) and not (later and verdict_is_per_paragraph(r))
            )
            for has_candidates in (False, True)
            for later in (False, True)
        }

    def __getstate__(self) -> tuple[RuleSet, float | None, bool]:
        return self.ruleset, self.regex_timeout, self.use_cache

    def __setstate__(self, state: tuple[RuleSet, float | None, bool] | tuple[RuleSet, float | None]) -> None:
        """The state of `__getstate__`; a pickle made before `use_cache` existed has no flag."""
        self.ruleset, self.regex_timeout = state[0], state[1]
        self.use_cache = state[2] if len(state) > 2 else True
        facts = _stored_facts(self.use_cache)
        self._compile(facts)
        facts.save()

    def time_limit(self, chars: int) -> float | None:
        """The time each regex call may take on a document of `chars` characters: the base
        `regex_timeout`, plus `REGEX_SECONDS_PER_CHAR` for each character, so that a linear scan
        of a 50 MB line (about a second) is not taken for a hang, while a quadratic or
        exponential one is still stopped."""
        if self.regex_timeout is None:
            return None
        return self.regex_timeout + chars * REGEX_SECONDS_PER_CHAR

    def _candidates(
        self, texts: Sequence[str], line_numbers: Sequence[int], timeout: float | None
    ) -> dict[int, frozenset[int]]:
        """The paragraphs the trigger scan flags, each with the rules (by position in
        `_droppers`) it may concern (see `LengthTiers.flag`).

        If the scan of the whole document times out, the paragraphs are scanned again one at a
        time, and a paragraph that still times out is scanned rule by rule, so the error names
        the rule.
        """
        try:
            return self._tiers.flag(texts, timeout)
        except TimeoutError:
            pass
        flagged: dict[int, frozenset[int]] = {}
        for index, paragraph in enumerate(texts):
            try:
                found = self._tiers.flag([paragraph], timeout)
                if found:
                    flagged[index] = found[0]
            except TimeoutError:
                if self._scan_rule_by_rule(paragraph, line_numbers[index], timeout):
                    flagged[index] = frozenset(range(len(self._droppers)))
        return flagged

    def _scan_rule_by_rule(self, paragraph: str, line: int, timeout: float | None) -> bool:
        for rule in self._droppers:
            for source in rule.triggers():
                try:
                    if regex.compile(source, PATTERN_FLAGS).search(paragraph, timeout=timeout):
                        return True
                except TimeoutError:
                    raise RuleTimeout(rule.meta.id, timeout or 0.0, line) from None
        return False

    def _drops(
        self,
        rules: Sequence[Kind],
        texts: Sequence[str],
        indices: Sequence[int],
        flagged: dict[int, frozenset[int]],
        timeout: float | None,
    ) -> tuple[dict[int, tuple[str, str]], list[str]]:
        """One pass of the dropping rules over the paragraphs `indices` of `texts` (`flagged`
        indexes into that selection): the (rule id, why) of each dropped paragraph, by its index
        in `texts`, and the guard's warnings (shares are of the whole document).

        A rule with triggers sees as candidates only the flagged paragraphs put down to it, and
        is not asked at all when there are none: what it drops hangs on a paragraph its own
        triggers match (see `Kind`), and the others would each cost it a regex call or more."""
        page_texts = texts if len(indices) == len(texts) else [texts[i] for i in indices]
        candidates = tuple(sorted(flagged))
        by_rule = candidates_by_rule(candidates, flagged)
        page = Page(page_texts, candidates, timeout)
        dropped_by: dict[int, tuple[str, str]] = {}
        warnings: list[str] = []
        positions = self._positions
        for rule in rules:
            # `_candidates_of`, inline: this loop runs for every rule of every document.
            position = positions.get(id(rule))
            own = candidates if position is None else by_rule.get(position)
            if own is None:
                continue
            rule_page = page if own == candidates else Page(page_texts, own, timeout, page.memo)
            try:
                chosen = [indices[n] for n in rule.select(rule_page)]
            except TimeoutError:
                raise RuleTimeout(rule.meta.id, timeout or 0.0) from None
            if not chosen:
                continue
            warning = guard_warning(rule.meta.id, chosen, texts, rule.meta.max_removed_share)
            if warning:
                warnings.append(warning)
            for index in chosen:
                dropped_by.setdefault(index, (rule.meta.id, rule.meta.why))
        return dropped_by, warnings

    def _candidates_of(
        self, rule: Kind, candidates: tuple[int, ...], by_rule: dict[int, tuple[int, ...]]
    ) -> tuple[int, ...] | None:
        """The candidates a rule is shown: for a rule with triggers, the flagged paragraphs put
        down to it (`by_rule`, from `candidates_by_rule`), or None when there are none (then it
        is not asked at all); for a rule without triggers, all of `candidates`, which it does
        not need."""
        position = self._positions.get(id(rule))
        if position is None:
            return candidates
        return by_rule.get(position)

    def _for_site(self, rules: tuple[Kind, ...], site: str | None) -> Sequence[Kind]:
        if not self._site_scoped:
            return rules
        return [r for r in rules if site_matches(site, r.meta.sites)]

    def normalize(self, text: str, *, site: str | None = None) -> str:
        """The document after line-break unification and the `normalize` rules."""
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        normalizers = self._for_site(self._normalizers, site)
        # One transform can undo another's precondition (a zero-width character removed last may
        # have hidden mojibake from the fix that ran first), so the rules run again until the text
        # is stable: that is what makes cleaning idempotent. Unchanged text is stable at once.
        for _ in range(MAX_PASSES):
            before = text
            for rule in normalizers:  # type: ignore[assignment]
                text = rule.transform(text)  # type: ignore[attr-defined]
            if text == before:
                break
        return text

    def clean(self, text: str, *, site: str | None = None, title: bool = True) -> Cleaned:
        """Clean one document; `site` (a domain) switches on that site's rules."""
        normalized = self.normalize(text, site=site)
        lines = normalized.split("\n")
        texts: list[str] = []
        line_numbers: list[int] = []
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped:
                texts.append(stripped)
                line_numbers.append(number)
        timeout = self.time_limit(len(normalized))
        flagged = self._candidates(texts, line_numbers, timeout)
        rules = self._for_site(self._asked[bool(flagged), False], site)
        dropped_by, warnings = self._drops(rules, texts, range(len(texts)), flagged, timeout)
        # Rules that look at positions (the first lines, the tail, a header's neighbours) may see
        # more once other rules have dropped paragraphs: pass again over what is left until
        # nothing more goes, so that cleaning a cleaned document changes nothing. A trigger
        # belongs to a paragraph, not to its place, so the scan is not repeated.
        # Only the rules whose verdict can change when others drop paragraphs are asked again.
        for _ in range(MAX_PASSES - 1):
            if not dropped_by or warnings:
                break
            kept = [i for i in range(len(texts)) if i not in dropped_by]
            flagged_kept = {n: flagged[i] for n, i in enumerate(kept) if i in flagged}
            again = self._for_site(self._asked[bool(flagged_kept), True], site)
            if not again:
                break
            more, warnings = self._drops(again, texts, kept, flagged_kept, timeout)
            if not more:
                break
            dropped_by.update(more)
        if warnings:  # a rule tried to eat the article: better keep all of it than trust any rule here
            dropped_by = {}
        found_title = None
        first_kept = next((i for i in range(len(texts)) if i not in dropped_by), None)
        if first_kept is not None and is_headline(texts[first_kept]):
            found_title = texts[first_kept]
            if not title:
                dropped_by[first_kept] = (TITLE_RULE_ID, TITLE_WHY)
        if not dropped_by:
            return Cleaned("\n".join(texts), found_title, (), tuple(warnings))
        raw_lines = split_lines(text)
        removed = tuple(
            Removal(line_numbers[i], raw_lines[line_numbers[i] - 1], *dropped_by[i]) for i in sorted(dropped_by)
        )
        kept = "\n".join(t for i, t in enumerate(texts) if i not in dropped_by)
        return Cleaned(kept, found_title, removed, tuple(warnings))

    def clean_html(self, html: str, *, url: str | None = None, title: bool = True) -> Cleaned:
        """Extract the article with trafilatura, then clean it with the same rules."""
        return self.clean(extract_html(html, url=url), site=site_of(url), title=title)


def candidates_by_rule(candidates: Sequence[int], flagged: dict[int, frozenset[int]]) -> dict[int, tuple[int, ...]]:
    """The flagged paragraphs (ascending) put down to each rule, by the rule's position: one
    pass over the few flagged paragraphs, rather than one over them for each of the rules."""
    by_rule: dict[int, list[int]] = {}
    for index in candidates:
        for position in flagged[index]:
            by_rule.setdefault(position, []).append(index)
    return {position: tuple(indices) for position, indices in by_rule.items()}


def extract_html(html: str, *, url: str | None = None) -> str:
    """The article text of a page, one paragraph per line, as trafilatura extracts it.

    Comments and tables are left out, and trafilatura's balanced default is used (neither
    favor_recall nor favor_precision): measured with the rules on the dev set it scored best
    (line F1 0.931, token F1 0.970, against 0.929/0.969 with favor_recall and 0.923/0.966 with
    favor_precision), because favor_precision drops article paragraphs the rules cannot bring
    back while favor_recall adds furniture the rules do not all catch.
    """
    import trafilatura  # deferred: it takes ~0.5 s to import and plain-text users never need it

    extracted = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
        output_format="txt",
    )
    return extracted or ""

