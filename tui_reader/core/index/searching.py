"""Searching the index: a query parsed, run by the engine against the
segments (checks against the papers' texts where it needs them), ranked;
what a 1-2 letter word being typed matches, from a table in memory.  Mixed
into :class:`~tui_reader.core.index.store.SearchIndex` (whose attributes it uses)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection
from itertools import chain
from operator import attrgetter
from time import perf_counter as _clock

from tui_reader.core.index import query as q
from tui_reader.core.index import word_tables
from tui_reader.core.index.disk import describe, leaf_searchers
from tui_reader.core.index.engine import Engine, SearchCancelled, ranked, restricted, shown_score
from tui_reader.core.index.results import SearchResult, StateFilter
from tui_reader.core.index.vocabulary import Vocabulary

FEW_RESULTS = 3  # fewer results than this: look for a likely correction
MANY_MORE = 5  # a correction finding this many times more papers is shown in place of the query
INTERACTIVE_BUDGET = 0.5  # seconds: what the reader gives a query before it is cut off
CUT_OFF_AT = 0.8  # of the budget: the last check, leaving room for what comes after it


class Searching:
    """SearchIndex's search() and what it calls."""

    def search(
        self,
        query: str,
        *,
        limit: int | None = 200,
        as_you_type: bool = False,
        state: StateFilter | None = None,
        within: Collection[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        budget: float | None = None,
        correct: bool = True,
    ) -> SearchResult:
        """See the package docstring.  ``within``: only these paper ids (a
        day, a category, a saved view); ``cancelled()`` true stops the
        search within a posting list or so (``SearchResult.cancelled``);
        ``budget`` (seconds, :data:`INTERACTIVE_BUDGET` for the reader) cuts
        a query off when it takes longer: no results, ``cut_off`` and a
        note that says so.  ``correct``: a query that finds nothing while
        its "did you mean" correction finds papers answers with the
        correction's results (``corrected``, ``typed``); False searches the
        query as typed."""
        started = _clock()
        stop = self._stop_searches.is_set
        asked = cancelled
        # Checked between posting lists (~20 ms apart at worst): stop early
        # enough that the answer, cut off or not, comes within the budget.
        deadline = started + budget * CUT_OFF_AT if budget is not None else None

        def cancelled() -> bool:
            if stop() or (asked is not None and asked()):
                return True
            return deadline is not None and _clock() > deadline

        try:
            result = self._search(query, limit, as_you_type, state, within, cancelled)
            if correct and result.suggestion and not result.error and len(result.ids or ()) < FEW_RESULTS:
                better = self._search(result.suggestion, limit, as_you_type, state, within, cancelled)
                # Nothing found, or a paper or two that share the typo.
                need = max(FEW_RESULTS, len(result.ids) * MANY_MORE) if result.ids else 1
                if len(better.ids or ()) >= need:
                    better.corrected, better.typed, better.suggestion = result.suggestion, query.strip(), None
                    result = better
        except SearchCancelled:
            over = deadline is not None and _clock() > deadline
            if over and not stop() and not (asked is not None and asked()):
                result = SearchResult(ids=[], cut_off=True, notes=[
                    f"the query took over {budget:g} s and was cut off: fewer words, fewer fuzzy~ or prefix* "
                    "terms, or a field (title:…) answer faster"])
            else:
                result = SearchResult(ids=[], cancelled=True)
        except q.QueryError as error:
            result = SearchResult(ids=[], error=str(error))
        except Exception as error:  # noqa: BLE001 - a search never raises
            result = SearchResult(ids=[], error=f"search failed: {describe(error)}")
        result.seconds = _clock() - started
        return result

    def _search(self, text: str, limit: int | None, as_you_type: bool, state, within, cancelled) -> SearchResult:
        if not text.strip():
            return SearchResult(ids=None)
        # Lone surrogates (no index term holds one) cannot be encoded for Whoosh.
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        tree = q.parse(text, as_you_type)
        if tree is None:
            return SearchResult(ids=None)
        short = None  # a 1-2 letter word being typed: matched in memory
        if as_you_type and self._papers is not None:
            tree, short = _split_short_typing(tree)
        with self._mutex:
            searcher = self._searcher
            if searcher is None or cancelled():
                raise SearchCancelled
            leaves = leaf_searchers(searcher)
            names = self._docnum_ids(searcher, leaves)
            texts = field_texts = mentions = None
            if self._papers is not None:
                papers = self._papers

                def paper_at(docnum: int):
                    return papers.get(names[docnum]) if docnum < len(names) else None

                def texts(docnum: int, summaries_first: bool = False):
                    paper = paper_at(docnum)
                    return _paper_texts(paper, summaries_first) if paper is not None else ()

                heads = self._heads

                def field_texts(docnum: int, name: str) -> list[str]:
                    if heads is not None and docnum < len(names):
                        found = heads.texts(names[docnum], name)
                        if found is not None:
                            return found
                    paper = paper_at(docnum)
                    return _field_texts(paper, name) if paper is not None else []

                def mentions(docnum: int, word: str) -> bool:
                    paper = paper_at(docnum)
                    return paper is not None and paper.mentions(word)

            engine = Engine(searcher, live=self._deleted, texts=texts, field_texts=field_texts, mentions=mentions,
                            keywords=self._keywords, names=names, state=state,
                            filter_ids=self._filter_ids if self._papers is not None else None,
                            vocabulary=self._vocabulary, cancelled=cancelled)
            found = engine.run(tree) if tree is not None else None
            engine.check_cancel()
            terms = engine.terms
            if short is not None:
                terms.prefixes.add(short)
            if found is None and short is None and within is None:
                return SearchResult(ids=None, terms=terms)
            if found is None:
                ids = self._typed_in_titles(short, None) if short is not None else self._newest()
                if within is not None:
                    ids = [pid for pid in ids if pid in within]
                ids = ids[:limit] if limit else ids
                return SearchResult(ids=ids, scores={pid: 0.0 for pid in ids}, terms=terms)
            if short is not None:
                # Keep the papers whose title or authors hold the word being typed.
                keep = self._typed_ids(short)
                found = restricted(found, lambda d: d < len(names) and names[d] in keep)
            if within is not None:
                found = restricted(found, lambda d: d < len(names) and names[d] in within)
            best = ranked(found, limit)
            get = found.get
            ids: list[str] = []
            scores: dict[str, float] = {}
            for docnum in best:
                pid = names[docnum] if docnum < len(names) else ""
                if pid and pid not in scores:
                    ids.append(pid)
                    scores[pid] = shown_score(get(docnum))
            suggestion = None
            if len(ids) < FEW_RESULTS:
                engine.check_cancel()
                suggestion = engine.suggestion(text, tree)
        return SearchResult(ids=ids, scores=scores, terms=terms, suggestion=suggestion, notes=engine.notes)

    def _newest(self) -> list[str]:
        papers = self._papers or {}
        if self._order is None:
            # Newest day first, then the digest's order: two stable sorts
            # in C (a Python key per paper took 1.2 s at 75,000 papers).
            ordered = sorted(papers.values(), key=_order_of)
            ordered.sort(key=_latest_of, reverse=True)
            self._order = [p.id for p in ordered]
        return self._order

    def _vocabulary(self) -> Vocabulary | None:
        """The library's surface words (titles and authors), built once per
        update() (see vocabulary.py)."""
        if self._papers is None:
            return None
        found = self._words
        if found is None or found[0] is not self._papers:
            words = Vocabulary.of_papers(self._papers.values())
            found = self._words = (self._papers, words)
        return found[1]

    def _filter_ids(self, target: str, value: str) -> frozenset[str]:
        """The papers a facet filter (facets.FILTERS) keeps, cached while
        the library stays the same."""
        from tui_reader.core.index.facets import FILTERS

        papers = self._papers or {}
        if self._facets is not None and self._papers is not None:
            papers = self._facets  # the same predicates over rows that stand in for the papers
        key = (target, value)
        cache = self._filtered
        if cache.get("papers") is not papers:
            cache.clear()
            cache["papers"] = papers
        found = cache.get(key)
        if found is None:
            test = FILTERS[target](value)
            where = getattr(papers, "ids_where", None)  # FacetRows: once per distinct row
            found = cache[key] = where(test) if where is not None else frozenset(
                pid for pid, paper in papers.items() if test(paper))
        return found

    def _docnum_ids(self, searcher, leaves) -> list[str]:
        """Paper id of every document number of ``searcher`` (cached)."""
        if self._names is not None and self._names[0] is searcher:
            return self._names[1]
        names: list[str] = []
        for offset, leaf in leaves:
            names.extend([""] * (offset - len(names)))
            names.extend(self._leaf_ids_for(leaf.reader()))
        self._names = (searcher, names)
        return names

    def _word_tables(self) -> None:
        """The typing table and the vocabulary of the papers update() holds:
        read from beside the index when it holds the same files (a warm
        start), else made (seconds at 75,000 papers) and kept."""
        papers = self._papers or {}
        key = word_tables.key_of(self._manifest.get("files", {}), len(papers))
        found = word_tables.load(self.directory, key)
        if found is not None and set(found[0]) == papers.keys():
            pids, lists, counts = found
            self._prefixes = (pids, lists)
            self._words = (self._papers, Vocabulary(counts))
            return
        pids, lists = self._typing_table()
        vocabulary = self._vocabulary()
        if vocabulary is not None and not self.read_only:
            word_tables.save(self.directory, key, pids, lists, vocabulary.counts)

    def _stored_typing_table(self) -> tuple[list[str], dict[str, array]] | None:
        """The typing table kept beside the index, when it is for the papers
        held now.  A query typed while update() has not yet read it back
        (a warm start: the library just loaded) used to make it again,
        2-3 s of the search worker's GIL at 75,000 papers, on the first key."""
        papers = self._papers
        if not papers:
            return None
        found = word_tables.load(self.directory, word_tables.key_of(self._manifest.get("files", {}), len(papers)))
        if found is None or set(found[0]) != papers.keys():
            return None
        self._prefixes = (found[0], found[1])
        return self._prefixes

    def _typing_table(self) -> tuple[list[str], dict[str, array]]:
        """1- and 2-letter prefix -> the papers whose title or authors hold a
        word starting with it, as numbers into a list of paper ids (built
        once per update(); compact: a set of ids per prefix took 70 MB at
        40,000 papers, these arrays take a few)."""
        table = self._prefixes
        if table is None:
            table = self._stored_typing_table()
        if table is None:
            from tui_reader.core.index.analysis import TOKEN, _normalize

            # The hot loop of an update of one day (all papers, every start):
            # words normalised once each, prefixes of a paper collected first.
            pids: list[str] = []
            lists: dict[str, array] = {}
            keys_of: dict[str, tuple[str, str]] = {}
            findall = TOKEN.findall
            for number, (pid, paper) in enumerate((self._papers or {}).items()):
                pids.append(pid)
                keys: set[str] = set()
                for cjk, word in findall(paper.title + " " + " ".join(paper.authors)):
                    raw = cjk or word
                    pair = keys_of.get(raw)
                    if pair is None:
                        norm = _normalize(raw)
                        pair = keys_of[raw] = (norm[:1], norm[:2])
                    keys.update(pair)
                for key in keys:
                    found = lists.get(key)
                    if found is None:
                        lists[key] = array("I", (number,))
                    else:
                        found.append(number)
            table = self._prefixes = (pids, lists)
        return table

    def _typed_ids(self, prefix: str) -> set[str]:
        table = self._typing_table()
        last = self._typed_last  # one keystroke asks twice; the next often the same
        if last is not None and last[0] is table and last[1] == prefix:
            return last[2]
        pids, lists = table
        ids = {pids[number] for number in lists.get(prefix, ())}
        self._typed_last = (table, prefix, ids)
        return ids

    def _typed_in_titles(self, prefix: str, among: list[str] | None) -> list[str]:
        """Papers (of ``among``, else all newest first) whose title or
        authors hold a word starting with ``prefix``."""
        if among is None:
            among = self._newest()
        keep = self._typed_ids(prefix)
        return [pid for pid in among if pid in keep]


def _paper_texts(paper, summaries_first: bool = False):
    """Every text of ``paper``, one at a time (a phrase check stops at the
    first text that holds the phrase): title and abstract first, or the AI
    summaries first (where a Chinese word is found)."""
    # Generators: a paper whose texts are on disk reads its abstract only
    # if the title did not hold the phrase, its summaries only after that.
    def own():
        yield paper.title
        yield paper.abstract
        yield from paper.authors

    def summaries():
        for s in (paper.summaries or {}).values():
            yield from (t for t in (s.tldr, s.method, s.result, s.motivation, s.conclusion) if t)

    return chain(summaries(), own()) if summaries_first else chain(own(), summaries())


def _field_texts(paper, name: str) -> list[str]:
    """The texts of one index field of ``paper`` (see schema.paper_document)."""
    if name == "title":
        return [paper.title]
    if name == "authors":
        return list(paper.authors)
    if name == "abstract":
        return [paper.abstract]
    summaries = (paper.summaries or {}).values()
    if name == "more":
        return [t for s in summaries for t in (s.motivation, s.conclusion) if t]
    if name in ("tldr", "method", "result"):
        return [t for s in summaries if (t := getattr(s, name))]
    return []


_order_of = attrgetter("order")
_latest_of = attrgetter("latest_date")


def _split_short_typing(tree):
    """Take a 1-2 letter word being typed out of the tree (an AND of words or
    the word alone); returns (rest of the tree or None, prefix or None)."""
    from tui_reader.core.index.analysis import _normalize, is_cjk

    def short(node) -> str | None:
        if isinstance(node, q.Word) and node.typing and node.field is None and not node.phrase:
            text = node.text
            if len(text) <= 2 and not is_cjk(text) and text.isalnum():
                return _normalize(text)
        return None

    prefix = short(tree)
    if prefix is not None:
        return None, prefix
    if isinstance(tree, q.Group) and tree.op == "and" and tree.children:
        prefix = short(tree.children[-1])
        if prefix is not None:
            rest = tree.children[:-1]
            return (rest[0] if len(rest) == 1 else q.Group("and", rest)), prefix
    return tree, None
