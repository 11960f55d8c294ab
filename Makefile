# schemacheck: build, test and developer targets.
#
#   make            build build/schemacheck (warnings are errors: DEVELOPER=1)
#                   and its manual page build/schemacheck.1
#   make demo       set up, build, and show the pre-commit hook refusing a commit
#   make check      every test: unit suites, rule fixtures, CLI and git
#                   integration tests, then the same under ASan/UBSan
#                   with the fuzz reproducers replayed (fuzz-regress),
#                   and the unit suites under valgrind
#   make setup      install missing Debian packages and build the grammar
#   make oracle-db  the rules' fixtures under real Alembic on PostgreSQL/SQLite
#   make oracle     `schemacheck heads` against real Alembic on the Debian
#                   corpora (fetched once into CORPORA=build/corpora)
#   make docs       regenerate README.md's rule table (make docs-check: compare)
#   make install    PREFIX/bin/schemacheck, PREFIX/share/man/man1/schemacheck.1,
#                   PREFIX/share/schemacheck/hooks/pre-commit (PREFIX=/usr/local)
#
# Variables: B (build folder, default build), SAN=1 (sanitizers).

CC ?= cc
B ?= build
DEVELOPER ?= 1
SAN ?=
PREFIX ?= /usr/local

PKGS := libgit2 tree-sitter libpcre2-8 inih libcrypto
GRAMMAR := build/grammar/libtree-sitter-python.a build/grammar/libtree-sitter-toml.a

CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -pthread $(CFLAGS) -Wall -Wextra -Wshadow \
	-Wformat=2 -Wno-missing-field-initializers -Wstrict-prototypes \
	-Isrc -Irules -I$(B)/gen
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIBS = $(GRAMMAR) $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC := $(filter-out src/main.c src/notls.c,$(wildcard src/*.c))
RULE_SRC := $(sort $(wildcard rules/sc*.c))
RULE_ALL := $(sort $(wildcard rules/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(RULE_ALL:%.c=$(B)/%.o)
DOC_INC := $(RULE_SRC:rules/%.c=$(B)/gen/%.doc.inc)
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.PHONY: all setup demo check unit fixtures golden integration asan valgrind \
	clean install docs docs-check oracle oracle-db
.SUFFIXES:
.SECONDARY:

all: $(B)/schemacheck $(B)/schemacheck.1

setup $(GRAMMAR):
	@scripts/setup.sh

$(B)/%.o: %.c $(GRAMMAR) | $(DOC_INC) $(B)/gen/hook.inc $(B)/gen/factsid.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DSC_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(B)/gen/%.doc.inc: rules/%.c rules/mkdoc.awk
	@mkdir -p $(dir $@)
	awk -f rules/mkdoc.awk $< > $@.tmp && mv $@.tmp $@

# The id of the extraction code: the facts cache (src/cache.c) keeps the
# facts of each file version under it, so facts made by other sources are
# never read. Rewritten only when it changes.
# The id of the whole build (SC_BUILD_ID, every source and the version)
# keys the report cache of --all (src/runcache.c).
EXTRACT_SRC := $(sort $(wildcard src/*.c src/*.h))
BUILD_SRC := $(EXTRACT_SRC) $(sort $(wildcard rules/*.c rules/*.h rules/*.def \
	rules/*.awk hooks/*)) $(wildcard VERSION)
$(B)/gen/factsid.h: $(BUILD_SRC) Makefile
	@mkdir -p $(dir $@)
	@id=$$(cat $(EXTRACT_SRC) | sha1sum | cut -c1-40); \
	bid=$$(cat $(BUILD_SRC) | sha1sum | cut -c1-40); \
	printf '#define SC_EXTRACTOR_ID "%s"\n#define SC_BUILD_ID "%s"\n' \
		"$$id" "$$bid" > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(B)/gen/hook.inc: hooks/pre-commit
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(B)/libsc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# src/notls.c goes into the executable itself (see its comment).
$(B)/schemacheck: $(B)/src/main.o $(B)/src/notls.o $(B)/libsc.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The manual page, from the binary's own --help, rules and explain texts.
$(B)/schemacheck.1: $(B)/schemacheck scripts/mkman.sh
	scripts/mkman.sh $(B)/schemacheck > $@.tmp && mv $@.tmp $@

$(B)/tests/%: tests/%.c tests/testutil.h $(B)/libsc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -DSC_SRCDIR='"$(CURDIR)"' -o $@ $< \
		$(B)/libsc.a $(LDFLAGS) $(LIBS) $(CHECK_LIBS)

demo: setup
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(B)/schemacheck

# The whole test suite: plain build, then sanitizers, then valgrind.
check: setup
	@$(MAKE) --no-print-directory all docs-check unit integration oracle oracle-db
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory valgrind
	@echo "make check: all test stages passed"

unit: $(TEST_BIN) $(B)/schemacheck
	@tests/run-unit.sh $(B) $(TEST_BIN)

integration: $(B)/schemacheck
	@tests/run-integration.sh $(abspath $(B)/schemacheck)

asan:
	@$(MAKE) --no-print-directory B=build/asan SAN=1 unit integration fuzz-regress

valgrind: $(TEST_BIN)
	@tests/run-valgrind.sh $(B) $(TEST_BIN)

# The Alembic oracle: `schemacheck heads` against real Alembic on the
# Debian corpora (DESIGN.md section 9), fetched into CORPORA once and
# reused; they are never committed.
CORPORA ?= build/corpora
oracle: $(B)/schemacheck
	@[ -s $(CORPORA)/SCRIPT_DIRS.tsv ] || scripts/fetch-corpora.sh $(CORPORA)
	@tests/oracle/heads.sh $(abspath $(B)/schemacheck) $(CORPORA)

# The database oracle: the fixtures of the rules about what the database
# does (SC101-SC103, SC201, SC202, SC208, SC209, SC303, SC304) played under
# real Alembic on a throwaway PostgreSQL cluster on 127.0.0.1 and on SQLite
# (tests/oracle/db/run.sh; Debian's postgresql and python3-psycopg2).
oracle-db:
	@tests/oracle/db/run.sh $(CURDIR)/testdata

# Benchmarks against baselines run side by side (bench/run.sh, issue 6):
# prints medians, ratios and the targets, writes $(B)/bench/results.txt and
# results.tsv; generated repositories are cached in $(B)/bench/repos.
.PHONY: bench
bench: $(B)/schemacheck
	@CC="$(CC)" BENCH_OUT=$(B)/bench bench/run.sh $(abspath $(B)/schemacheck)

# Fuzzing (tests/fuzz, issue 7): libFuzzer targets built with clang from
# the sources (tests/fuzz/fuzz.mk), seeded from testdata/, each run for
# FUZZ_SECONDS (FUZZ_JOBS at once); prints executions, coverage, findings.
# tests/fuzz/run-regress.sh replays the reproducers without libFuzzer.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: $(GRAMMAR) $(DOC_INC) $(B)/gen/hook.inc $(B)/gen/factsid.h
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk B=$(B) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) $(if $(FUZZ_JOBS),FUZZ_JOBS=$(FUZZ_JOBS)) fuzz-run

# The fuzz targets without libFuzzer (part of `make asan`): every input a
# fuzz run crashed on (tests/fuzz/regress/) and the seed corpora, replayed
# with gcc and ASan/UBSan against the sanitizer build's libsc.a (B when
# SAN=1, else build/asan, never the plain build folder).
.PHONY: fuzz-regress
fuzz-regress:
	@tests/fuzz/run-regress.sh $(if $(filter 1,$(SAN)),$(B),build/asan)

# Regenerate the README's rule table from the rules themselves.
docs: $(B)/schemacheck
	@scripts/update-readme.sh $(B)/schemacheck README.md

# README.md's rule table must be what `schemacheck rules --format md` prints.
docs-check: $(B)/schemacheck
	@$(B)/schemacheck rules --format md > $(B)/rules.md.tmp
	@sed -n '/<!-- rules:begin -->/,/<!-- rules:end -->/p' README.md | sed '1d;$$d' | \
		diff -u - $(B)/rules.md.tmp > $(B)/rules.md.diff || { \
		cat $(B)/rules.md.diff; rm -f $(B)/rules.md.tmp $(B)/rules.md.diff; \
		echo "docs-check: README.md's rule table is out of date; run 'make docs'" >&2; \
		exit 1; }
	@rm -f $(B)/rules.md.tmp $(B)/rules.md.diff
	@echo "docs-check: README.md's rule table is up to date"

# The hook copy runs the installed binary (or $$SCHEMACHECK, or PATH's).
install: $(B)/schemacheck $(B)/schemacheck.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/schemacheck/hooks
	install -m 755 $(B)/schemacheck $(DESTDIR)$(PREFIX)/bin/schemacheck
	install -m 644 $(B)/schemacheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/schemacheck.1
	sed "s|@SCHEMACHECK@|'$(PREFIX)/bin/schemacheck'|" hooks/pre-commit > $(B)/pre-commit.tmp
	install -m 755 $(B)/pre-commit.tmp $(DESTDIR)$(PREFIX)/share/schemacheck/hooks/pre-commit
	@rm -f $(B)/pre-commit.tmp

clean:
	rm -rf build/asan $(B)/src $(B)/rules $(B)/gen $(B)/tests $(B)/libsc.a $(B)/schemacheck \
		$(B)/schemacheck.1

-include $(LIB_OBJ:.o=.d) $(B)/src/main.d $(B)/src/notls.d
