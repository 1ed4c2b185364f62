"""A library of digests: finding its files, parsing each once (the parse
cache), merging them per paper, and the merged library kept on disk for the
next start (the library cache), its texts read on demand.

One module a job:

- ``model``: Library, SourceFile, newest_first
- ``files``: discovering the files under the given paths, their stats
- ``parse_cache``: each file's parse result on disk; parsing in worker processes
- ``processes``: what a worker process of the loader or the index does first
- ``merge``: merging one file's result at a time into the library
- ``texts``: the papers' texts as deflated records (TextStore, PackedTexts)
- ``cache_file``: the library cache's format, written and read
- ``paper_store``: PaperStore, a library cache read a block at a time

``tui_reader.core.loader`` ties them together (load_library) and keeps
every public name importable from there.
"""
