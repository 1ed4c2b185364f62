"""The query language, as shown on the help screen (the README says the same)."""

QUERY_HELP = """Search (press / and type; results follow as you type)
  words            all must match; English words match their stems (networks → network)
  中文词语          any word inside a Chinese sentence matches
  "exact phrase"   words next to each other
  diffus*          prefix          difusion~   fuzzy, for typos
  a OR b   NOT c   ( … )         boolean operators and grouping
  chain-of-thought               hyphenated or spaced, as a phrase; titles first
  title: author: abstract: tldr: method: result: id:
  author:"J. Yu"  Jingyi Yu      a person's name in order; initials work
  cat:cs.LG  cat:cs.*            category (any of a paper's categories)
  date:2026-03   date:2026-01-01..2026-01-31
  is:bookmarked  is:unread  tag:NAME
  has:code  no:code  has:project      code repository (also from the comment), project page
  stars:>100  stars:10..  stars:5..50   GitHub stars of the code
  venue:CVPR  venue:2026  venue:oral    the venue the comment names
  is:accepted  is:failed               accepted somewhere; the producer's summary failed
  has:summary  no:summary              an AI summary, or none (dropped or failed)
  lang:Chinese  lang:ja                a summary in that language
  enter: go to the results   escape: clear and return
  ctrl+g: search everywhere / only the day, category or view searched from
  ctrl+y: run "did you mean …"   (few or no results)"""
