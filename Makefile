# schemacheck: build, test and developer targets.
#
#   make            build build/schemacheck (warnings are errors: DEVELOPER=1)
#   make demo       set up, build, and show the pre-commit hook refusing a commit
#   make check      every test: unit suites, rule fixtures, CLI and git
#                   integration tests, then the same under ASan/UBSan and
#                   the unit suites under valgrind
#   make setup      install missing Debian packages and build the grammar
#
# Variables: B (build folder, default build), SAN=1 (sanitizers).

CC ?= cc
B ?= build
DEVELOPER ?= 1
SAN ?=
PREFIX ?= /usr/local

PKGS := libgit2 tree-sitter libpcre2-8 inih
GRAMMAR := build/grammar/libtree-sitter-python.a build/grammar/libtree-sitter-toml.a

CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(CFLAGS) -Wall -Wextra -Wshadow \
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

LIBS = $(GRAMMAR) $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
RULE_SRC := $(sort $(wildcard rules/sc*.c))
RULE_ALL := $(sort $(wildcard rules/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(RULE_ALL:%.c=$(B)/%.o)
DOC_INC := $(RULE_SRC:rules/%.c=$(B)/gen/%.doc.inc)
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.PHONY: all setup demo check unit fixtures golden integration asan valgrind \
	clean install docs
.SUFFIXES:
.SECONDARY:

all: $(B)/schemacheck

setup $(GRAMMAR):
	@scripts/setup.sh

$(B)/%.o: %.c $(GRAMMAR) | $(DOC_INC) $(B)/gen/hook.inc
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DSC_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(B)/gen/%.doc.inc: rules/%.c rules/mkdoc.awk
	@mkdir -p $(dir $@)
	awk -f rules/mkdoc.awk $< > $@.tmp && mv $@.tmp $@

$(B)/gen/hook.inc: hooks/pre-commit
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(B)/libsc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/schemacheck: $(B)/src/main.o $(B)/libsc.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/%.c tests/testutil.h $(B)/libsc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -DSC_SRCDIR='"$(CURDIR)"' -o $@ $< \
		$(B)/libsc.a $(LDFLAGS) $(LIBS) $(CHECK_LIBS)

demo: setup
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(B)/schemacheck

# The whole test suite: plain build, then sanitizers, then valgrind.
check: setup
	@$(MAKE) --no-print-directory all unit integration
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory valgrind
	@echo "make check: all test stages passed"

unit: $(TEST_BIN) $(B)/schemacheck
	@tests/run-unit.sh $(B) $(TEST_BIN)

integration: $(B)/schemacheck
	@tests/run-integration.sh $(abspath $(B)/schemacheck)

asan:
	@$(MAKE) --no-print-directory B=build/asan SAN=1 unit integration

valgrind: $(TEST_BIN)
	@tests/run-valgrind.sh $(B) $(TEST_BIN)

# Regenerate the README's rule table from the rules themselves.
docs: $(B)/schemacheck
	@scripts/update-readme.sh $(B)/schemacheck README.md

install: $(B)/schemacheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/schemacheck/hooks
	install -m 755 $(B)/schemacheck $(DESTDIR)$(PREFIX)/bin/schemacheck
	install -m 755 hooks/pre-commit $(DESTDIR)$(PREFIX)/share/schemacheck/hooks/pre-commit

clean:
	rm -rf build/asan $(B)/src $(B)/rules $(B)/gen $(B)/tests $(B)/libsc.a $(B)/schemacheck

-include $(LIB_OBJ:.o=.d) $(B)/src/main.d
