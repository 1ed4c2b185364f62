"""How the engine matches keyword fields (``cat:``, ``date:``, ``id:``),
``is:``/``tag:`` and facet filters.  Mixed into
:class:`~tui_reader.core.index.engine.Engine` (whose state it uses)."""

from __future__ import annotations

import re
from array import array

from tui_reader.core.index.query import STATE_VALUES, QueryError, Word, date_range, looks_like_date
from tui_reader.core.index.whoosh_compat import leaf_postings
from tui_reader.core.model import split_arxiv_id


class KeywordMatching:
    """The engine's keyword fields and filters."""


    def special_fields(self, text: str) -> list[dict[int, float]]:
        """A plain word that looks like a date, a category or an id also
        searches that field."""
        out = []
        lowered = text.lower()
        if looks_like_date(text):
            out.append(self.keyword("date", text))
        if re.match(r"[a-z][a-z\-]*\.[a-z\-]+$", lowered) or re.match(
                r"(?:hep|math|astro|cond|nucl|quant|gr)-[a-z\-]+$", lowered):
            out.append(self.keyword_terms("cat", [lowered], 2.0))
        found = split_arxiv_id(text)
        if found and (re.match(r"\d{4}\.\d{4,5}(v\d+)?$", text) or "/" in text):
            out.append(self.keyword_terms("id", [found[0]], 10.0))
        return out

    # --- keyword fields, marks and facets ------------------------------------------------

    def keyword(self, fieldname: str, text: str) -> dict[int, float]:
        if fieldname == "date":
            low, high, exact = date_range(text)
            if exact:
                return self.keyword_terms("date", [low], 0.0)
            if high is None and ".." not in text:
                return self.keyword_terms("date", self.lexicon_prefix("date", low), 0.0)
            terms = [t for t in self.lexicon("date") if (low is None or t >= low) and (high is None or t <= high)]
            return self.keyword_terms("date", terms, 0.0)
        if fieldname == "cat":
            value = text.lower()
            if value.endswith("*"):
                return self.keyword_terms("cat", self.lexicon_prefix("cat", value.rstrip("*")), 0.0)
            if "." not in value:  # an archive (astro-ph, cs) is its categories too (astro-ph.CO, cs.CV)
                return self.keyword_terms("cat", [value, *self.lexicon_prefix("cat", value + ".")], 0.0)
            return self.keyword_terms("cat", [value], 0.0)
        value = text.rstrip("*")
        if text.endswith("*"):
            return self.keyword_terms("id", self.lexicon_prefix("id", value), 0.0)
        found = split_arxiv_id(value)
        return self.keyword_terms("id", [found[0] if found else value], 0.0)

    def lexicon(self, fieldname: str) -> list[str]:
        try:
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(fieldname)]
        except Exception:  # noqa: BLE001 - a field no segment has
            return []

    def lexicon_prefix(self, fieldname: str, prefix: str) -> list[str]:
        try:
            found = self.reader.expand_prefix(fieldname, prefix)
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]
        except Exception:  # noqa: BLE001
            return []

    def keyword_terms(self, fieldname: str, texts: list, boost: float) -> dict[int, float]:
        """The papers holding any of ``texts`` in a keyword field (date,
        cat, id), each scored ``boost``.  A segment's list for such a term
        is read once and kept in ``keywords`` (segments do not change; their
        deletions are left out here): a date range over a year is hundreds
        of terms, and reading them took 30 ms a search at 40,000 papers."""
        self.check_cancel()
        cache = self.keywords
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            segment = reader.segment()
            if segment is None:  # an empty index
                continue
            segment = segment.segment_id()
            ids: list[int] = []
            for text in texts:
                tbytes = text.encode("utf-8") if isinstance(text, str) else text
                key = (segment, fieldname, tbytes)
                found = cache.get(key)
                if found is None:
                    try:
                        found = array("I", leaf_postings(reader, fieldname, tbytes, False)[0])
                    except Exception:  # noqa: BLE001 - term or field not in this segment
                        found = array("I")
                    cache[key] = found
                ids.extend(found)
            if offset:
                ids = [i + offset for i in ids]
            dead = self.deleted(offset, reader)
            found_here = dict.fromkeys(ids, boost)
            if dead:
                if len(dead) < len(found_here):
                    for d in dead:
                        found_here.pop(d, None)
                else:
                    found_here = {d: boost for d in found_here if d not in dead}
            out.update(found_here)
        return out

    def state_docs(self, word: Word) -> dict[int, float]:
        value = word.text
        is_field = word.spec.target == "is"
        if is_field and value.lower() not in STATE_VALUES:
            return self.filter_docs("is", value)
        if self.state is None:
            what = f"is:{value}" if is_field else f"tag:{value}"
            raise QueryError(f"{what}: bookmarks and tags are not available here")
        if word.spec.target == "picked":
            picked = getattr(self.state, "picked_ids", None)
            if picked is None:
                raise QueryError(f"picked:{value}: no followed shares here")
            ids = picked(value)
        elif not is_field:
            ids = self.state.tagged_ids(value)
        elif value.lower() == "bookmarked":
            ids = self.state.bookmarked_ids()
        else:
            all_ids = [pid for pid in self.names if pid]
            unread = self.state.unread_ids(all_ids)
            ids = unread if value.lower() == "unread" else set(all_ids) - set(unread)
        return self.docs_of_ids(ids)

    def filter_docs(self, target: str, value: str) -> dict[int, float]:
        if self.filter_ids is None:
            raise QueryError(f"{target}:{value}: the library is not loaded yet")
        return self.docs_of_ids(self.filter_ids(target, value))
