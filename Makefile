# xinyong — the two commands: `make run` and `make test`.
# Everything else here is a helper for them.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv json xlsx xls ods import
XINYONG    := $(BUILD)/xinyong
DB         ?= var/xinyong.db

.PHONY: all run test deps build asan clean bench fuzz

all: build

deps:
	@./scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) >/dev/null

# -O1, as AddressSanitizer's documentation advises: the sanitizer suites took
# 25 % less CPU than at -O0 (docs/testing.md, "Time")
$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug -Doptimization=1 >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

asan: deps $(ASAN_BUILD)/build.ninja
	@ninja -C $(ASAN_BUILD) >/dev/null || ninja -C $(ASAN_BUILD)

# The main job: a database under var/, the shipped samples imported, the
# batch summaries, the error reports and one subject's profile.
run: build
	@./scripts/run.sh $(XINYONG) $(DB)

# Every suite (unit, fuzz replays, CLI, HTTP), then all again under ASan/UBSan;
# the last line is "N passed, N failed, N skipped".  The sanitizer build is
# compiled while the normal build's suites run (two at a time: XY_JOBS;
# docs/testing.md); XY_TIMES=1 adds each suite's seconds.
test: build $(ASAN_BUILD)/build.ninja
	@XY_ASAN_NINJA=1 ./tests/run.sh $(BUILD) $(ASAN_BUILD)

# Fuzz every reader and the import pipeline with libFuzzer under ASan/UBSan,
# FUZZ_SECONDS each (docs/fuzzing.md).  Needs clang (scripts/deps.sh --fuzz);
# `make test` does not: it replays the corpora with the gcc builds.
fuzz:
	@./scripts/deps.sh --fuzz
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
		-Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=all' >/dev/null
	@ninja -C $(FUZZ_BUILD) $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

bench: build
	@./bench/import.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
