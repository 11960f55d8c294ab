"""The Python baseline of make bench: ast.parse each file, nothing else.

    /usr/bin/python3 bench/pyparse.py FILE...
    /usr/bin/python3 bench/pyparse.py -l LIST     (one path a line)

This is the floor of any linter or hook written in Python: it reads and
parses the files it is given and throws the trees away (one at a time, so
its memory is the interpreter's plus one tree). It does not even find the
files: the benchmark hands it the list. Files that do not parse are
skipped, as schemacheck reports them (SC001) and goes on.
"""
import ast
import sys


def main(argv):
    if argv[:1] == ["-l"]:
        with open(argv[1], encoding="utf-8") as f:
            paths = [line.rstrip("\n") for line in f if line.strip()]
    else:
        paths = argv
    for path in paths:
        with open(path, "rb") as f:
            source = f.read()
        try:
            ast.parse(source, path)
        except (SyntaxError, ValueError):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
