"""The programs here are scripts, not test modules: keep pytest (and --doctest-modules) out."""

collect_ignore_glob = ["p[0-9]*.py", "record_expected.py"]
