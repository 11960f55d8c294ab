# fuzz.mk: the libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang
# and -fsanitize=fuzzer,address,undefined from the project's own sources
# (not $(B)/libsc.a, which is built without coverage instrumentation),
# linked with Debian's libgit2, tree-sitter, pcre2 and inih and the
# grammar libraries. Run from the top of the source tree by `make fuzz`,
# which first makes the generated headers and the grammar:
#
#   make -f tests/fuzz/fuzz.mk B=build fuzz-build     the binaries only
#   make -f tests/fuzz/fuzz.mk B=build fuzz-run       build, seed, run
#
# Variables: FUZZ_CC (clang), FUZZ_SECONDS per target (60), FUZZ_JOBS
# (targets run at once; default: the number of CPUs), FUZZ_TARGETS
# (default: all), FUZZ_FLAGS (more libFuzzer options).
B ?= build
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?=
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_FLAGS ?=

F := $(B)/fuzz
PKGS := libgit2 tree-sitter libpcre2-8 inih libcrypto
GRAMMAR := build/grammar/libtree-sitter-python.a build/grammar/libtree-sitter-toml.a
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
	-Wall -Wextra -Wno-missing-field-initializers \
	-Isrc -Irules -I$(B)/gen -Itests/fuzz \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SAN)
FUZZ_LIBS := $(GRAMMAR) $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread

SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(sort $(wildcard rules/*.c))
OBJ := $(SRC:%.c=$(F)/obj/%.o)
BIN := $(FUZZ_TARGETS:%=$(F)/fuzz_%)

.PHONY: fuzz-build fuzz-run fuzz-check
.SUFFIXES:
.SECONDARY:

fuzz-build: fuzz-check $(BIN)

# libFuzzer is in the compiler runtime: Debian's clang (clang-14) with
# libclang-rt-14-dev (libFuzzer's .a files; clang-14 recommends it).
fuzz-check:
	@mkdir -p $(F)
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		> $(F)/check.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(F)/check $(F)/check.c 2> $(F)/check.log || { \
		cat $(F)/check.log >&2; \
		echo "fuzz: '$(FUZZ_CC) -fsanitize=fuzzer' does not link: install Debian's clang and libclang-rt-14-dev (apt-get install clang libclang-rt-14-dev)" >&2; \
		exit 1; }
	@rm -f $(F)/check $(F)/check.c $(F)/check.log

fuzz-run: fuzz-build
	@tests/fuzz/mkseeds.sh $(F)/seed
	@tests/fuzz/run-fuzz.sh $(F) $(FUZZ_SECONDS) "$(FUZZ_JOBS)" "$(FUZZ_FLAGS)" $(FUZZ_TARGETS)

# The project's sources: coverage for libFuzzer, but no main().
$(F)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DSC_VERSION='"fuzz"' -MMD -MP -c $< -o $@

$(F)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(OBJ) $(FUZZ_LIBS)

-include $(OBJ:.o=.d)
