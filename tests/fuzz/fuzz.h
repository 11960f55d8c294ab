/*
 * fuzz.h: what the fuzz targets share. Each target is one file defining
 * LLVMFuzzerTestOneInput (and, when it needs set-up, LLVMFuzzerInitialize);
 * it links the project's sources directly: with clang and libFuzzer for
 * `make fuzz` (tests/fuzz/fuzz.mk), or with gcc, ASan/UBSan and
 * standalone_driver.c for the regression replay (tests/fuzz/run-regress.sh).
 *
 * A target never fails on bad input: schemacheck must accept every byte
 * string. Only a crash, a sanitizer report, a leak, a timeout or running
 * out of memory counts as a finding.
 */
#ifndef SC_FUZZ_H
#define SC_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
