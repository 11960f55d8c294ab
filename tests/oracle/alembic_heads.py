"""alembic_heads.py [--stub-missing] [--path DIR]... PACKAGE_ROOT SCRIPT_DIR:
the heads Alembic computes.

Run with Debian's /usr/bin/python3 and python3-alembic. PACKAGE_ROOT is an
extracted Debian package (build/corpora/x/<pkg>); SCRIPT_DIR is the script
location relative to it (a line of SCRIPT_DIRS.tsv). The package's own
dist-packages folder goes first on sys.path so that the revision files'
imports of their own package resolve to the extracted copy; each --path
DIR (the other extracted packages: neutron's sub-projects import neutron)
goes last.

Alembic 1.8 reads revisions from version_locations without recursing; the
projects with nested folders (neutron's versions/<release>/{expand,contract})
list every folder in their own tooling. So every folder under versions/
holding a .py file is given as a version location, which is what
schemacheck reads too.

Prints the heads, sorted, as one JSON array on stdout; exit 0. When the
script directory cannot be loaded, prints "unloadable: <exception>" on
stderr and exits 3.

With --stub-missing, a module that is not installed is replaced by a
permissive stand-in, so that files whose imports are only used inside
upgrade()/downgrade() still load; a revision variable that came from a
stand-in is refused. heads.sh uses it only to cross-check the hand-checked
lists of heads-known-unloadable.txt, never as the oracle itself.
"""
import json
import os
import sys
import warnings


def version_locations(versions):
    found = []
    for top, dirs, files in os.walk(versions):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        if top == versions or any(f.endswith(".py") for f in files):
            found.append(top)
    return found


class _Stub:
    """Any attribute, call, item, operator, base class or iteration of a
    module that is not installed."""

    def __init__(self, name="stub", *a, **k):
        self._name = name if isinstance(name, str) else "stub"

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Stub(self._name + "." + name)

    def __call__(self, *a, **k):
        if len(a) == 1 and callable(a[0]) and not k:
            return a[0]  # used as a decorator
        return _Stub(self._name + "()")

    def __getitem__(self, k):
        return _Stub(self._name + "[]")

    def __setitem__(self, k, v):
        pass

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __mro_entries__(self, bases):
        # a distinct permissive class per use as a base class
        return (type(self._name.replace(".", "_"), (_StubBase,), {}),)

    def _op(self, *a):
        return _Stub(self._name + "(op)")

    __add__ = __radd__ = __mod__ = __rmod__ = __or__ = __ror__ = _op
    __mul__ = __rmul__ = __sub__ = __rsub__ = __and__ = __rand__ = _op


class _StubBase:
    def __init__(self, *a, **k):
        pass

    def __init_subclass__(cls, **k):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Stub(name)


def _install_stubs():
    import importlib.abc
    import logging.handlers  # noqa: F401 - often imported by a missing module
    import importlib.machinery
    import types

    class Loader(importlib.abc.Loader):
        def create_module(self, spec):
            m = types.ModuleType(spec.name)
            m.__path__ = []
            m.__getattr__ = lambda name: _Stub(spec.name + "." + name)
            return m

        def exec_module(self, module):
            pass

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            for f in sys.meta_path:
                if f is self:
                    continue
                try:
                    spec = f.find_spec(name, path, target)
                except Exception:
                    spec = None
                if spec is not None:
                    return None
            return importlib.machinery.ModuleSpec(name, Loader(),
                                                  is_package=True)

    sys.meta_path.append(Finder())


def main():
    args = sys.argv[1:]
    if args and args[0] == "--stub-missing":
        args = args[1:]
        _install_stubs()
    extra = []
    while len(args) > 1 and args[0] == "--path":
        extra.append(args[1])
        args = args[2:]
    root, rel = args[0], args[1]
    own = [os.path.join(root, sub)
           for sub in ("usr/lib/python3/dist-packages", "usr/share/libervia")]
    sys.path[0:0] = [p for p in own if os.path.isdir(p)]
    sys.path.extend(p for p in extra if os.path.isdir(p))
    sdir = os.path.join(root, rel)
    warnings.simplefilter("ignore")
    try:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory(
            sdir,
            version_locations=version_locations(os.path.join(sdir, "versions")),
        )
        heads = sorted(script.get_heads())
        for rev in script.walk_revisions():
            for v in (rev.revision, rev.down_revision, rev.dependencies,
                      tuple(rev.branch_labels)):
                if isinstance(v, _Stub) or (
                        isinstance(v, tuple) and
                        any(isinstance(x, _Stub) for x in v)):
                    raise ValueError("%s: a revision variable is a stand-in"
                                     % rev.revision)
    except BaseException as e:  # noqa: B902 - report anything, SystemExit included
        print("unloadable: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(3)
    print(json.dumps(heads))


if __name__ == "__main__":
    main()
