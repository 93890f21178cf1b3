"""tvc's Python peer: the programs a tvc worker runs in CPython (see __main__.py)."""
